"""runtime/i18n.py: the language a reader gets, and each language's translator from the compiled catalogs."""

from __future__ import annotations

import shutil

import pytest

from runtime import i18n
from runtime.i18n import lang, negotiate, translator


@pytest.mark.parametrize(("accept_language", "profile", "chosen"), [
    (None, None, "en"), ("", None, "en"), ("*", None, "en"),
    ("es-MX,es;q=0.9,en;q=0.8", None, "es-MX"),
    ("pt-BR", None, "pt-BR"),
    ("fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5", None, "fr-CH"),
    ("en;q=0.5, ja;q=0.9", None, "ja"),                    # q decides, not the order
    ("de;q=0.8, fr;q=0.8", None, "de"),                    # a tie: the first listed
    ("zh-CN, ko;q=0.9, pt-PT;q=0.3", None, "pt-PT"),       # unsupported languages skipped
    ("it, ja;q=0", None, "en"),                            # q=0 means "not this"
    ("de;q=abc, es;q=0.1", None, "es"),                    # an unreadable q counts as 0
    ("en-US,en;q=0.9", "ja-JP", "ja-JP"),                  # the profile wins
    ("de", "xx", "de"),                                    # an unusable profile value does not
    (";;,,;q=1", None, "en"),
])
def test_negotiate(accept_language, profile, chosen):
    assert negotiate(accept_language, profile) == chosen


def test_a_negotiated_region_keeps_its_conventions_and_the_language_s_words():
    mexican = lang(negotiate("es-MX"))
    assert (mexican.catalog, mexican.tag) == ("es", "es_MX")
    assert mexican.words.gettext("Trip") == "Viaje"


@pytest.mark.parametrize(("language", "trip", "status"), [
    ("en", "Trip", "cancelled"), ("es", "Viaje", "cancelada"), ("de", "Reise", "storniert"),
    ("fr", "Voyage", "annulée"), ("ja", "旅行", "キャンセル済み"), ("pt", "Viagem", "cancelada"),
])
def test_translator_speaks_each_language(language, trip, status):
    words = translator(language)
    assert words.gettext("Trip") == trip
    assert words.pgettext("status", "cancelled") == status


def test_a_string_no_catalog_has_yet_stays_english_and_an_unknown_language_is_english():
    assert translator("de").gettext("A string added after the last translation") == (
        "A string added after the last translation")
    assert translator("it").gettext("Trip") == "Trip"
    assert translator("ja").ngettext("{n} trip", "{n} trips", 2) == "{n} trips"


def test_catalogs_not_compiled_yet_are_compiled_in_memory(tmp_path, monkeypatch):
    """A checkout where `make` has not run (pytest by hand) still speaks every language."""
    shutil.copytree(i18n.LOCALES, tmp_path / "locales", ignore=shutil.ignore_patterns("*.mo"))
    monkeypatch.setattr(i18n, "LOCALES", tmp_path / "locales")
    i18n.translators.cache_clear()
    try:
        assert i18n.translator("ja").gettext("Trip") == "旅行"
        assert not list((tmp_path / "locales").rglob("*.mo"))
    finally:
        monkeypatch.undo()
        i18n.translators.cache_clear()
