"""Notification preferences and the rule deciding which channels hear about a change, and when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.common.errors import FieldErrors
from domain.notify.quiet import QuietHours, parse_hh_mm, quiet_until

CHANNELS = ("web", "email", "push", "webpush")
SEVERITIES = ("critical", "major", "info")
# The in-app feed makes no sound, so quiet hours never hold it back.
SILENT_CHANNELS = frozenset({"web"})
DEFAULTS = {
    "channels": {
        "web": {"critical": True, "major": True, "info": True},
        "email": {"critical": True, "major": True, "info": False},
        "push": {"critical": True, "major": True, "info": False},
        "webpush": {"critical": True, "major": False, "info": False},
    },
    "quiet_hours": {"start": "22:00", "end": "07:00"},
    "locale": None,  # None: the user's profile locale
    # The previous year's summary on 1 January (agents/reports/mail_year_summaries.py): off until the
    # traveller asks, as a mail nobody asked for should be (GDPR's consent for what is not the service itself).
    "year_summary": False,
}


@dataclass(frozen=True)
class Decision:
    """Channels to send to now, channels held by quiet hours, and when the hold ends (UTC)."""

    send: tuple[str, ...]
    held: tuple[str, ...] = ()
    release_at: datetime | None = None


def decide(prefs: dict | None, user_tz: str, change: dict, now: datetime) -> Decision:
    """Which channels get ``change`` at ``now``: those enabled for its severity, minus the noisy ones in quiet hours.

    Critical changes go through quiet hours. ``user_tz`` is the user's IANA zone (UTC when unknown).
    """
    settings = effective(prefs)
    level = severity_of(change)
    wanted = tuple(c for c in CHANNELS if settings["channels"][c][level])
    release = None
    if level != "critical":
        release = quiet_until(QuietHours.parse(settings["quiet_hours"]), user_tz, now)
    if release is None:
        return Decision(wanted)
    held = tuple(c for c in wanted if c not in SILENT_CHANNELS)
    send = tuple(c for c in wanted if c in SILENT_CHANNELS)
    return Decision(send, held, release if held else None)


def severity_of(change: dict) -> str:
    # An unknown severity is read as major: neither silenced like info nor waking anyone like critical.
    value = change.get("severity")
    return value if value in SEVERITIES else "major"


def effective(raw: dict | None) -> dict:
    """Stored preferences laid over the defaults; anything malformed keeps its default."""
    raw = raw if isinstance(raw, dict) else {}
    given = raw.get("channels") if isinstance(raw.get("channels"), dict) else {}
    channels = {}
    for name, defaults in DEFAULTS["channels"].items():
        mine = given.get(name) if isinstance(given.get(name), dict) else {}
        channels[name] = {s: mine[s] if isinstance(mine.get(s), bool) else defaults[s] for s in SEVERITIES}
    quiet = raw.get("quiet_hours", DEFAULTS["quiet_hours"])
    if quiet is not None and QuietHours.parse(quiet) is None:
        quiet = DEFAULTS["quiet_hours"]
    locale = raw.get("locale") if isinstance(raw.get("locale"), str) else None
    year_summary = raw.get("year_summary") is True
    return {"channels": channels, "quiet_hours": quiet, "locale": locale, "year_summary": year_summary}


def parse_preferences(raw: object) -> dict:
    """Check preferences a user sent (all fields optional); return them over the defaults or raise ValidationError."""
    errors = FieldErrors()
    if not isinstance(raw, dict):
        errors.add("", "must be an object")
        errors.raise_if_any()
    for name in sorted(set(raw) - set(DEFAULTS)):
        errors.add(name, "unknown field")
    _check_channels(raw.get("channels", {}), errors)
    _check_quiet(raw.get("quiet_hours"), errors)
    locale = raw.get("locale")
    if locale is not None and (not isinstance(locale, str) or not 2 <= len(locale) <= 35):
        errors.add("locale", "must be a language tag such as en, es-MX or pt_BR")
    if not isinstance(raw.get("year_summary", False), bool):
        errors.add("year_summary", "must be true or false")
    errors.raise_if_any()
    return effective(raw)


def _check_channels(channels: object, errors: FieldErrors) -> None:
    if not isinstance(channels, dict):
        errors.add("channels", "must be an object")
        return
    for name, levels in channels.items():
        if name not in CHANNELS:
            errors.add(f"channels.{name}", f"must be one of {', '.join(CHANNELS)}")
        elif not isinstance(levels, dict):
            errors.add(f"channels.{name}", "must be an object of severities")
        else:
            for level, on in levels.items():
                if level not in SEVERITIES or not isinstance(on, bool):
                    errors.add(f"channels.{name}.{level}", f"must be one of {', '.join(SEVERITIES)} with true or false")


def _check_quiet(quiet: object, errors: FieldErrors) -> None:
    if quiet is None:
        return
    if not isinstance(quiet, dict) or set(quiet) != {"start", "end"}:
        errors.add("quiet_hours", "must be null or {start, end}")
        return
    for end in ("start", "end"):
        if parse_hh_mm(quiet[end]) is None:
            errors.add(f"quiet_hours.{end}", "must be a 24-hour time HH:MM")
    if quiet["start"] == quiet["end"]:
        errors.add("quiet_hours", "start and end must differ (use null for no quiet hours)")
