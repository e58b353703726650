"""Locale resolution and message catalogs: every language complete, English behind every gap."""

import string

import pytest

from domain.notify.catalogs import CATALOGS, ENGLISH
from domain.notify.locales import message, resolve


@pytest.mark.parametrize(("tag", "catalog", "locale"), [
    ("en", "en", "en"), ("es", "es", "es"), ("de", "de", "de"), ("fr", "fr", "fr"), ("ja", "ja", "ja"),
    ("es-MX", "es", "es_MX"), ("es_419", "es", "es_419"), ("pt_BR", "pt", "pt_BR"), ("pt-PT", "pt", "pt_PT"),
    ("de_DE.UTF-8", "de", "de_DE"), ("fr-CA", "fr", "fr_CA"), ("ja-JP", "ja", "ja_JP"), ("EN-gb", "en", "en_GB"),
    ("en-US-u-ca-gregory", "en", "en_US"), ("de-XX", "de", "de"),
    ("zh-Hant-TW", "en", "en"), ("it", "en", "en"), ("xx", "en", "en"), ("", "en", "en"), (None, "en", "en"),
    ("../../etc/passwd", "en", "en"), ("C", "en", "en"), (42, "en", "en"),
])
def test_resolve(tag, catalog, locale):
    lang = resolve(tag)
    assert (lang.catalog, lang.tag) == (catalog, locale)


def _placeholders(entry) -> set[str]:
    texts = entry.values() if isinstance(entry, dict) else [entry]
    return {name for text in texts for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("language", sorted(CATALOGS))
def test_every_catalog_has_every_message_with_the_same_placeholders(language):
    english, other = CATALOGS[ENGLISH], CATALOGS[language]
    assert set(other) == set(english)
    for key, entry in other.items():
        assert entry, key
        assert _placeholders(entry) == _placeholders(english[key]), key


def test_missing_empty_or_broken_translations_fall_back_to_english(monkeypatch):
    monkeypatch.setitem(CATALOGS, "it", {"title.generic": "{subject}: prenotazione aggiornata",
                                         "text.footer": "", "label.gate": "Uscita {gate}"})
    resolve.cache_clear()
    lang = resolve("it-IT")
    assert lang.catalog == "it"
    assert message(lang, "title.generic", subject="Hotel Roma") == "Hotel Roma: prenotazione aggiornata"
    assert message(lang, "text.footer") == "All times are local to each place."    # empty
    assert message(lang, "label.flight") == "Flight"                                  # missing
    assert message(lang, "label.gate", value="B2") == "Gate B2"                       # wrong placeholder
    resolve.cache_clear()


def test_plural_forms_follow_the_language():
    assert message(resolve("en"), "title.many", count=1, subject="X", n=1) == "X: 1 update"
    assert message(resolve("en"), "title.many", count=3, subject="X", n=3) == "X: 3 updates"
    assert message(resolve("ja"), "title.many", count=3, subject="X", n=3) == "X：3件の更新"
    assert message(resolve("fr"), "title.many", count=0, subject="X", n=0) == "X\u00a0: 0 modification"


def test_a_missing_value_is_a_dash_not_a_blank():
    assert message(resolve("en"), "text.gate", flight="LH 400", destination=None, new="B2", old="") == (
        "Gate change for your flight LH 400 to —: now gate B2 (was —).")


def test_an_unknown_key_is_a_programming_error():
    with pytest.raises(KeyError):
        message(resolve("de"), "title.nonexistent")
