"""Which language a notification speaks: a locale tag resolved to a supported language, its words and its dates."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from gettext import NullTranslations

from babel import Locale, UnknownLocaleError

from domain.common.words import Words, translate
from domain.notify.messages import MESSAGES

SUPPORTED = ("en", "es", "de", "fr", "ja", "pt")  # a catalog each in web/locales/
ENGLISH = "en"
ENGLISH_WORDS: Words = NullTranslations()  # the msgids themselves: the code's words are English
TAG = re.compile(r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{1,8}){0,6}([.@][A-Za-z0-9_-]{1,20})?$")
MISSING = "—"


@dataclass(frozen=True)
class Lang:
    """The language the words are in, the Babel locale dates are formatted for (es + es_MX), and its words."""

    catalog: str
    locale: Locale
    words: Words = field(default=ENGLISH_WORDS, compare=False, repr=False)

    @property
    def tag(self) -> str:
        return str(self.locale)


def resolve(tag: str | None, catalogs: Mapping[str, Words]) -> Lang:
    """A BCP 47 or POSIX tag ("es-MX", "pt_BR", "de_DE.UTF-8") as the closest language of ``catalogs``.

    The region keeps its own date and time conventions (es_MX writes 1:10 p.m.); a language without
    a catalog, or anything unreadable, gets English throughout so words and dates never mix languages.
    """
    parsed = locale_of(tag)
    if parsed is None or parsed.language not in catalogs:
        return Lang(ENGLISH, Locale.parse(ENGLISH), catalogs.get(ENGLISH, ENGLISH_WORDS))
    return Lang(parsed.language, parsed, catalogs[parsed.language])


def locale_for(tag: str | None) -> Locale:
    """The Babel locale dates and names are written for: ``tag``'s when its language is supported, else English."""
    parsed = locale_of(tag)
    return parsed if parsed is not None and parsed.language in SUPPORTED else Locale.parse(ENGLISH)


def language_tag(tag: object) -> str | None:
    """``tag`` ("de", "de-DE", "pt_BR", "en-GB") in BCP 47 form ("de-DE") when its language is supported, else None.

    What a profile may hold: a browser's or phone's own tag, region and all (the region sets date and time
    conventions), as long as the words can be in that language.
    """
    parsed = locale_of(tag)
    if parsed is None or parsed.language not in SUPPORTED:
        return None
    return "-".join(part for part in (parsed.language, parsed.script, parsed.territory, parsed.variant) if part)


def locale_of(tag: object) -> Locale | None:
    """``tag`` as the Babel locale it names, whatever the language; None when unreadable."""
    return _parse(tag.strip()) if isinstance(tag, str) else None


@lru_cache(maxsize=256)
def _parse(tag: str) -> Locale | None:
    if not TAG.match(tag):
        return None
    parts = re.split(r"[-_]", re.split(r"[.@]", tag)[0])
    # Drop subtags from the end until Babel knows the rest: en-US-u-ca-gregory -> en_US, es-ZZ -> es.
    for size in range(len(parts), 0, -1):
        try:
            return Locale.parse("_".join(parts[:size]))
        except (UnknownLocaleError, ValueError, TypeError):
            continue
    return None


def message(lang: Lang, key: str, count: int | None = None, **params: object) -> str:
    """The ``key`` message of domain/notify/messages.py in ``lang``, filled in; a broken translation gives English."""
    entry = MESSAGES[key]
    values = {name: MISSING if value is None or value == "" else value for name, value in params.items()}
    for text in (translate(lang.words, entry, count), translate(ENGLISH_WORDS, entry, count)):
        try:
            return text.format_map(values)
        except (KeyError, IndexError, ValueError):
            continue  # a translation naming a placeholder we don't have: English says it right
    raise KeyError(f"the English message {key!r} names a placeholder not given")


def has_message(lang: Lang, key: str) -> bool:
    return key in MESSAGES
