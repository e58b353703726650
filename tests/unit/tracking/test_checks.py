""""Last checked": the latest provider answer about a subject, remembered as snapshots go by, never invented."""

from __future__ import annotations

from domain.tracking.checks import LastChecks, last_checked

SUBJECT = "flight/LH/400/2027-03-01"


def test_the_latest_answer_about_a_subject_is_remembered_and_an_older_one_does_not_move_it_back():
    checks = LastChecks(keep_s=600)
    checks.seen({SUBJECT: {"fetched_at": 1_000.0, "outcome": "found"}}, now=1_000.0)
    checks.seen({SUBJECT: {"fetched_at": 900.0, "outcome": "found"}}, now=1_001.0)   # a replay
    assert checks.of(SUBJECT) == 1_000.0
    checks.seen({SUBJECT: {"fetched_at": 1_300.0, "outcome": "not_found"}}, now=1_300.0)
    assert checks.of(SUBJECT) == 1_300.0
    assert checks.of("flight/LH/401/2027-03-01") is None and checks.of(None) is None


def test_subjects_no_longer_polled_are_dropped_after_keep_s():
    checks = LastChecks(keep_s=600)
    checks.seen({"old": {"fetched_at": 100.0}}, now=100.0)
    checks.seen({SUBJECT: {"fetched_at": 800.0}}, now=800.0)
    assert checks.of("old") is None and checks.of(SUBJECT) == 800.0 and len(checks) == 1


def test_a_rebalance_forgets_everything():
    checks = LastChecks(keep_s=600)
    checks.seen({SUBJECT: {"fetched_at": 100.0}}, now=100.0)
    checks.forget()
    assert checks.of(SUBJECT) is None


def test_last_checked_is_the_later_of_the_remembered_answer_and_the_records_fetch():
    record = {"subject": SUBJECT, "fetched_at": 500.0}
    assert last_checked(record, 900.0) == 900.0
    assert last_checked(record, None) == 500.0   # after a restart: older, but a real answer
    assert last_checked({"subject": SUBJECT, "fetched_at": None}, None) is None   # never answered yet
    assert last_checked(None, 900.0) is None   # not tracked
