"""What the notifier does with one change (or one clock tick) for one user: the rules of domain/notify put together.

The in-app feed hears of every change at once: a burst to one reservation is one feed entry, updated in
place while the burst lasts (its ID is the burst's first change's). The channels that interrupt (e-mail,
push, Web Push) get the burst as one message when its window closes (at once when it turns critical),
and wait out the user's quiet hours unless it is critical. A change ID seen before does nothing.

The state kept per user (JSON, for a table): ``{"batches": {reservation ID: collapse state},
"touched": {reservation ID: when}, "held": [{"batch", "channels", "release_at"}]}``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from domain.common.timestamps import to_utc, utc_iso
from domain.common.words import Words
from domain.notify import collapse
from domain.notify.locales import Lang, resolve
from domain.notify.notification import Notification, compose_for
from domain.notify.prefs import decide

MAX_RESERVATIONS = 200  # idle reservations remembered per user (their seen change IDs stop replays)
MAX_HELD = 50  # bursts held through one night; a user with more hears the latest


@dataclass(frozen=True)
class Audience:
    """Who hears: preferences, zone and language, where each delivery channel sends, and the catalogs the
    words come from (runtime/i18n.py translators)."""

    prefs: dict | None
    time_zone: str
    locale: str | None
    targets: dict[str, list[dict]] = field(default_factory=dict)
    catalogs: Mapping[str, Words] = field(kw_only=True)


@dataclass(frozen=True)
class Delivery:
    """A notification for an interrupting channel, and when its first change was detected (for latency)."""

    notification: Notification
    detected_at: str | None


@dataclass(frozen=True)
class Plan:
    """The new state, web notifications for the feed, notifications to deliver, and when to look again."""

    state: dict
    feed: list[Delivery] = field(default_factory=list)
    deliveries: list[Delivery] = field(default_factory=list)
    due: datetime | None = None


def empty() -> dict:
    return {"batches": {}, "touched": {}, "held": []}


def on_change(state: dict | None, change: dict, audience: Audience, now: datetime,
              window: timedelta = collapse.WINDOW) -> Plan:
    state = state or empty()
    rid = change["reservation_id"]
    previous = state["batches"].get(rid)
    if previous is not None and change["change_id"] in previous["seen"]:
        return Plan(state, due=due_at(state, window))  # redelivered: it was handled the first time
    batch_state, ready = collapse.add(previous, change, now, window)
    state = _remember(state, rid, batch_state, now)
    joined = batch_state["pending"] or next((b for b in ready if change["change_id"] in b["change_ids"]), None)
    feed = _feed(joined, audience, now) if joined else []
    deliveries: list[Delivery] = []
    for batch in ready:
        state, out = _route(state, batch, audience, now)
        deliveries += out
    return Plan(state, feed, deliveries, due_at(state, window))


def on_tick(state: dict | None, audience: Audience, now: datetime, window: timedelta = collapse.WINDOW) -> Plan:
    """Close bursts whose window has passed and release what quiet hours held, as of ``now``."""
    state = state or empty()
    deliveries: list[Delivery] = []
    for rid, batch_state in list(state["batches"].items()):
        batch_state, ready = collapse.flush_due(batch_state, now, window)
        if ready:
            state = {**state, "batches": {**state["batches"], rid: batch_state}}
        for batch in ready:
            state, out = _route(state, batch, audience, now)
            deliveries += out
    held, state = state["held"], {**state, "held": []}
    for item in held:
        if to_utc(item["release_at"]) > now:
            state["held"].append(item)
        else:
            state, out = _route(state, item["batch"], audience, now, only=set(item["channels"]))
            deliveries += out
    return Plan(state, [], deliveries, due_at(state, window))


def due_at(state: dict | None, window: timedelta = collapse.WINDOW) -> datetime | None:
    """The next moment a tick has work: a burst's window closing or quiet hours ending."""
    if not state:
        return None
    moments = [collapse.due_at(s, window) for s in state["batches"].values()]
    moments += [to_utc(item["release_at"]) for item in state["held"]]
    return min((m for m in moments if m is not None), default=None)


def _feed(batch: dict, audience: Audience, now: datetime) -> list[Delivery]:
    if "web" not in decide(audience.prefs, audience.time_zone, batch, now).send:
        return []
    return [Delivery(n, batch.get("detected_at")) for n in compose_for(batch, ["web"], {}, _lang(audience), now)]


def _route(state: dict, batch: dict, audience: Audience, now: datetime,
           only: set[str] | None = None) -> tuple[dict, list[Delivery]]:
    """Deliver a finished burst to the interrupting channels its severity enables; hold what quiet hours hold."""
    decision = decide(audience.prefs, audience.time_zone, batch, now)
    send = [c for c in decision.send if c != "web" and (only is None or c in only)]
    held = [c for c in decision.held if only is None or c in only]
    if held:
        item = {"batch": batch, "channels": held, "release_at": utc_iso(decision.release_at)}
        state = {**state, "held": (state["held"] + [item])[-MAX_HELD:]}
    if not send:
        return state, []
    out = compose_for(batch, send, audience.targets, _lang(audience), now)
    return state, [Delivery(n, batch.get("detected_at")) for n in out]


def _remember(state: dict, rid: str, batch_state: dict, now: datetime) -> dict:
    batches = {**state["batches"], rid: batch_state}
    touched = {**state["touched"], rid: utc_iso(now)}
    idle = sorted((when, key) for key, when in touched.items() if batches[key]["pending"] is None)
    for _, key in idle[:max(0, len(batches) - MAX_RESERVATIONS)]:
        del batches[key], touched[key]
    return {**state, "batches": batches, "touched": touched}


def _lang(audience: Audience) -> Lang:
    prefs = audience.prefs if isinstance(audience.prefs, dict) else {}
    return resolve(prefs.get("locale") or audience.locale, audience.catalogs)
