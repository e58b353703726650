"""Notification preferences: defaults, validation, and which channels a change goes to."""

from datetime import UTC, datetime

import pytest

from domain.common.errors import ValidationError
from domain.notify.prefs import DEFAULTS, decide, effective, parse_preferences

NOON = datetime(2025, 6, 11, 10, 0, tzinfo=UTC)       # 12:00 in Berlin
MIDNIGHT = datetime(2025, 6, 10, 22, 0, tzinfo=UTC)   # 00:00 in Berlin
ALL_ON = {name: {"critical": True, "major": True, "info": True} for name in ("web", "email", "push", "webpush")}


def change(severity: str) -> dict:
    return {"change_id": "c1", "severity": severity, "changes": []}


def test_defaults_send_major_news_to_web_email_and_push():
    decision = decide(None, "Europe/Berlin", change("major"), NOON)
    assert decision.send == ("web", "email", "push")
    assert decision.held == () and decision.release_at is None


def test_info_goes_only_to_the_feed_by_default():
    assert decide({}, "Europe/Berlin", change("info"), NOON).send == ("web",)


def test_a_channel_switched_off_for_a_severity_gets_nothing():
    prefs = {"channels": {"email": {"major": False}, "webpush": {"major": True}}}
    assert decide(prefs, "Europe/Berlin", change("major"), NOON).send == ("web", "push", "webpush")


def test_quiet_hours_hold_noisy_channels_until_morning():
    decision = decide({"channels": ALL_ON}, "Europe/Berlin", change("major"), MIDNIGHT)
    assert decision.send == ("web",)
    assert decision.held == ("email", "push", "webpush")
    assert decision.release_at == datetime(2025, 6, 11, 5, 0, tzinfo=UTC)  # 07:00 in Berlin


def test_critical_goes_through_quiet_hours():
    decision = decide({"channels": ALL_ON}, "Europe/Berlin", change("critical"), MIDNIGHT)
    assert decision.send == ("web", "email", "push", "webpush")
    assert decision.held == ()


def test_quiet_hours_follow_the_users_zone():
    # 22:00 UTC is midnight in Berlin but 18:00 in New York.
    assert decide(None, "America/New_York", change("major"), MIDNIGHT).held == ()
    assert decide(None, "Europe/Berlin", change("major"), MIDNIGHT).held == ("email", "push")


def test_quiet_hours_switched_off():
    decision = decide({"quiet_hours": None}, "Europe/Berlin", change("major"), MIDNIGHT)
    assert decision.send == ("web", "email", "push")


def test_own_quiet_hours():
    prefs = {"quiet_hours": {"start": "23:30", "end": "06:00"}}
    assert decide(prefs, "Europe/Berlin", change("major"), MIDNIGHT).held == ("email", "push")
    eleven_pm = datetime(2025, 6, 10, 21, 0, tzinfo=UTC)
    assert decide(prefs, "Europe/Berlin", change("major"), eleven_pm).held == ()


def test_nothing_held_means_no_release_time():
    prefs = {"channels": {"email": {"info": False}, "push": {"info": False}}}
    decision = decide(prefs, "Europe/Berlin", change("info"), MIDNIGHT)
    assert decision.send == ("web",) and decision.held == () and decision.release_at is None


def test_unknown_severity_is_treated_as_major():
    assert decide(None, "Europe/Berlin", change("catastrophic"), NOON).send == ("web", "email", "push")


def test_malformed_stored_preferences_keep_the_defaults():
    raw = {"channels": {"email": "yes", "push": {"major": "no"}}, "quiet_hours": {"start": "late"}, "locale": 7}
    assert effective(raw) == {**DEFAULTS, "locale": None}


def test_parse_accepts_a_partial_update_over_the_defaults():
    prefs = parse_preferences({"channels": {"push": {"info": True}}, "locale": "es-MX"})
    assert prefs["channels"]["push"] == {"critical": True, "major": True, "info": True}
    assert prefs["channels"]["email"] == DEFAULTS["channels"]["email"]
    assert prefs["locale"] == "es-MX"
    assert prefs["quiet_hours"] == {"start": "22:00", "end": "07:00"}


def test_parse_lists_every_bad_field():
    with pytest.raises(ValidationError) as caught:
        parse_preferences({"channels": {"sms": {}, "push": {"urgent": True, "info": "yes"}},
                           "quiet_hours": {"start": "24:00", "end": "7"}, "colour": "red", "locale": 5})
    fields = sorted(e["field"] for e in caught.value.errors)
    assert fields == ["channels.push.info", "channels.push.urgent", "channels.sms", "colour", "locale",
                      "quiet_hours.end", "quiet_hours.start"]


def test_parse_rejects_empty_quiet_hours_and_non_objects():
    with pytest.raises(ValidationError):
        parse_preferences({"quiet_hours": {"start": "07:00", "end": "07:00"}})
    with pytest.raises(ValidationError):
        parse_preferences(["web"])


def test_parse_allows_switching_quiet_hours_off():
    assert parse_preferences({"quiet_hours": None})["quiet_hours"] is None


def test_the_year_summary_is_off_until_asked_for_and_only_a_boolean_turns_it_on():
    assert effective(None)["year_summary"] is False
    assert effective({"year_summary": "yes"})["year_summary"] is False
    assert parse_preferences({"year_summary": True})["year_summary"] is True
    with pytest.raises(ValidationError) as refused:
        parse_preferences({"year_summary": "on"})
    assert "year_summary" in str(refused.value.errors)
