"""Tracking (agents/tracking/): how often providers are asked, and how joins and checkpoints are batched."""

from __future__ import annotations

from dataclasses import dataclass

from runtime.settings.fields import at_least, number, setting


@dataclass(frozen=True)
class Tracking:
    """Every tracked subject is asked once per cycle; an ended reservation stops being tracked after a grace."""

    cycle_s: float = setting(
        "ROADWARRIOR_TRACKING_CYCLE_S", 300.0, number, doc="how often every tracked reservation's provider is asked")
    grace_s: float = setting(
        "ROADWARRIOR_TRACKING_GRACE_S", 6 * 3600.0, number,
        doc="how long after a reservation ends (or starts, without an end) it is still tracked")
    join_batch: int = setting(
        "ROADWARRIOR_TRACKING_JOIN_BATCH", 1_000, at_least(1),
        doc="reservation events `track_reservations` takes at a time (at least 1); their subject joins leave as "
            "one message per partition")
    join_wait_s: float = setting(
        "ROADWARRIOR_TRACKING_JOIN_WAIT_S", 0.05, number,
        doc="how long `track_reservations` waits for more events to fill a batch")
    tick_s: float = setting(
        "ROADWARRIOR_TRACKING_TICK_S", 0.25, number, doc="how often the poller takes the subjects that are due")
    checkpoint_s: float = setting(
        "ROADWARRIOR_TRACKING_CHECKPOINT_S", 2.0, number,
        doc="how often the poller's watermark is checkpointed; a restart polls at most this much again")
    flight_provider: str | None = setting(
        "ROADWARRIOR_FLIGHT_PROVIDER", None, doc="the provider asked about flights whose reservation names none")
