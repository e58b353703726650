"""The delivery ledger: what became of each notification ID, per user, so no job reaches anyone twice.

A ledger is ``{notification ID: entry}``; an entry's ``status`` is ``sending`` (claimed: the channel may
be talking to the provider now), ``retrying`` (failed, tried again at ``retry_at``), or final: ``sent``,
``failed`` (dead-lettered) or ``unknown``. ``unknown`` is a claim found after a crash or a handover with no
outcome: the message may or may not have gone out, and sending it again could make it twice, so it is not.
"""

from __future__ import annotations

from domain.common.timestamps import to_utc

FINAL = ("sent", "failed", "unknown")
MAX_FINAL = 500  # final entries kept per user; a replay older than that is far outside any redelivery
SCHEMA_VERSION = 1


def claim(entry: dict | None, job: dict, in_flight: bool, now: str) -> tuple[str, dict | None]:
    """What to do with a delivery job: ``send`` (with the claim to store first), ``skip``, or ``interrupted``.

    ``in_flight`` says this process is sending that notification right now.
    """
    if entry is None or (entry["status"] == "retrying" and job["attempt"] > entry["attempt"]):
        return "send", _entry(job, "sending", now, entry)
    if entry["status"] == "sending" and not in_flight and job["attempt"] >= entry["attempt"]:
        return "interrupted", {**_final(entry), "status": "unknown", "updated_at": now,
                               "reason": "interrupted: the worker stopped while delivering"}
    return "skip", None


def settle(entry: dict | None, result: dict, now: str) -> dict | None:
    """The entry after a delivery's outcome; None for an outcome already recorded or from an old attempt."""
    if entry is None or entry["attempt"] != result["attempt"] or entry["status"] in ("sent", "failed"):
        return None
    outcome = result["outcome"]
    if entry["status"] == "retrying" or (entry["status"] == "unknown" and outcome == "retry"):
        return None
    base = {**entry, "updated_at": now, "reason": result.get("reason"), "provider_id": result.get("provider_id"),
            "finished_at": result.get("finished_at")}
    if outcome == "retry":
        return {**base, "status": "retrying", "retry_at": result["retry_at"]}
    return {**_final(base), "status": "sent" if outcome == "sent" else "failed"}


def record(entry: dict, user_id: str, notification_id: str) -> dict:
    """The notifications-sent message for the entry's latest outcome (schemas/notifications-sent.json)."""
    status = {"retrying": "retried"}.get(entry["status"], entry["status"])
    finished = entry.get("finished_at") or entry["updated_at"]
    return {
        "schema_version": SCHEMA_VERSION,
        "notification_id": notification_id,
        "user_id": user_id,
        "reservation_id": entry["reservation_id"],
        "change_ids": entry["change_ids"],
        "channel": entry["channel"],
        "status": status,
        "attempt": entry["attempt"],
        "reason": entry.get("reason"),
        "provider_message_id": entry.get("provider_id"),
        "detected_at": entry.get("detected_at"),
        "notified_at": entry.get("created_at"),
        "finished_at": finished,
        "latency_ms": latency_ms(entry.get("detected_at"), finished),
    }


def latency_ms(start: str | None, end: str | None) -> int | None:
    if not start or not end:
        return None
    try:
        return int((to_utc(end) - to_utc(start)).total_seconds() * 1000)
    except ValueError:
        return None


def pending(ledger: dict | None) -> list[tuple[str, dict]]:
    """Entries still waiting on something: retries to make, claims to resolve."""
    return [(nid, entry) for nid, entry in (ledger or {}).items() if entry["status"] not in FINAL]


def prune(ledger: dict) -> dict:
    """The ledger with at most MAX_FINAL final entries (the oldest go); nothing pending is ever dropped."""
    final = sorted((entry["updated_at"], nid) for nid, entry in ledger.items() if entry["status"] in FINAL)
    if len(final) <= MAX_FINAL:
        return ledger
    gone = {nid for _, nid in final[:len(final) - MAX_FINAL]}
    return {nid: entry for nid, entry in ledger.items() if nid not in gone}


def retry_job(entry: dict) -> dict:
    """The next attempt's delivery job."""
    return {**entry["job"], "attempt": entry["attempt"] + 1}


def _entry(job: dict, status: str, now: str, previous: dict | None) -> dict:
    notification = job["notification"]
    return {"status": status, "channel": notification["channel"], "attempt": job["attempt"],
            "reservation_id": notification["reservation_id"], "change_ids": list(notification["change_ids"]),
            "created_at": notification["created_at"], "detected_at": job.get("detected_at"),
            "first_tried_at": (previous or {}).get("first_tried_at", now), "updated_at": now, "job": job}


def _final(entry: dict) -> dict:
    # The notification (with its target) is needed only for another attempt.
    return {k: v for k, v in entry.items() if k not in ("job", "retry_at")}
