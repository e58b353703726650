"""Words for people: the translator interface the pure code is given, and the markers pybabel extracts.

The code's own language is English; a marked string is a gettext msgid, translated where it is used with
the reader's translator (runtime/i18n.py loads them from web/locales/). babel.cfg names the markers.
"""

from __future__ import annotations

from typing import NamedTuple, Protocol


class Words(Protocol):
    """What ``gettext.GNUTranslations`` offers and the pure code uses."""

    def gettext(self, message: str) -> str: ...

    def ngettext(self, singular: str, plural: str, n: int) -> str: ...

    def pgettext(self, context: str, message: str) -> str: ...


class Ctx(NamedTuple):
    """A msgid with its msgctxt: the same English word may need other words in other languages."""

    context: str
    message: str


class Plural(NamedTuple):
    """A msgid with its plural msgid_plural, chosen by a count with the language's plural rule."""

    singular: str
    plural: str


def N_(message: str) -> str:
    """Marks ``message`` for extraction; translated later, where the reader is known."""
    return message


def NP_(context: str, message: str) -> Ctx:
    return Ctx(context, message)


def NN_(singular: str, plural: str) -> Plural:
    return Plural(singular, plural)


def translate(words: Words, entry: str | Ctx | Plural, count: int | None = None) -> str:
    """``entry`` (a marked msgid) in the language of ``words``."""
    if isinstance(entry, Ctx):
        return words.pgettext(entry.context, entry.message)
    if isinstance(entry, Plural):
        return words.ngettext(entry.singular, entry.plural, count or 0)
    return words.gettext(entry)
