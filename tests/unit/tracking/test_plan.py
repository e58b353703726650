"""The poll timetable: once per cycle, spread evenly, retries keep their slot, a restart skips and repeats nothing."""

from __future__ import annotations

from collections import Counter

from domain.tracking import schedule
from domain.tracking.plan import PollPlan

CYCLE = 300.0
T0 = 1_800_000_000.0


def run(plan: PollPlan, start: float, end: float, step: float = 1.0, checkpoints: list | None = None) -> list:
    """Tick every ``step`` seconds; each poll answers at once. Returns (subject, slot, polled_at)."""
    polls = []
    now = start
    while now < end:
        for subject, slot in plan.take_due(now):
            polls.append((subject, slot, now))
            plan.done(subject, now)
        if checkpoints is not None:
            checkpoints.append(plan.watermark(now))
        now += step
    return polls


def subjects(n: int) -> list[str]:
    return [f"flight/LH/{i}/2026-12-01" for i in range(n)]


def test_every_subject_once_per_cycle_spread_evenly_without_a_start_burst():
    plan = PollPlan(CYCLE)
    for subject in subjects(3_000):
        plan.add(subject, T0)
    polls = [poll for poll in run(plan, T0, T0 + 2 * CYCLE + 1) if poll[1] < T0 + 2 * CYCLE]
    per_subject = Counter(subject for subject, _, _ in polls)
    assert set(per_subject.values()) == {2} and len(per_subject) == 3_000
    per_second = Counter(int(at - T0) for _, _, at in polls)
    assert max(per_second.values()) <= 3 * (3_000 / CYCLE)      # ~10 a second, never a burst
    assert per_second[0] <= 3 * (3_000 / CYCLE)
    for subject, slot, at in polls:
        assert 0 <= at - slot < 1.0                               # on its slot, to the tick
        assert slot == schedule.next_due(subject, CYCLE, slot)       # one of the subject's own slots


def test_a_poll_in_flight_keeps_its_slot_open_and_the_watermark_waits_for_it():
    plan = PollPlan(CYCLE)
    plan.add("hotel/h/1", T0)
    slot = plan.next_due("hotel/h/1")
    [(subject, taken_slot)] = plan.take_due(slot)
    assert taken_slot == slot and plan.watermark(slot + 5) == slot
    assert plan.take_due(slot + 20) == [] and plan.watermark(slot + 20) == slot
    plan.done(subject, slot + 21)
    assert plan.next_due(subject) == slot + CYCLE and plan.watermark(slot + 21) == slot + 21


def test_a_subject_removed_while_in_flight_is_not_rescheduled():
    plan = PollPlan(CYCLE)
    plan.add("hotel/h/1", T0)
    due = plan.next_due("hotel/h/1")
    plan.take_due(due)
    plan.remove("hotel/h/1")
    plan.done("hotel/h/1", due + 1)
    assert "hotel/h/1" not in plan and len(plan) == 0
    assert plan.watermark(due + 2) == due + 2


def test_after_a_crash_the_rebuilt_timetable_skips_nothing_and_repeats_only_the_last_checkpoint_interval():
    everyone = subjects(2_000)
    plan = PollPlan(CYCLE)
    for subject in everyone:
        plan.add(subject, T0)
    crash, restart, end = T0 + 400.0, T0 + 460.0, T0 + 1_200.0
    marks: list[float] = []
    before = run(plan, T0, crash, checkpoints=marks)
    watermark = marks[-3]                                          # the last checkpoint sent made it (2 s old)
    rebuilt = PollPlan(CYCLE)
    rebuilt.rebuild({s: T0 for s in everyone}, watermark, restart)
    after = run(rebuilt, restart, end)
    served = Counter((subject, slot) for subject, slot, _ in before + after)
    # Every slot from the first to the last full cycle was polled: the 60 s outage skipped nothing.
    for subject in everyone:
        first = schedule.next_due(subject, CYCLE, T0)
        for k in range(int((end - CYCLE - first) // CYCLE) + 1):
            assert served[(subject, first + k * CYCLE)] >= 1, (subject, k)
    # Only slots polled between the last checkpoint and the crash were polled twice.
    twice = [key for key, count in served.items() if count > 1]
    assert all(watermark <= slot < crash for _, slot in twice)
    assert len(twice) <= 2 * 2_000 / CYCLE * 3
    # The missed minute is caught up at the normal rate beside the regular polls, not all at once.
    per_second = Counter(int(at) for _, _, at in after)
    assert max(per_second.values()) <= 4 * 2_000 / CYCLE


def test_a_rebuild_without_a_checkpoint_starts_each_subject_at_its_next_slot():
    plan = PollPlan(CYCLE)
    plan.rebuild({"hotel/h/1": T0, "hotel/h/2": T0}, None, T0 + 10)
    for subject in ("hotel/h/1", "hotel/h/2"):
        assert plan.next_due(subject) == schedule.next_due(subject, CYCLE, T0 + 10)


def test_a_subject_that_joined_after_the_watermark_is_not_polled_for_slots_before_it_joined():
    plan = PollPlan(CYCLE)
    joined = T0 + 200
    plan.rebuild({"hotel/h/1": joined}, T0, T0 + 250)
    assert plan.next_due("hotel/h/1") >= min(schedule.next_due("hotel/h/1", CYCLE, joined), T0 + 250)
    assert plan.watermark(T0 + 250) <= T0 + 250


def test_the_watermark_is_now_when_nothing_is_open_and_never_ahead_of_now():
    plan = PollPlan(CYCLE)
    assert plan.watermark(T0) == T0
    plan.add("hotel/h/1", T0)
    assert plan.watermark(T0) <= T0
