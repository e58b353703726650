"""The gettext catalogs of web/locales/, loaded once: a language's translator, the language a reader gets, their words.

Translators edit web/locales/<lang>/LC_MESSAGES/messages.po; `make` compiles them (README "Translations").
"""

from __future__ import annotations

import io
import logging
from functools import cache
from gettext import GNUTranslations
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from domain.common.local_time import day_mark, distance, local_time, number
from domain.notify.locales import ENGLISH, SUPPORTED, Lang, language_tag, resolve

__all__ = ["LOCALES", "SUPPORTED", "day_mark", "distance", "lang", "local_time", "negotiate", "number",
           "translator", "translators"]

LOCALES = Path(__file__).resolve().parents[1] / "web" / "locales"
DOMAIN = "messages"
log = logging.getLogger(__name__)


@cache
def translators() -> dict[str, GNUTranslations]:
    """Every supported language's catalog; a msgid one of them lacks comes out in English."""
    english = _load(ENGLISH)
    loaded = {ENGLISH: english}
    for language in SUPPORTED:
        if language != ENGLISH:
            loaded[language] = _load(language)
            loaded[language].add_fallback(english)
    return loaded


def translator(language: str) -> GNUTranslations:
    """``language``'s translator (gettext, ngettext, pgettext, npgettext); English for any other language."""
    return lang(language).words


def lang(tag: str | None) -> Lang:
    """The language, date conventions and words for a tag ("es-MX": Spanish words, Mexican dates)."""
    return resolve(tag, translators())


def negotiate(accept_language: str | None, profile_language: str | None = None) -> str:
    """The tag a reader gets: the profile's when it names a supported language, else the Accept-Language
    entry with the highest q (first listed on a tie) whose language is supported ("es-MX" -> Spanish,
    Mexican dates), else "en"."""
    if (chosen := language_tag(profile_language)) is not None:
        return chosen
    for tag in _ranked(accept_language or ""):
        if (chosen := language_tag(tag)) is not None:
            return chosen
    return ENGLISH


def _ranked(header: str) -> list[str]:
    ranked = []
    for position, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = _quality(params)
        if tag.strip() and quality > 0:
            ranked.append((-quality, position, tag.strip()))
    return [tag for _, _, tag in sorted(ranked)]


def _quality(params: str) -> float:
    for param in params.split(";"):
        name, _, value = param.strip().partition("=")
        if name.strip().lower() == "q":
            try:
                return min(max(float(value), 0.0), 1.0)
            except ValueError:
                return 0.0
    return 1.0


def _load(language: str) -> GNUTranslations:
    po = LOCALES / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    mo = po.with_suffix(".mo")
    if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
        with mo.open("rb") as compiled:
            return GNUTranslations(compiled)
    # A checkout `make` has not compiled yet (pytest run by hand): the same compilation, in memory.
    log.warning("%s is missing or older than its .po: compiling it in memory (make compiles it)", mo)
    with po.open("rb") as source:
        catalog = read_po(source, locale=language)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return GNUTranslations(compiled)
