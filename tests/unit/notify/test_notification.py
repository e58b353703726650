"""Notification records: stable IDs, expiry, and no personal data in their repr."""

import uuid
from datetime import UTC, datetime, timedelta

from domain.notify.notification import Notification, compose, compose_for, expires, notification_id
from domain.notify.render import render
from runtime.i18n import lang

NOW = datetime(2025, 6, 11, 8, 0, tzinfo=UTC)
CHANGE = {
    "change_id": "c1", "reservation_id": "r1", "user_id": "u1", "severity": "major",
    "changes": [{"path": "departure.gate", "old": "A1", "new": "B2", "severity": "major"}],
    "reservation": {"id": "r1", "type": "flight", "start": "2025-06-12T09:30:00+02:00",
                    "end": "2025-06-12T12:05:00-04:00", "start_time_zone": "Europe/Berlin",
                    "end_time_zone": "America/New_York",
                    "flight": {"airline": "LH", "number": "400", "from": "FRA", "to": "JFK"}},
}


def test_id_is_the_same_for_a_redelivered_change():
    assert notification_id("c1", "email") == notification_id("c1", "email")
    uuid.UUID(notification_id("c1", "email"))  # usable where a UUID is required (apns-id)


def test_id_differs_by_change_channel_and_device():
    ids = {notification_id("c1", "email"), notification_id("c2", "email"), notification_id("c1", "push"),
           notification_id("c1", "push", "phone"), notification_id("c1", "push", "tablet")}
    assert len(ids) == 5


def test_id_is_fixed_across_releases():
    # A changed namespace would notify every replayed change again.
    assert notification_id("c1", "email") == "82250e9e-9582-5692-ae49-201f0d043395"


def test_compose_fills_the_record_from_change_and_words():
    note = compose(CHANGE, "email", render(CHANGE, lang("de")), NOW, target={"email": "ada@example.com"})
    assert note.notification_id == notification_id("c1", "email")
    assert note.change_ids == ("c1",)
    assert note.locale == "de" and note.title.startswith("LH 400 nach JFK")
    assert note.expires_at == "2025-06-12T16:05:00Z"
    assert note.created_at == "2025-06-11T08:00:00Z"


def test_collapsed_batch_keeps_all_its_change_ids():
    batch = {**CHANGE, "change_ids": ["c1", "c2"]}
    note = compose(batch, "push", render(batch, lang("en")), NOW, device="phone")
    assert note.change_ids == ("c1", "c2")
    assert note.notification_id == notification_id("c1", "push", "phone")
    assert note.data()["change_ids"] == "c1,c2"


def test_round_trip_through_a_dict():
    note = compose(CHANGE, "email", render(CHANGE, lang("en")), NOW, target={"email": "ada@example.com"})
    assert Notification.from_dict(note.to_dict()) == note


def test_repr_leaves_the_target_out():
    note = compose(CHANGE, "fcm", render(CHANGE, lang("en")), NOW, target={"token": "secret-device-token"})
    assert "secret-device-token" not in repr(note)


def test_expiry_is_the_trips_end_within_bounds():
    assert expires({"end": "2025-06-12T12:00:00Z"}, NOW) == datetime(2025, 6, 12, 12, 0, tzinfo=UTC)
    assert expires({"end": "2025-06-11T07:00:00Z"}, NOW) == NOW + timedelta(minutes=15)  # already over
    assert expires({"end": "2026-01-01T00:00:00Z"}, NOW) == NOW + timedelta(days=28)
    assert expires({}, NOW) == NOW + timedelta(days=1)


def test_compose_for_reaches_every_destination_of_the_chosen_channels():
    targets = {"email": [{"email": "ada@example.com"}],
               "fcm": [{"token": "t-android", "device": "pixel"}],
               "apns": [{"token": "t-ios-1", "device": "iphone"}, {"token": "t-ios-2", "device": "ipad"}],
               "webpush": [{"subscription": {"endpoint": "https://push.example/1"}, "device": "firefox"}]}
    notes = compose_for(CHANGE, ("web", "push"), targets, lang("ja"), NOW)
    assert [(n.channel, n.target.get("token")) for n in notes] == [
        ("web", None), ("fcm", "t-android"), ("apns", "t-ios-1"), ("apns", "t-ios-2")]
    assert len({n.notification_id for n in notes}) == 4
    assert notes[3].notification_id == notification_id("c1", "apns", "ipad")
    assert {n.locale for n in notes} == {"ja"}


def test_compose_for_skips_a_channel_without_destinations():
    assert compose_for(CHANGE, ("email", "webpush"), {}, lang("en"), NOW) == []
