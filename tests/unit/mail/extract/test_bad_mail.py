"""Bad mail never crashes the extractor: each broken, oversized or hostile piece is skipped with its reason."""

from __future__ import annotations

import base64
from email.message import EmailMessage
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.mail.extract.markup import MAX_HTML_DEPTH, MAX_ITEMSCOPE_DEPTH
from domain.mail.extract.message import MAX_MESSAGE_BYTES, MAX_MIME_DEPTH, MAX_PART_BYTES, MAX_PARTS
from domain.mail.extract.reservations import extract_reservations

SAMPLES = Path(__file__).parents[4].parent / "shared" / "data" / "reservation-samples"
GOOD_HTML = (SAMPLES / "email-markup" / "flight_basic.jsonld.html").read_text()
GOOD_EML = (SAMPLES / "kitinerary" / "extractordata" / "synthetic" / "flight-booking.eml").read_bytes()
HOTEL_ICS = (SAMPLES / "kitinerary" / "calendarhandlerdata" / "hotel.ics").read_text()


def mail(*htmls: str, attachments: tuple[tuple[bytes, str, str], ...] = ()) -> bytes:
    message = EmailMessage()
    message["From"], message["Subject"] = "a@example.com", "Booking"
    message.set_content("see below")
    for html in htmls:
        message.add_alternative(html, subtype="html")
    for content, mime, name in attachments:
        maintype, subtype = mime.split("/")
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=name)
    return message.as_bytes()


def test_truncated_json_ld_is_skipped_and_the_next_script_still_read():
    truncated = GOOD_HTML[: GOOD_HTML.index('"departureAirport"')] + "</script>"
    result = extract_reservations(mail(truncated + GOOD_HTML))
    assert [r["confirmation"] for r in result.reservations] == ["RXJ34P"]
    assert result.skipped[0].startswith("invalid JSON-LD in script 1:")


def test_invalid_json_ld_alone_gives_a_reason_not_an_error():
    result = extract_reservations(mail('<script type="application/ld+json">{"@type": "FlightReservation",,}</script>'))
    assert result.reservations == []
    assert result.reason.startswith("no reservation found: invalid JSON-LD in script 1")


def test_json_nested_past_the_recursion_limit_is_skipped():
    result = extract_reservations(mail('<script type="application/ld+json">' + "[" * 100_000 + "</script>" + GOOD_HTML))
    assert len(result.reservations) == 1
    assert "invalid JSON-LD in script 1: RecursionError" in result.skipped[0]


def test_deeply_nested_html_is_reported_and_the_head_markup_still_read():
    html = "<html><head>" + GOOD_HTML + "</head><body>" + "<div>" * 50_000 + "x" + "</div>" * 50_000 + "</body></html>"
    result = extract_reservations(mail(html))
    assert len(result.reservations) == 1
    assert f"HTML nested more than {MAX_HTML_DEPTH} levels deep: deeper content was dropped" in result.skipped


def test_deeply_nested_microdata_is_skipped_and_the_next_mail_still_read():
    scope = '<div itemscope itemtype="http://schema.org/Thing" itemprop="subjectOf">'
    result = extract_reservations(mail(scope * 240 + "</div>" * 240))
    assert f"microdata items nested more than {MAX_ITEMSCOPE_DEPTH} deep were not read" in result.skipped
    # extruct must never have hit a RecursionError: that can leave its XPath objects locked for good.
    microdata = (SAMPLES / "email-markup" / "flight_basic_microdata.html").read_text()
    assert len(extract_reservations(mail(microdata)).reservations) == 1


def test_message_over_the_size_limit_is_not_parsed():
    result = extract_reservations(b"Subject: big\r\n\r\n" + b"x" * MAX_MESSAGE_BYTES)
    assert result.reservations == []
    assert result.skipped == (f"message of {MAX_MESSAGE_BYTES + 16} bytes is over the {MAX_MESSAGE_BYTES} byte limit",)


def test_part_over_the_size_limit_is_skipped_and_the_others_read():
    huge = b"BEGIN:VCALENDAR\r\n" + b"X" * (MAX_PART_BYTES + 1)
    result = extract_reservations(mail(GOOD_HTML, attachments=((huge, "text/calendar", "huge.ics"),)))
    assert len(result.reservations) == 1
    assert any(r.startswith("text/calendar part huge.ics of") and "part limit" in r for r in result.skipped)


def test_pdf_attachments_and_unknown_charsets_do_not_stop_extraction():
    raw = mail(GOOD_HTML, attachments=((b"%PDF-1.4", "application/pdf", "ticket.pdf"),))
    raw = raw.replace(b'charset="utf-8"', b'charset="x-no-such-charset"')
    result = extract_reservations(raw)
    assert len(result.reservations) == 1
    assert "attachment ticket.pdf (application/pdf) not read" in result.skipped


def test_mime_nested_too_deep_is_cut_off():
    raw = GOOD_EML
    for level in range(MAX_MIME_DEPTH + 2):
        raw = (f"Content-Type: multipart/mixed; boundary=b{level}\r\n\r\n--b{level}\r\n").encode() + raw + \
            f"\r\n--b{level}--\r\n".encode()
    result = extract_reservations(raw)
    assert result.reservations == []
    assert f"MIME parts nested more than {MAX_MIME_DEPTH} deep were not read" in result.skipped


def test_only_the_first_parts_are_read():
    attachments = tuple((b"x", "application/octet-stream", f"{n}.bin") for n in range(MAX_PARTS + 5))
    result = extract_reservations(mail(GOOD_HTML, attachments=attachments))
    assert len(result.reservations) == 1
    assert f"only the first {MAX_PARTS} MIME parts were read" in result.skipped


def test_missing_closing_boundary_is_a_recorded_defect_not_a_failure():
    raw = GOOD_EML[: GOOD_EML.rindex(b"--nextPart4658656.GXAFRqVoOG--")]
    result = extract_reservations(raw)
    assert len(result.reservations) == 1
    assert result.skipped == ("MIME defects: CloseBoundaryNotFoundDefect",)


def test_broken_calendars_are_skipped_with_their_reasons():
    broken_time = HOTEL_ICS.replace("X-KDE-KITINERARY-RESERVATION", "X-IGNORED").replace(
        "DTSTART;VALUE=DATE:20170919", "DTSTART:not-a-time")
    attachments = ((b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n", "text/calendar", "cut.ics"),
                   (broken_time.encode(), "text/calendar", "bad.ics"))
    result = extract_reservations(mail(GOOD_HTML, attachments=attachments))
    assert len(result.reservations) == 1
    assert "calendar holds no complete event (empty or cut short)" in result.skipped
    assert any(r.startswith("calendar event 'Hotel reservation: Glo Hotel Sello' is broken") for r in result.skipped)


def test_time_budget_stops_reading_parts():
    result = extract_reservations(mail(GOOD_HTML), budget_s=-1)
    assert result.reservations == []
    assert "time budget used up: the remaining parts were not read" in result.skipped


def test_base64_garbage_and_non_mime_bytes_are_survived():
    garbage = base64.b64encode(bytes(range(256)) * 10).decode()
    raw = ("Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n!!" + garbage).encode()
    assert extract_reservations(raw).reservations == []
    assert extract_reservations(b"").reason.startswith("no reservation found")
    assert extract_reservations(b"\x00\xff" * 1000).reservations == []
    junk_ics = mail(attachments=((b"garbage", "text/calendar", "junk.ics"),))
    assert extract_reservations(junk_ics).skipped[0].startswith("calendar could not be parsed: ValueError")


def test_hostile_text_is_read_in_linear_time():
    # Quadratic regex backtracking over this would take hours rather than milliseconds.
    message = EmailMessage()
    message.set_content("Flight UA 110 " + "a" * 150_000 + " 1" * 50_000)
    result = extract_reservations(message.as_bytes())
    assert result.skipped == ("plain text flight UA110: no two airport codes and two times after it",)


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_never_raise(raw):
    result = extract_reservations(raw)
    assert result.reason is None or result.reason.startswith("no reservation found")


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=0, max_value=len(GOOD_EML)), st.binary(max_size=40))
def test_a_cut_or_corrupted_confirmation_never_raises(cut, noise):
    result = extract_reservations(GOOD_EML[:cut] + noise + GOOD_EML[cut + len(noise):])
    assert all(r["source"] == "email" for r in result.reservations)
