"""The notifier's rules put together: preferences, quiet hours across zones and DST, bursts, stable IDs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from domain.notify.devices import targets
from domain.notify.notification import notification_id
from domain.notify.plan import Audience, on_change, on_tick
from runtime.i18n import translators

NOON = datetime(2026, 1, 10, 12, 0, tzinfo=UTC)
FLIGHT = {"id": "r1", "type": "flight", "start": "2026-01-12T10:15:00+01:00", "end": "2026-01-12T13:05:00-05:00",
          "start_time_zone": "Europe/Berlin", "end_time_zone": "America/New_York",
          "flight": {"airline": "LH", "number": "400", "from": "FRA", "to": "JFK"}}
DEVICES = {"d1": {"kind": "fcm", "token": "f" * 40}, "d2": {"kind": "apns", "token": "a" * 64},
           "d3": {"kind": "webpush", "subscription": {"endpoint": "https://push.example/x", "keys": {}}}}


def change(cid: str = "c1", path: str = "departure.gate", old="A1", new="B2", severity: str = "major",
           rid: str = "r1") -> dict:
    return {"change_id": cid, "reservation_id": rid, "user_id": "u1", "severity": severity,
            "detected_at": "2026-01-10T11:59:59Z", "changes": [{"path": path, "old": old, "new": new,
                                                                "severity": severity}],
            "reservation": FLIGHT}


def audience(prefs=None, zone: str = "Europe/Berlin", locale: str = "en") -> Audience:
    return Audience(prefs, zone, locale, targets({"email": "ann@example.com"}, DEVICES), catalogs=translators())


def channels(plan) -> list[str]:
    return sorted(d.notification.channel for d in plan.deliveries)


def test_the_feed_hears_at_once_and_the_interrupting_channels_when_the_burst_window_closes():
    plan = on_change(None, change(), audience(), NOON)
    assert [d.notification.channel for d in plan.feed] == ["web"] and plan.deliveries == []
    assert plan.due == NOON + timedelta(minutes=2)
    assert on_tick(plan.state, audience(), NOON + timedelta(seconds=119)).deliveries == []
    later = on_tick(plan.state, audience(), NOON + timedelta(minutes=2))
    # Defaults: major news goes to e-mail and every phone, not to Web Push (critical only).
    assert channels(later) == ["apns", "email", "fcm"] and later.due is None


def test_preferences_choose_channels_per_severity_and_info_reaches_only_the_feed():
    info = on_change(None, change(severity="info", path="seat", old="3A", new="4C"), audience(), NOON)
    assert len(info.feed) == 1
    assert on_tick(info.state, audience(), NOON + timedelta(hours=1)).deliveries == []
    prefs = {"channels": {"email": {"major": False}, "web": {"major": False}, "webpush": {"major": True}}}
    plan = on_change(None, change(), audience(prefs), NOON)
    assert plan.feed == []
    assert channels(on_tick(plan.state, audience(prefs), NOON + timedelta(minutes=3))) == ["apns", "fcm", "webpush"]


def test_the_preferred_language_beats_the_profile_and_times_are_local_to_the_place():
    delay = change(path="departure.scheduled", old="2026-01-12T10:15:00+01:00", new="2026-01-12T11:40:00+01:00")
    words = on_change(None, delay, audience({"locale": "ja"}, locale="de"), NOON).feed[0].notification
    assert words.locale == "ja" and "11:40" in words.summary and "JST" not in words.summary
    german = on_change(None, delay, audience(locale="de"), NOON).feed[0].notification
    assert german.locale == "de" and "11:40 MEZ" in german.summary


def test_quiet_hours_hold_noise_in_the_users_own_zone_until_morning_but_not_the_feed():
    night = datetime(2026, 1, 10, 22, 30, tzinfo=UTC)  # 23:30 in Berlin, 17:30 in New York
    plan = on_change(None, change(), audience(), night)
    closed = on_tick(plan.state, audience(), night + timedelta(minutes=2))
    assert plan.feed and closed.deliveries == []
    assert closed.due == datetime(2026, 1, 11, 6, 0, tzinfo=UTC)  # 07:00 CET
    assert channels(on_tick(closed.state, audience(), closed.due)) == ["apns", "email", "fcm"]
    awake = on_tick(on_change(None, change(), audience(zone="America/New_York"), night).state,
                    audience(zone="America/New_York"), night + timedelta(minutes=2))
    assert channels(awake) == ["apns", "email", "fcm"]


def test_quiet_hours_end_at_seven_local_on_the_night_clocks_spring_forward():
    night = datetime(2026, 3, 28, 22, 30, tzinfo=UTC)  # 23:30 CET; at 02:00 Berlin moves to CEST
    plan = on_change(None, change(), audience(), night)
    closed = on_tick(plan.state, audience(), night + timedelta(minutes=2))
    assert closed.due == datetime(2026, 3, 29, 5, 0, tzinfo=UTC)  # 07:00 CEST


def test_a_critical_change_goes_out_at_once_even_in_quiet_hours():
    night = datetime(2026, 1, 10, 23, 30, tzinfo=UTC)
    plan = on_change(None, change(path="status", old="scheduled", new="cancelled", severity="critical"),
                     audience(), night)
    assert channels(plan) == ["apns", "email", "fcm", "webpush"]
    assert plan.feed and "cancel" in plan.feed[0].notification.title.lower()


def test_a_burst_is_one_feed_entry_updated_in_place_and_one_message_per_channel():
    first = on_change(None, change("c1"), audience(), NOON)
    second = on_change(first.state, change("c2", path="departure.terminal", old="1", new="2"), audience(),
                       NOON + timedelta(seconds=50))
    assert second.feed[0].notification.notification_id == first.feed[0].notification.notification_id
    assert "terminal 2 (was 1)" in second.feed[0].notification.summary
    closed = on_tick(second.state, audience(), NOON + timedelta(minutes=2))
    email = next(d.notification for d in closed.deliveries if d.notification.channel == "email")
    assert email.change_ids == ("c1", "c2") and "B2" in email.text and "terminal 2" in email.text
    assert email.notification_id == notification_id("c1", "email")


def test_a_redelivered_change_does_nothing_anywhere():
    plan = on_change(None, change(), audience(), NOON)
    again = on_change(plan.state, change(), audience(), NOON + timedelta(seconds=5))
    assert again.feed == [] and again.deliveries == [] and again.state == plan.state
    closed = on_tick(plan.state, audience(), NOON + timedelta(minutes=2))
    after = on_change(closed.state, change(), audience(), NOON + timedelta(minutes=3))
    assert after.feed == [] and after.deliveries == []


def test_notification_ids_depend_only_on_the_change_channel_and_device():
    one = on_tick(on_change(None, change(), audience(), NOON).state, audience(), NOON + timedelta(minutes=5))
    two = on_tick(on_change(None, change(), audience(), NOON + timedelta(hours=3)).state, audience(),
                  NOON + timedelta(hours=4))
    ids = sorted(d.notification.notification_id for d in one.deliveries)
    assert ids == sorted(d.notification.notification_id for d in two.deliveries) and len(set(ids)) == 3
    assert notification_id("c1", "fcm", "d1") in ids


def test_bursts_of_different_reservations_stay_apart():
    plan = on_change(None, change("c1"), audience(), NOON)
    plan = on_change(plan.state, change("c2", rid="r2"), audience(), NOON + timedelta(seconds=10))
    closed = on_tick(plan.state, audience(), NOON + timedelta(minutes=3))
    assert sorted({d.notification.reservation_id for d in closed.deliveries}) == ["r1", "r2"]
    assert len(closed.deliveries) == 6
