"""Collapsing: changes to one reservation arriving within a short window go out as one message."""

from __future__ import annotations

from datetime import datetime, timedelta

from domain.common.timestamps import to_utc, utc_iso

WINDOW = timedelta(minutes=2)
REMEMBERED_CHANGES = 64
RANK = {"info": 0, "major": 1, "critical": 2}


def empty() -> dict:
    """The state kept per reservation (JSON-safe, for a table): the batch being gathered, when its window
    opened, and the change IDs already taken, so a redelivered change is never counted twice.

    A batch is shaped like a change event plus ``change_ids``; its ``change_id`` is its first change's.
    """
    return {"pending": None, "opened_at": None, "seen": []}


def add(state: dict | None, change: dict, now: datetime, window: timedelta = WINDOW) -> tuple[dict, list[dict]]:
    """Take ``change`` into its reservation's batch; return the new state and the batches ready to send.

    A batch is ready when its window has passed, or at once when it turns critical (a cancellation
    should not wait for company).
    """
    state = state or empty()
    if change["change_id"] in state["seen"]:
        return state, []
    state, ready = flush_due(state, now, window)
    state = {
        "pending": _merge(state["pending"], change),
        "opened_at": state["opened_at"] or utc_iso(now),
        "seen": (state["seen"] + [change["change_id"]])[-REMEMBERED_CHANGES:],
    }
    if state["pending"]["severity"] == "critical":
        state, batch = _close(state)
        ready += batch
    return state, ready


def flush_due(state: dict | None, now: datetime, window: timedelta = WINDOW) -> tuple[dict, list[dict]]:
    """Close the batch if its window has passed by ``now`` (call from a timer)."""
    state = state or empty()
    due = due_at(state, window)
    if due is None or now < due:
        return state, []
    return _close(state)


def due_at(state: dict | None, window: timedelta = WINDOW) -> datetime | None:
    """When the pending batch is due (UTC), or None when nothing is pending."""
    if not state or state["pending"] is None:
        return None
    return to_utc(state["opened_at"]) + window


def _close(state: dict) -> tuple[dict, list[dict]]:
    batch = _finish(state["pending"])
    return {"pending": None, "opened_at": None, "seen": state["seen"]}, [batch] if batch else []


def _merge(batch: dict | None, change: dict) -> dict:
    items = [dict(item) for item in change.get("changes", [])]
    if batch is None:
        return {**change, "change_ids": [change["change_id"]], "changes": items,
                "severity": _level(change.get("severity"))}
    by_path = {item["path"]: item for item in batch["changes"]}
    for item in items:
        earlier = by_path.get(item["path"])
        if earlier is None:
            by_path[item["path"]] = item
        else:  # the first old value and the last new value tell the whole story
            by_path[item["path"]] = {**item, "old": earlier.get("old"),
                                     "severity": _max(earlier.get("severity"), item.get("severity"))}
    return {
        **batch,
        "change_ids": batch["change_ids"] + [change["change_id"]],
        "severity": _max(batch["severity"], change.get("severity")),
        "changes": list(by_path.values()),
        "reservation": change.get("reservation") or batch.get("reservation"),
        "provider_changed_at": change.get("provider_changed_at") or batch.get("provider_changed_at"),
    }


def _finish(batch: dict) -> dict | None:
    """The batch as sent: changes that went back to where they started are dropped, and so is a batch of only those."""
    net = [item for item in batch["changes"] if item.get("old") != item.get("new")]
    if len(net) == len(batch["changes"]):
        return batch
    if not net:
        return None
    levels = [item["severity"] for item in net if item.get("severity") in RANK]
    severity = max(levels, key=RANK.__getitem__) if levels else batch["severity"]
    return {**batch, "changes": net, "severity": severity}


def _level(value: object) -> str:
    return value if value in RANK else "major"


def _max(a: object, b: object) -> str:
    return max(_level(a), _level(b), key=RANK.__getitem__)
