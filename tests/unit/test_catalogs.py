"""The gettext catalogs of web/locales/: up to date with the code, complete in every language, compiling cleanly."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from gettext import GNUTranslations
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from runtime.i18n import LOCALES, SUPPORTED, translators

ROOT = Path(__file__).parents[2]
PYBABEL = str(Path(sys.executable).parent / "pybabel")
PLACEHOLDER = re.compile(r"\{(\w*)[^{}]*\}|%\((\w+)\)[sdif]")


def read(path: Path, language: str | None = None) -> Catalog:
    with path.open("rb") as source:
        return read_po(source, locale=language)


def ids(catalog: Catalog) -> set[tuple[str, str | None]]:
    return {(m.id if isinstance(m.id, str) else m.id[0], m.context) for m in catalog if m.id}


def placeholders(text: str) -> set[str]:
    return {brace or percent for brace, percent in PLACEHOLDER.findall(text)}


def extract(paths: list[str], into: Path) -> Catalog:
    """What `make messages` extracts, with the same map (babel.cfg)."""
    subprocess.run([PYBABEL, "-q", "extract", "-F", str(ROOT / "babel.cfg"), "-o", str(into), *paths],
                   cwd=ROOT, check=True)
    return read(into)


def test_the_template_holds_every_string_of_the_code(tmp_path):
    """Fails when code or templates gained or lost strings and `make messages` was not run."""
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    packages = [pattern.rstrip("*") for pattern in setuptools["packages"]["find"]["include"]]
    extracted = extract([f"{name}.py" for name in setuptools["py-modules"]] + packages, tmp_path / "now.pot")
    assert ids(extracted) == ids(read(LOCALES / "messages.pot"))


def test_templates_and_markers_are_extracted(tmp_path):
    """The Jinja2 extractor reads {% trans %} (plural forms too) and _() in templates under templates/."""
    (tmp_path / "trips" / "templates").mkdir(parents=True)
    (tmp_path / "trips" / "templates" / "list.html").write_text(
        "<h1>{{ _('Your trips') }}</h1>{% trans count=n %}{{ count }} trip{% pluralize %}{{ count }} trips"
        "{% endtrans %}<p>{{ pgettext('button', 'Share') }}</p>")
    (tmp_path / "words.py").write_text("from domain.common.words import NN_, NP_, N_\n"
                                       "A = N_('Trip')\nB = NP_('status', 'on time')\nC = NN_('1 stop', '{n} stops')\n")
    found = {m.id: m.context for m in extract([str(tmp_path)], tmp_path / "x.pot") if m.id}
    assert found == {"Your trips": None, ("%(count)s trip", "%(count)s trips"): None, "Share": "button",
                     "Trip": None, "on time": "status", ("1 stop", "{n} stops"): None}


@pytest.mark.parametrize("language", SUPPORTED)
def test_every_message_is_translated_in_every_language(language):
    path = LOCALES / language / "LC_MESSAGES" / "messages.po"
    catalog = read(path, language)
    assert (catalog.locale.language, catalog.fuzzy) == (language, False)
    assert ids(catalog) == ids(read(LOCALES / "messages.pot"))
    assert not catalog.obsolete
    for message in catalog:
        if not message.id:
            continue
        assert not message.fuzzy, message.id
        forms = message.string if message.pluralizable else (message.string,)
        assert len(forms) == (catalog.num_plurals if message.pluralizable else 1), message.id
        for form in forms:
            assert form, message.id
            english = message.id if isinstance(message.id, str) else message.id[-1]
            assert placeholders(form) == placeholders(english), (message.id, form)
    assert [(m.id, errors) for m, errors in catalog.check()] == []


@pytest.mark.parametrize(("language", "nplurals"), [("en", 2), ("de", 2), ("es", 3), ("fr", 3), ("pt", 3), ("ja", 1)])
def test_plural_forms_are_the_language_s_own(language, nplurals):
    assert read(LOCALES / language / "LC_MESSAGES" / "messages.po", language).num_plurals == nplurals


@pytest.mark.parametrize("language", SUPPORTED)
def test_each_catalog_compiles_with_every_message_translated(language, tmp_path):
    compiled = tmp_path / "messages.mo"
    run = subprocess.run([PYBABEL, "compile", "--statistics", "-i",
                          str(LOCALES / language / "LC_MESSAGES" / "messages.po"), "-o", str(compiled)],
                         capture_output=True, text=True, check=True)
    assert re.search(r"^(\d+) of \1 messages \(100%\) translated", run.stderr, re.M), run.stderr
    assert "fuzzy" not in run.stderr and "error" not in run.stderr.lower()
    with compiled.open("rb") as source:
        assert GNUTranslations(source).info()["language"] == language


def test_the_compiled_catalogs_load_and_speak_their_language():
    loaded = translators()
    assert set(loaded) == set(SUPPORTED)
    for language, translator in loaded.items():
        po = read(LOCALES / language / "LC_MESSAGES" / "messages.po", language)
        for message in po:
            if message.id and not message.pluralizable:
                got = (translator.pgettext(message.context, message.id) if message.context
                       else translator.gettext(message.id))
                assert got == message.string, (language, message.id)
