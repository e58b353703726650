"""Polled mail -> reservation commands: one reservation per segment, updates and cancellations, replay-safe."""

from __future__ import annotations

from pathlib import Path

from domain.mail.bookings import plan, reservation_id
from domain.mail.extract.reservations import extract_reservations

SAMPLE = (Path(__file__).parents[3].parent / "shared" / "data" / "reservation-samples" / "email-markup"
          / "flight_all_fields_email.eml")
USER = "a" * 32
ISSUED = "2027-03-20T10:00:00.000Z"


def confirmation_mail(*, modified: str = "2027-03-14T13:05:00-05:00", gate: str = "11", status: str = "Confirmed",
                      sender: str | None = None, message_id: str = "<first@airline.test>",
                      confirmation: str = "RXJ34P") -> bytes:
    """The public sample, edited the way an airline's later mails differ: newer modifiedTime, gate, status."""
    raw = SAMPLE.read_bytes()
    raw = raw.replace(b'"modifiedTime": "2027-03-14T13:05:00-05:00"', f'"modifiedTime": "{modified}"'.encode())
    raw = raw.replace(b'"departureGate": "11"', f'"departureGate": "{gate}"'.encode())
    raw = raw.replace(b"http://schema.org/Confirmed", f"http://schema.org/{status}".encode())
    raw = raw.replace(b"Message-ID: <2218054.ElGaqSPkdT@vlocalhost>", f"Message-ID: {message_id}".encode())
    raw = raw.replace(b"RXJ34P", confirmation.encode())
    if sender is not None:
        raw = raw.replace(b"From: Some Airline <noreply@non-existing-airline.com>", f"From: {sender}".encode())
    return raw


def found(ref: str, raw: bytes) -> dict:
    """What agents/mail/read_mail.py carries for one message."""
    result = extract_reservations(raw)
    return {"ref": ref, "extracted": [{"reservation": e.reservation, "email_key": e.email_key,
                                       "modified_time": e.modified_time, "message_date": e.message_date}
                                      for e in result.extracted],
            "cancellations": [vars(c) for c in result.cancellations]}


FIRST = found("1:1", confirmation_mail())
UPDATED = found("1:2", confirmation_mail(modified="2027-03-15T09:00:00-05:00", gate="14"))
CANCELLED = found("1:3", confirmation_mail(modified="2027-03-16T09:00:00-05:00", status="Cancelled"))
KEY = FIRST["extracted"][0]["email_key"]


def test_the_first_mail_creates_one_email_reservation_under_a_derived_id():
    planned = plan(None, [FIRST], user_id=USER, poll_id="p1", issued_at=ISSUED)
    (command,) = planned.commands
    assert command["kind"] == "create" and command["reservation_id"] == reservation_id(USER, KEY)
    assert command["data"]["source"] == "email" and command["data"]["confirmation"] == "RXJ34P"
    assert command["user_id"] == USER and command["issued_at"] == ISSUED and command["request_digest"]
    assert planned.bookings[KEY]["reservation_id"] == command["reservation_id"]
    assert reservation_id(USER, KEY) != reservation_id("b" * 32, KEY)  # another traveller's copy stays theirs


def test_an_updated_mail_patches_and_a_cancelling_one_cancels_the_same_reservation():
    first = plan(None, [FIRST], user_id=USER, poll_id="p1", issued_at=ISSUED)
    updated = plan(first.bookings, [UPDATED], user_id=USER, poll_id="p2", issued_at=ISSUED)
    (update,) = updated.commands
    assert update["kind"] == "update" and update["data"]["flight"]["departure_gate"] == "14"
    cancelled = plan(updated.bookings, [CANCELLED], user_id=USER, poll_id="p3", issued_at=ISSUED)
    (cancel,) = cancelled.commands
    assert cancel["kind"] == "update" and cancel["data"] == {"status": "cancelled"}
    assert {c["reservation_id"] for c in (*first.commands, update, cancel)} == {reservation_id(USER, KEY)}


def test_the_same_mail_again_or_an_older_one_changes_nothing():
    first = plan(None, [FIRST], user_id=USER, poll_id="p1", issued_at=ISSUED)
    updated = plan(first.bookings, [UPDATED], user_id=USER, poll_id="p2", issued_at=ISSUED)
    again = plan(updated.bookings, [found("1:9", confirmation_mail(modified="2027-03-15T09:00:00-05:00", gate="14")),
                                    found("1:10", confirmation_mail())], user_id=USER, poll_id="p3", issued_at=ISSUED)
    assert again.commands == [] and again.counts["ignore"] == 2 and again.bookings == updated.bookings


def test_a_replayed_poll_sends_exactly_the_same_commands():
    first = plan(None, [FIRST], user_id=USER, poll_id="p1", issued_at=ISSUED)
    second = plan(first.bookings, [UPDATED, CANCELLED], user_id=USER, poll_id="p2", issued_at=ISSUED)
    replayed = plan(second.bookings, [UPDATED, CANCELLED], user_id=USER, poll_id="p2", issued_at=ISSUED)
    assert [c["kind"] for c in second.commands] == ["update", "update"]
    assert replayed.commands == second.commands and replayed.bookings == second.bookings


def test_a_booking_wide_cancellation_cancels_every_segment_it_names():
    first = plan(None, [FIRST], user_id=USER, poll_id="p1", issued_at=ISSUED)
    cancellation = {"ref": "1:4", "extracted": [], "cancellations": [
        {"confirmation": "rxj34p", "kind": None, "modified_time": "2027-03-17T00:00:00Z", "message_date": None}]}
    other = {"ref": "1:5", "extracted": [], "cancellations": [
        {"confirmation": "OTHER1", "kind": None, "modified_time": "2027-03-17T00:00:00Z", "message_date": None}]}
    planned = plan(first.bookings, [other, cancellation], user_id=USER, poll_id="p2", issued_at=ISSUED)
    (cancel,) = planned.commands
    assert cancel["data"] == {"status": "cancelled"} and cancel["reservation_id"] == reservation_id(USER, KEY)
    assert planned.bookings[KEY]["status"] == "cancelled"


def test_a_cancellation_for_an_unknown_booking_creates_nothing():
    planned = plan(None, [CANCELLED], user_id=USER, poll_id="p1", issued_at=ISSUED)
    assert planned.commands == [] and planned.bookings == {}
