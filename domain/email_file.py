"""The CLI's door to extraction: a file on disk (.eml, or a bare .html/.ics/.json/.jsonld/.txt) -> reservations."""

from __future__ import annotations

from pathlib import Path

from domain.email_extraction import extract_document, extract_reservations

# The one function of the extractor that touches the disk: `faust -A faust_app extract-email PATH` calls it.
DOCUMENT_KINDS = {".html": "html", ".htm": "html", ".ics": "calendars", ".json": "jsonld", ".jsonld": "jsonld",
                  ".txt": "texts"}


def extract_file(path: str | Path) -> tuple[list[dict], list[str]]:
    """The reservations in the file, and notes: why anything was skipped or nothing found, cancellations seen."""
    path = Path(path)
    kind = DOCUMENT_KINDS.get(path.suffix.lower())
    if kind is None:
        result = extract_reservations(path.read_bytes())
    else:
        result = extract_document(path.read_text(encoding="utf-8", errors="replace"), kind)
    reasons = list(result.skipped) + ([result.reason] if result.reason else [])
    # A booking-wide cancellation has no reservation of its own; the CLI still has to say it was seen.
    reasons += [f"cancels every {c.kind or 'segment'} of booking {c.confirmation}" for c in result.cancellations]
    return result.reservations, reasons
