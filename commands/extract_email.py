"""`faust -A faust_app extract-email PATH`: the reservations one message yields, as support staff see them.

PATH is a whole message (.eml) or a bare document (.html, .ics, .json/.jsonld, .txt). Prints a JSON array of
canonical reservations; exits 1 with the reasons on stderr when nothing could be extracted.
"""

from __future__ import annotations

import sys
from pathlib import Path

import orjson
from faust.cli import argument

from domain.mail.extract.reservations import extract_document, extract_reservations
from faust_app import app

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


@app.command(argument("path"))
async def extract_email(self, path: str) -> None:
    """Print the reservations extracted from one e-mail message as a JSON array."""
    try:
        reservations, reasons = extract_file(path)
    except OSError as exc:
        print(f"cannot read {path}: {exc.strerror}", file=sys.stderr)
        raise SystemExit(2) from None
    for reason in reasons:
        print(f"note: {reason}", file=sys.stderr)
    if not reservations:
        print("no reservation could be extracted from this message", file=sys.stderr)
        raise SystemExit(1)
    sys.stdout.write(orjson.dumps(reservations, option=orjson.OPT_INDENT_2).decode() + "\n")
