"""Retry-After headers: delay-seconds or an HTTP-date, anything else absent."""

import pytest

from domain.common.retry import parse_retry_after

NOW = 1_796_130_000.0  # 2026-12-01T13:00:00Z


@pytest.mark.parametrize(("header", "seconds"), [
    ("120", 120.0), (" 7 ", 7.0), ("0", 0.0), ("007", 7.0),
    ("Tue, 01 Dec 2026 13:02:00 GMT", 120.0),
    ("Tuesday, 01-Dec-26 13:00:30 GMT", 30.0),
    ("Tue Dec  1 13:01:00 2026", 60.0),
    ("Tue, 01 Dec 2026 12:00:00 GMT", 0.0),
    (None, None), ("", None), (" ", None), ("soon", None), ("-5", None), ("1.5", None), ("1.5e3", None),
    ("١٢", None), ("²", None), ("9" * 5000, None),
])
def test_parse_retry_after(header, seconds):
    assert parse_retry_after(header, NOW) == seconds
