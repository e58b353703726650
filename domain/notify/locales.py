"""Which language a notification speaks: a locale tag resolved to a catalog, messages with English fallback."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from babel import Locale, UnknownLocaleError

from domain.notify.catalogs import CATALOGS, ENGLISH

TAG = re.compile(r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{1,8}){0,6}([.@][A-Za-z0-9_-]{1,20})?$")
MISSING = "—"


@dataclass(frozen=True)
class Lang:
    """The catalog the words come from and the Babel locale dates are formatted for (es + es_MX)."""

    catalog: str
    locale: Locale

    @property
    def tag(self) -> str:
        return str(self.locale)


@lru_cache(maxsize=256)
def resolve(tag: str | None) -> Lang:
    """A BCP 47 or POSIX tag ("es-MX", "pt_BR", "de_DE.UTF-8") as the closest language with a catalog.

    The region keeps its own date and time conventions (es_MX writes 1:10 p.m.); a language without
    a catalog, or anything unreadable, gets English throughout so words and dates never mix languages.
    """
    parsed = _parse(tag)
    if parsed is None or parsed.language not in CATALOGS:
        return Lang(ENGLISH, Locale.parse(ENGLISH))
    return Lang(parsed.language, parsed)


def language_tag(tag: object) -> str | None:
    """``tag`` ("de", "de-DE", "pt_BR", "en-GB") in BCP 47 form ("de-DE") when its language has a catalog, else None.

    What a profile may hold: a browser's or phone's own tag, region and all (the region sets date and time
    conventions), as long as the words can be in that language.
    """
    parsed = _parse(tag)
    if parsed is None or parsed.language not in CATALOGS:
        return None
    return "-".join(part for part in (parsed.language, parsed.script, parsed.territory, parsed.variant) if part)


def _parse(tag: object) -> Locale | None:
    if not isinstance(tag, str) or not TAG.match(tag.strip()):
        return None
    base = re.split(r"[.@]", tag.strip())[0]
    parts = re.split(r"[-_]", base)
    # Drop subtags from the end until Babel knows the rest: en-US-u-ca-gregory -> en_US, es-ZZ -> es.
    for size in range(len(parts), 0, -1):
        try:
            return Locale.parse("_".join(parts[:size]))
        except (UnknownLocaleError, ValueError, TypeError):
            continue
    return None


def message(lang: Lang, key: str, count: int | None = None, **params: object) -> str:
    """The ``key`` message in ``lang``, filled in; a missing, empty or broken translation falls back to English."""
    values = {name: MISSING if value is None or value == "" else value for name, value in params.items()}
    for catalog, locale in ((lang.catalog, lang.locale), (ENGLISH, Locale.parse(ENGLISH))):
        entry = CATALOGS[catalog].get(key)
        if isinstance(entry, dict):
            entry = entry.get(locale.plural_form(count or 0)) or entry.get("other")
        if not entry:
            continue
        try:
            return entry.format_map(values)
        except (KeyError, IndexError, ValueError):
            continue  # a translation naming a placeholder we don't have: English says it right
    raise KeyError(f"no English message {key!r}")


def has_message(lang: Lang, key: str) -> bool:
    return bool(CATALOGS[lang.catalog].get(key) or CATALOGS[ENGLISH].get(key))
