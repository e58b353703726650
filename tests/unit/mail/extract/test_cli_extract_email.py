"""`faust -A faust_app extract-email PATH` as support staff run it: JSON out, or a non-zero exit with reasons."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[4]
SAMPLES = ROOT.parent / "shared" / "data" / "reservation-samples" / "email-markup"


def run(path: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "ROADWARRIOR_STORE": "memory://"}
    return subprocess.run([sys.executable, "-m", "faust", "-A", "faust_app", "extract-email", str(path)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_a_confirmation_email_prints_canonical_reservations():
    done = run(SAMPLES / "flight_all_fields_email.eml")
    assert done.returncode == 0, done.stderr
    (reservation,) = json.loads(done.stdout)
    assert reservation["source"] == "email" and reservation["confirmation"] == "RXJ34P"
    assert (reservation["flight"]["from"], reservation["flight"]["to"]) == ("SFO", "JFK")
    assert reservation["start"] == "2027-03-04T20:15:00-08:00" and reservation["end"] == "2027-03-05T06:30:00-05:00"


def test_a_message_without_reservations_exits_non_zero_with_the_reason(tmp_path):
    note = tmp_path / "note.eml"
    note.write_bytes(b"From: friend@example.com\r\nSubject: lunch?\r\n\r\nSee you at noon.\r\n")
    done = run(note)
    assert done.returncode == 1 and done.stdout == ""
    assert "no reservation could be extracted" in done.stderr


def test_a_missing_file_is_a_clear_error(tmp_path):
    done = run(tmp_path / "absent.eml")
    assert done.returncode == 2 and "cannot read" in done.stderr
