"""Locale resolution and messages: the closest supported language, its plural rules, English behind every gap."""

import io
from gettext import GNUTranslations

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo

from domain.notify.locales import ENGLISH_WORDS, locale_for, message, resolve
from runtime.i18n import lang


@pytest.mark.parametrize(("tag", "catalog", "locale"), [
    ("en", "en", "en"), ("es", "es", "es"), ("de", "de", "de"), ("fr", "fr", "fr"), ("ja", "ja", "ja"),
    ("pt", "pt", "pt"),
    ("es-MX", "es", "es_MX"), ("es_419", "es", "es_419"), ("pt_BR", "pt", "pt_BR"), ("pt-PT", "pt", "pt_PT"),
    ("de_DE.UTF-8", "de", "de_DE"), ("fr-CA", "fr", "fr_CA"), ("ja-JP", "ja", "ja_JP"), ("EN-gb", "en", "en_GB"),
    ("en-US-u-ca-gregory", "en", "en_US"), ("de-XX", "de", "de"),
    ("zh-Hant-TW", "en", "en"), ("it", "en", "en"), ("xx", "en", "en"), ("", "en", "en"), (None, "en", "en"),
    ("../../etc/passwd", "en", "en"), ("C", "en", "en"), (42, "en", "en"),
])
def test_resolve(tag, catalog, locale):
    resolved = lang(tag)
    assert (resolved.catalog, resolved.tag) == (catalog, locale)
    assert str(locale_for(tag)) == locale


def _catalog(language: str, messages: dict[str, str]) -> GNUTranslations:
    """A compiled catalog made here, as pybabel compile makes one."""
    catalog = Catalog(locale=language, fuzzy=False)
    for msgid, msgstr in messages.items():
        catalog.add(msgid, msgstr)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return GNUTranslations(compiled)


def test_missing_empty_or_broken_translations_fall_back_to_english():
    italian = _catalog("it", {"{subject}: booking updated": "{subject}: prenotazione aggiornata",
                              "All times are local to each place.": "", "Gate {value}": "Uscita {gate}"})
    italian.add_fallback(ENGLISH_WORDS)
    resolved = resolve("it-IT", {"en": ENGLISH_WORDS, "it": italian})
    assert (resolved.catalog, resolved.tag) == ("it", "it_IT")
    assert message(resolved, "title.generic", subject="Hotel Roma") == "Hotel Roma: prenotazione aggiornata"
    assert message(resolved, "text.footer") == "All times are local to each place."    # empty
    assert message(resolved, "label.flight") == "Flight"                                  # missing
    assert message(resolved, "label.gate", value="B2") == "Gate B2"                       # wrong placeholder


def test_a_language_without_a_catalog_speaks_english_words_and_dates():
    resolved = resolve("ja", {})
    assert (resolved.catalog, resolved.tag) == ("en", "en")
    assert message(resolved, "status.cancelled") == "cancelled"


@pytest.mark.parametrize(("tag", "count", "title"), [
    ("en", 1, "X: 1 update"), ("en", 3, "X: 3 updates"), ("en", 0, "X: 0 updates"),
    ("de", 1, "X: 1 Änderung"), ("de", 2, "X: 2 Änderungen"),
    ("ja", 1, "X：1件の更新"), ("ja", 3, "X：3件の更新"),
    ("fr", 0, "X\u00a0: 0 modification"), ("fr", 1, "X\u00a0: 1 modification"), ("fr", 2, "X\u00a0: 2 modifications"),
    ("fr", 1_000_000, "X\u00a0: 1000000 modifications"),
    ("es", 1, "X: 1 cambio"), ("es", 5, "X: 5 cambios"), ("es", 1_000_000, "X: 1000000 cambios"),
    ("pt", 0, "X: 0 alteração"), ("pt", 1, "X: 1 alteração"), ("pt", 7, "X: 7 alterações"),
])
def test_plural_forms_follow_the_language(tag, count, title):
    assert message(lang(tag), "title.many", count=count, subject="X", n=count) == title


def test_words_that_share_an_english_spelling_keep_their_own_context():
    """A reservation's status "cancelled" is a feminine word in French (la réservation)."""
    assert message(lang("fr"), "status.cancelled") == "annulée"
    assert message(lang("ja"), "status.cancelled") == "キャンセル済み"


def test_a_missing_value_is_a_dash_not_a_blank():
    assert message(lang("en"), "text.gate", flight="LH 400", destination=None, new="B2", old="") == (
        "Gate change for your flight LH 400 to —: now gate B2 (was —).")


def test_an_unknown_key_is_a_programming_error():
    with pytest.raises(KeyError):
        message(lang("de"), "title.nonexistent")
