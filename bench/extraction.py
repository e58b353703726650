"""Prints how many confirmation e-mails per second extract_reservations reads. Run: python -m bench.extraction."""

from __future__ import annotations

import argparse
import time
from email.message import EmailMessage
from pathlib import Path

from domain.mail.extract.reservations import extract_reservations

SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "data" / "reservation-samples"
ATTACHED = {".ics": ("text", "calendar"), ".jsonld": ("application", "ld+json"), ".json": ("application", "ld+json")}
JSON_INPUTS = ("*.in.json", "*.pre.json", "*.lhs.json", "*.rhs.json", "*.jsonld")


def sample_messages(root: Path = SAMPLES) -> list[bytes]:
    """Every sample as a raw message: .eml as it is, markup, calendars and texts wrapped into one."""
    paths = sorted({*root.rglob("*.eml"), *root.rglob("*.html"), *root.rglob("*.ics"), *root.rglob("*.txt"),
                    *(p for pattern in JSON_INPUTS for p in root.rglob(pattern))})
    return [p.read_bytes() if p.suffix == ".eml" else _wrap(p) for p in paths if "provider-apis" not in p.parts
            and not p.name.startswith("LICENSE")]


def _wrap(path: Path) -> bytes:
    message = EmailMessage()
    message["From"], message["Subject"] = "bookings@example.com", path.name
    message["Date"] = "Tue, 14 Sep 2021 17:00:00 +0200"
    content = path.read_text(encoding="utf-8")
    if path.suffix == ".html":
        message.set_content("See the HTML part.")
        message.add_alternative(content, subtype="html")
    elif path.suffix in ATTACHED:
        message.set_content("Your booking is attached.")
        maintype, subtype = ATTACHED[path.suffix]
        message.add_attachment(content.encode(), maintype=maintype, subtype=subtype, filename=path.name)
    else:
        message.set_content(content)
    return message.as_bytes()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=3.0, help="how long to keep extracting")
    args = parser.parse_args()
    messages = sample_messages()
    found = sum(len(extract_reservations(m).extracted) for m in messages)  # warm-up: imports, airport tables
    done, started = 0, time.perf_counter()
    while time.perf_counter() - started < args.seconds:
        for message in messages:
            extract_reservations(message)
        done += len(messages)
    elapsed = time.perf_counter() - started
    print(f"{len(messages)} sample messages ({found} reservations): {done} extracted in {elapsed:.2f} s, "
          f"{done / elapsed:.0f} messages/second ({1000 * elapsed / done:.2f} ms each)")


if __name__ == "__main__":
    main()
