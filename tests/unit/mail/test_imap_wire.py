"""IMAP wire details: FETCH responses as aioimaplib delivers them, response codes, SEARCH criteria."""

from __future__ import annotations

from integrations.mail.imap_wire import FetchItem, fetch_items, imap_date, response_code, search_terms


def test_fetch_items_pair_each_message_with_its_literal_wherever_the_server_puts_the_uid():
    lines = [
        b"1 FETCH (UID 7 RFC822.SIZE 131 BODY[HEADER.FIELDS (FROM)] {24}", bytearray(b"From: a@united.com\r\n\r\n\r\n"),
        b")",
        b"2 FETCH (BODY[HEADER.FIELDS (FROM)] {4}", bytearray(b"\r\n\r\n"), b" UID 9 RFC822.SIZE 77)",
        b"3 FETCH (FLAGS (\\Seen))",  # unsolicited: no UID, dropped
        b'4 FETCH (UID 11 RFC822.SIZE 5 BODY[HEADER.FIELDS (FROM)] "From: \\"x\\" <b@c.com>")',
        b"5 FETCH (UID 12 BODY[] NIL)",
        b"Fetch completed (0.001 + 0.000 secs).",
    ]
    assert fetch_items(lines) == [
        FetchItem(7, 131, b"From: a@united.com\r\n\r\n\r\n"),
        FetchItem(9, 77, b"\r\n\r\n"),
        FetchItem(11, 5, b'From: "x" <b@c.com>'),
        FetchItem(12, None, None),
    ]


def test_response_codes_come_from_the_tagged_line():
    assert response_code([b"[AUTHENTICATIONFAILED] Authentication failed."]) == "AUTHENTICATIONFAILED"
    assert response_code([b"* something", b"[UNAVAILABLE] Try later"]) == "UNAVAILABLE"
    assert response_code([b"Logged in"]) is None and response_code([]) is None


def test_search_terms_or_together_quoted_from_criteria_in_chunks():
    assert search_terms(["a.com"]) == ['FROM "a.com"']
    assert search_terms(["a.com", "b.com", 'odd"\\x']) == ['OR OR FROM "a.com" FROM "b.com" FROM "odd\\"\\\\x"']
    chunks = search_terms([f"d{n}.com" for n in range(60)], chunk=25)
    assert [c.count("FROM") for c in chunks] == [25, 25, 10] and [c.count("OR ") for c in chunks] == [24, 24, 9]
    assert search_terms([]) == []


def test_imap_dates_use_english_months():
    assert imap_date(2025, 3, 1) == "1-Mar-2025" and imap_date(2024, 12, 31) == "31-Dec-2024"
