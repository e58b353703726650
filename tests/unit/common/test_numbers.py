"""Digits other than ASCII ones ("²"), or too many of them, are not numbers: a 400 or "absent", never int()'s
ValueError (a 500)."""

from __future__ import annotations

import pytest

from domain.common.errors import ValidationError
from domain.common.numbers import query_int, whole_number
from domain.common.retry import parse_retry_after
from domain.notify import feed as notify_feed
from domain.tracking import history
from domain.tracking.flight_status import normalise


@pytest.mark.parametrize("text, expected", [("0", 0), ("42", 42), ("007", 7), ("²", None), ("4²", None),
                                            ("", None), ("-1", None), (" 1", None), ("9" * 18, int("9" * 18)),
                                            ("0" * 5000 + "1", 1), ("9" * 19, None), ("9" * 5000, None)])
def test_only_ascii_digits_of_a_sane_length_are_whole_numbers(text, expected):
    assert whole_number(text) == expected


def test_a_query_int_is_absent_a_number_or_a_named_error():
    assert query_int(None, "limit", 20) == 20
    assert query_int("7", "limit", 20) == 7
    with pytest.raises(ValidationError) as error:
        query_int("²", "cursor", None)
    assert error.value.errors == [{"field": "cursor", "message": "must be a positive integer"}]


def test_superscripts_in_pages_feeds_and_retry_after_are_refused_not_crashed():
    with pytest.raises(ValidationError):
        history.page(None, None, "²")
    assert notify_feed.parse_seq("²") is None
    assert parse_retry_after("²", 0.0) is None
    assert parse_retry_after("30", 0.0) == 30.0


def test_five_thousand_digits_are_refused_not_crashed():
    # int() raises ValueError past 4,300 digits; a query string or header can carry more.
    many = "9" * 5000
    with pytest.raises(ValidationError):
        history.page(None, many, None)
    with pytest.raises(ValidationError):
        notify_feed.page(None, None, None, many)
    assert notify_feed.parse_seq(many) is None
    assert parse_retry_after(many, 0.0) is None
    assert normalise(many) == "unknown"


def test_an_empty_query_value_is_absent():
    # ?cursor=&limit= as a form sends them: the defaults, not a 422.
    assert query_int("", "limit", 20) == 20
    assert query_int("", "cursor", None) is None
