"""The 1 January mail and push: when a traveller's previous year is due, and the notifications that tell it.

Due once the traveller's own clock reads 1 January (Tokyo hears hours before New York), for the year that
just ended, during the first week of January (a worker down on the day catches up; later it is stale news).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from domain.common.places import zone_info
from domain.common.timestamps import utc_iso
from domain.common.words import N_
from domain.notify.html import html_body
from domain.notify.locales import Lang
from domain.notify.notification import NAMESPACE, TRANSPORTS, Notification
from domain.notify.prefs import effective
from domain.notify.quiet import QuietHours, quiet_until
from domain.reports.figures import headline

CATCH_UP_DAYS = 7
LIFETIME = timedelta(days=7)
CHANNELS = ("email", "push", "webpush")   # the preference channels that carry it, to every registered device
WORDS = {
    "title": N_("Your %(year)s in travel"),
    "summary": N_("Your year in travel is ready. %(figures)s"),
    "action": N_("See your year, its charts and a card to share: %(link)s"),
    "footer": N_("You get this once a year because you asked for it in your notification settings."),
}


def due_year(zone: str | None, now: datetime, prefs: dict | None = None) -> int | None:
    """The year to mail at ``now`` for a traveller in ``zone``: last year in their first week of January,
    once their quiet hours (``prefs``, the notification preferences) are over: no phone buzzes at midnight."""
    local = now.astimezone(zone_info(zone or "UTC"))
    if not (local.month == 1 and local.day <= CATCH_UP_DAYS):
        return None
    if quiet_until(QuietHours.parse(effective(prefs)["quiet_hours"]), zone or "UTC", now) is not None:
        return None
    return local.year - 1


def maybe_due(now: datetime) -> bool:
    """Whether any zone on Earth (UTC-12 to UTC+14) can be in its first week of January at ``now``: the timer
    looks at nobody the rest of the year."""
    return any(due_year("Etc/GMT" + offset, now, {"quiet_hours": None}) is not None for offset in ("+12", "-14"))


def worth_telling(summary: dict) -> bool:
    """A year with nothing in it is not mailed: "0 trips" is no news."""
    return any(summary.get(key) for key in ("trips", "flights", "hotel_nights", "car_rental_days"))


def notification_id(user_id: str, year: int, channel: str, device: str = "") -> str:
    """Fixed by the traveller, the year and the destination: a replayed command makes the same jobs, which
    the delivering agent's ledger drops."""
    return str(uuid.uuid5(NAMESPACE, "\x1f".join(("year-summary", user_id, str(year), channel, device))))


def year_notifications(summary: dict, user_id: str, lang: Lang, link: str,
                       targets: Mapping[str, Sequence[dict]], now: datetime) -> list[Notification]:
    """One notification per e-mail address and device; ``link`` is the year page in the web app."""
    year, words = summary["year"], lang.words
    details = [(f.label, f.value) for f in headline(summary, lang)]
    title = words.gettext(WORDS["title"]) % {"year": year}
    # Label and value pairs rather than "7 trips": no plural rule to get wrong for any count in any language.
    summary_text = words.gettext(WORDS["summary"]) % {"figures": " · ".join(f"{k}: {v}" for k, v in details[:3])}
    action, footer = words.gettext(WORDS["action"]) % {"link": link}, words.gettext(WORDS["footer"])
    text = "\n\n".join([summary_text, "\n".join(f"{label}: {value}" for label, value in details), action, footer])
    html = html_body(lang.tag.replace("_", "-"), title, [summary_text, action], details, footer)
    out = []
    for transport in (t for channel in CHANNELS for t in TRANSPORTS[channel]):
        for target in targets.get(transport, ()):
            device = str(target.get("device", ""))
            out.append(Notification(
                notification_id=notification_id(user_id, year, transport, device), channel=transport,
                user_id=user_id, reservation_id=f"year-summary/{year}", change_ids=(f"year-summary/{year}",),
                severity="info", locale=lang.tag, title=title, summary=summary_text, text=text, html=html,
                created_at=utc_iso(now), expires_at=utc_iso(now + LIFETIME), target=dict(target)))
    return out
