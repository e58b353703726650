"""Instants as text: UTC with a Z, to the second or the millisecond, and read back."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.common.timestamps import epoch_iso, now_iso, to_utc, utc_iso

MILLIS = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")  # schemas/dead-letters.json
ZONES = [UTC, ZoneInfo("Asia/Kolkata"), timezone(timedelta(hours=-9, minutes=-30))]
AWARE = st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2200, 12, 31), timezones=st.sampled_from(ZONES))


def test_utc_iso_moves_to_utc_and_ends_in_z():
    moment = datetime(2025, 7, 1, 10, 0, 0, 999, tzinfo=ZoneInfo("Europe/Paris"))
    assert utc_iso(moment) == "2025-07-01T08:00:00Z"


def test_millis_keep_three_digits_even_when_they_are_zero():
    assert utc_iso(datetime(2025, 7, 1, 8, 0, 0, 123456, tzinfo=UTC), millis=True) == "2025-07-01T08:00:00.123Z"
    assert utc_iso(datetime(2025, 7, 1, 8, 0, tzinfo=UTC), millis=True) == "2025-07-01T08:00:00.000Z"


def test_now_is_stamped_to_the_millisecond():
    before = time.time()
    stamp = now_iso()
    assert MILLIS.match(stamp)
    assert before - 0.001 <= to_utc(stamp).timestamp() <= time.time()


def test_epoch_seconds_as_text():
    assert epoch_iso(1_796_130_000.0) == "2026-12-01T13:00:00Z"
    assert epoch_iso(1_796_130_000.25, millis=True) == "2026-12-01T13:00:00.250Z"


@pytest.mark.parametrize(("text", "instant"), [
    ("2025-07-01T08:00:00Z", datetime(2025, 7, 1, 8, tzinfo=UTC)),
    ("2025-07-01T08:00:00.123Z", datetime(2025, 7, 1, 8, 0, 0, 123000, tzinfo=UTC)),
    ("2025-07-01T10:00:00+02:00", datetime(2025, 7, 1, 8, tzinfo=UTC)),
])
def test_to_utc_reads_z_and_offsets(text, instant):
    assert to_utc(text) == instant
    assert to_utc(text).utcoffset() == timedelta(0)


def test_to_utc_refuses_a_time_without_offset():
    with pytest.raises(ValueError, match="no UTC offset"):
        to_utc("2025-07-01T10:00:00")


@given(AWARE, st.booleans())
def test_what_is_written_reads_back(moment, millis):
    kept = moment.replace(microsecond=moment.microsecond // 1000 * 1000 if millis else 0)
    # Compared in UTC: Python calls a local time the clocks skipped (Asia/Kolkata, 1942-09-01 00:00) unequal
    # to every instant of another zone (PEP 495), though astimezone maps it to one.
    assert to_utc(utc_iso(moment, millis=millis)) == kept.astimezone(UTC)
