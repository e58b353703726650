"""Digits other than ASCII ones ("²") are not numbers: a 400 or "absent", never int()'s ValueError (a 500)."""

from __future__ import annotations

import pytest

from domain import notify_feed, tracking_history
from domain.errors import ValidationError
from domain.numbers import is_decimal, query_int
from integrations.providers.http import parse_retry_after


@pytest.mark.parametrize("text, expected", [("0", True), ("42", True), ("²", False), ("4²", False), ("", False),
                                            ("-1", False), (" 1", False)])
def test_only_ascii_digits_are_decimal(text, expected):
    assert is_decimal(text) is expected


def test_a_query_int_is_absent_a_number_or_a_named_error():
    assert query_int(None, "limit", 20) == 20
    assert query_int("7", "limit", 20) == 7
    with pytest.raises(ValidationError) as error:
        query_int("²", "cursor", None)
    assert error.value.errors == [{"field": "cursor", "message": "must be a positive integer"}]


def test_superscripts_in_pages_feeds_and_retry_after_are_refused_not_crashed():
    with pytest.raises(ValidationError):
        tracking_history.page(None, None, "²")
    assert notify_feed.parse_seq("²") is None
    assert parse_retry_after("²") is None
    assert parse_retry_after("30") == 30.0
