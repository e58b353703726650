"""The public trip page's own words (msgids in web/locales/); labels and statuses are the notifications' messages."""

from __future__ import annotations

from domain.common.words import N_
from domain.notify.locales import Lang

WORDS: dict[str, str] = {
    "trip": N_("Trip"),
    "hotel": N_("Hotel"),
    "car": N_("Car rental"),
    "booking": N_("Booking"),
    "start": N_("Start"),
    "end": N_("End"),
    "read_only": N_("A trip shared read-only with Road Warrior."),
}


def word(lang: Lang, key: str) -> str:
    """``key`` in ``lang``'s language (English where a catalog lacks it)."""
    return lang.words.gettext(WORDS[key])
