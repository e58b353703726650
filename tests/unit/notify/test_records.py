"""The notifier's records: manual edits as changes, the feed and its read marks, the ledger, devices."""

from __future__ import annotations

import pytest

from domain.common.errors import ValidationError
from domain.notify import feed as feed_rules
from domain.notify import ledger
from domain.notify.changes import from_provider, manual_change, with_reservation
from domain.notify.devices import add, device_id, parse_device, public, targets

BEFORE = {"id": "r1", "type": "flight", "status": "confirmed", "start": "2026-01-12T10:15:00+01:00",
          "notes": "aisle", "flight": {"airline": "LH", "number": "400", "from": "FRA", "to": "JFK",
                                       "departure_gate": "A1"}, "version": 1}


def updated(after: dict, changed: list[str], **extra) -> dict:
    return {"event_id": "cmd-2", "event_type": "reservation.updated", "reservation_id": "r1", "user_id": "u1",
            "version": 2, "occurred_at": "2026-01-10T12:00:00.000Z", "changed_fields": changed,
            "reservation": after, **extra}


def test_a_manual_edit_becomes_a_change_with_old_and_new_values_and_severities():
    after = {**BEFORE, "status": "cancelled", "notes": "window", "flight": {**BEFORE["flight"], "departure_gate": "B7"}}
    change = manual_change(updated(after, ["flight", "notes", "status"]), BEFORE)
    assert change["change_id"] == "cmd-2" and change["source"] == "manual" and change["severity"] == "critical"
    assert change["changes"] == [
        {"path": "flight.departure_gate", "old": "A1", "new": "B7", "severity": "major"},
        {"path": "notes", "old": "aisle", "new": "window", "severity": "info"},
        {"path": "status", "old": "confirmed", "new": "cancelled", "severity": "critical"}]
    assert change["reservation"] == after


def test_an_edit_of_nothing_a_traveller_hears_of_is_no_change_and_provider_updates_are_recognised():
    assert manual_change(updated({**BEFORE, "start_time_zone": "Europe/Paris"}, ["start_time_zone"]), BEFORE) is None
    assert from_provider(updated(BEFORE, ["status"], command_kind="provider-update"))
    assert from_provider(updated({**BEFORE, "source": "provider"}, ["flight", "source"]))
    assert not from_provider(updated({**BEFORE, "source": "provider"}, ["notes"]))


def test_a_tracking_change_is_worded_against_the_reservation_as_the_change_leaves_it():
    change = {"change_id": "c1", "changes": [{"path": "departure.gate", "old": "A1", "new": "C3", "severity": "major"}]}
    shown = with_reservation(change, BEFORE)
    assert shown["reservation"]["flight"]["departure_gate"] == "C3" and BEFORE["flight"]["departure_gate"] == "A1"
    assert with_reservation(change, None) == change


def entry(n: int) -> dict:
    return {"id": f"n{n}", "reservation_id": "r1", "change_ids": [f"c{n}"], "severity": "major", "title": f"T{n}",
            "summary": "s", "locale": "en", "created_at": f"2026-01-10T12:00:{n:02d}Z", "expires_at": "x"}


def test_the_feed_numbers_entries_updates_move_them_last_and_replays_change_nothing():
    feed, first = feed_rules.upsert(None, entry(1), "t1")
    feed, _ = feed_rules.upsert(feed, entry(2), "t2")
    assert feed_rules.upsert(feed, entry(1), "t3") == (feed, None)
    feed, moved = feed_rules.upsert(feed, {**entry(1), "title": "T1 again"}, "t4")
    assert (first["seq"], moved["seq"]) == (1, 3) and moved["created_at"] == entry(1)["created_at"]
    assert [i["id"] for i in feed_rules.after(feed, None, 1)] == ["n2", "n1"]
    assert feed_rules.after(feed, None, 3) == []


def test_pages_read_marks_and_unread_counts():
    feed = None
    for n in range(1, 6):
        feed, _ = feed_rules.upsert(feed, entry(n), "t")
    items, cursor = feed_rules.page(feed, None, None, "2")
    assert [i["id"] for i in items] == ["n5", "n4"] and cursor == "4"
    items, cursor = feed_rules.page(feed, None, cursor, "10")
    assert [i["id"] for i in items] == ["n3", "n2", "n1"] and cursor is None
    reads = feed_rules.mark_read(None, feed, "n2")
    assert feed_rules.unread_count(feed, reads) == 4 and feed_rules.page(feed, reads, "3", "1")[0][0]["read"]
    assert feed_rules.unread_count(feed, feed_rules.mark_all_read(feed, reads)) == 0
    with pytest.raises(ValidationError):
        feed_rules.page(feed, None, "abc", None)


JOB = {"kind": "deliver", "user_id": "u1", "notification_id": "n1", "attempt": 1, "detected_at": "2026-01-10T12:00:00Z",
       "notification": {"notification_id": "n1", "channel": "email", "user_id": "u1", "reservation_id": "r1",
                        "change_ids": ["c1"], "created_at": "2026-01-10T12:00:01Z", "target": {"email": "a@b.c"}}}


def result(outcome: str, attempt: int = 1, **extra) -> dict:
    return {"kind": "result", "notification_id": "n1", "attempt": attempt, "outcome": outcome,
            "finished_at": "2026-01-10T12:00:02.500Z", **extra}


def test_a_job_is_claimed_once_and_its_outcome_recorded_once():
    action, claimed = ledger.claim(None, JOB, False, "t1")
    assert action == "send" and claimed["status"] == "sending"
    assert ledger.claim(claimed, JOB, True, "t2") == ("skip", None)
    sent = ledger.settle(claimed, result("sent", provider_id="<m1>"), "t3")
    assert sent["status"] == "sent" and "job" not in sent
    assert ledger.claim(sent, JOB, False, "t4") == ("skip", None)
    assert ledger.settle(sent, result("sent"), "t5") is None
    record = ledger.record(sent, "u1", "n1")
    assert record["latency_ms"] == 2500 and record["status"] == "sent" and record["provider_message_id"] == "<m1>"


def test_a_claim_nobody_is_sending_is_unknown_and_never_sent_again():
    _, claimed = ledger.claim(None, JOB, False, "t1")
    action, unknown = ledger.claim(claimed, JOB, False, "t2")
    assert action == "interrupted" and unknown["status"] == "unknown" and "job" not in unknown
    assert ledger.claim(unknown, JOB, False, "t3") == ("skip", None)
    assert ledger.settle(unknown, result("sent"), "t4")["status"] == "sent"  # the old sender did finish


def test_retries_take_the_next_attempt_and_old_attempts_are_ignored():
    _, claimed = ledger.claim(None, JOB, False, "t1")
    waiting = ledger.settle(claimed, result("retry", retry_at="2026-01-10T12:00:40Z", reason="smtp-451"), "t2")
    assert waiting["status"] == "retrying" and ledger.record(waiting, "u1", "n1")["status"] == "retried"
    assert ledger.claim(waiting, JOB, False, "t3") == ("skip", None)
    again = ledger.retry_job(waiting)
    action, second = ledger.claim(waiting, again, False, "t4")
    assert action == "send" and second["attempt"] == 2
    assert ledger.settle(second, result("sent", attempt=1), "t5") is None
    assert ledger.settle(second, result("failed", attempt=2, reason="smtp-550"), "t6")["status"] == "failed"


def test_the_ledger_keeps_what_is_pending_and_the_latest_final_entries():
    book = {f"n{i}": {"status": "sent", "updated_at": f"{i:05d}"} for i in range(ledger.MAX_FINAL + 10)}
    book["p"] = {"status": "retrying", "updated_at": "00000"}
    pruned = ledger.prune(book)
    assert len(pruned) == ledger.MAX_FINAL + 1 and "p" in pruned and "n0" not in pruned
    assert ledger.pending(pruned) == [("p", book["p"])]


SUBSCRIPTION = {"endpoint": "https://push.example/send/abc", "keys": {"p256dh": "BPk" * 20, "auth": "q1w2e3r4"}}


def test_devices_are_checked_named_by_their_token_and_listed_without_secrets():
    fcm = parse_device({"kind": "fcm", "token": "dGhpcy1pcy1hLXRva2Vu:APA91b", "name": "Pixel"})
    web = parse_device({"kind": "webpush", "subscription": SUBSCRIPTION})
    assert device_id(fcm) == device_id(dict(fcm)) != device_id(web)
    devices, stored = add(None, fcm, "t1")
    devices, again = add(devices, fcm, "t2")
    assert len(devices) == 1 and again["created_at"] == "t1" and "token" not in public(again)
    devices, _ = add(devices, web, "t3")
    found = targets({"email": "ann@example.com"}, devices)
    assert found["email"] == [{"email": "ann@example.com"}] and found["fcm"][0]["device"] == stored["id"]
    assert found["webpush"][0]["subscription"] == SUBSCRIPTION and found["apns"] == []


@pytest.mark.parametrize("body", [
    {"kind": "sms", "token": "x" * 20}, {"kind": "apns", "token": "not-hex"}, {"kind": "fcm"},
    {"kind": "webpush", "subscription": {"endpoint": "ftp://x", "keys": {}}}, {"kind": "fcm", "token": "x" * 20,
                                                                                "extra": 1}])
def test_bad_registrations_are_refused(body):
    with pytest.raises(ValidationError):
        parse_device(body)
