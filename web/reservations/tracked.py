"""What tracking knows of one reservation, for GET /api/v1/reservations/{id}: tracked, trusted, last checked."""

from __future__ import annotations

from agents.tracking.detect_changes import checks
from domain.common.timestamps import epoch_iso
from domain.tracking.checks import last_checked
from tables.tracking import tracking
from web.apidoc import TIME, nullable


def tracking_of(reservation_id: str) -> dict:
    """What tracking knows of the reservation, read on this worker: the tracking table is keyed by reservation
    ID like the reservations table, and the diff stage that saw its provider's last answer runs here too."""
    record = tracking.get(reservation_id)
    checked = last_checked(record, checks.of(record["subject"]) if record else None)
    return {"tracked": record is not None, "verification": record.get("verification") if record else None,
            "last_checked_at": epoch_iso(checked) if checked is not None else None}


TRACKING = {"type": "object", "required": ["tracked", "verification", "last_checked_at"], "properties": {
    "tracked": {"type": "boolean", "description": "whether a provider is asked about it every cycle"},
    "verification": {"enum": ["unverified", "verified", "unverifiable", None],
                     "description": "whether the provider found the booking"},
    "last_checked_at": {**nullable(TIME), "description": "when its provider last answered about it; null before "
                        "the first answer. Until a restarted worker sees the next cycle's answer: the time of the "
                        "last answer that changed something"}}}
