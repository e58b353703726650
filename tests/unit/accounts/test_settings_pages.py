"""The profile settings page and the form-to-API mapping, rendered from hand-made data."""

from __future__ import annotations

from lxml import html

from domain.notify.locales import SUPPORTED as LANGUAGES
from web.accounts import settings_pages
from web.pages import environment

XSS = "<img src=x onerror=alert(1)>"
PROFILE = {"id": "u1", "name": XSS, "locale": "de-DE", "time_zone": "Europe/Berlin", "home": ["FRA", "MUC"]}


def page(language="en", **context):
    values = context.pop("values", settings_pages._values(PROFILE))
    defaults = {"csrf_token": "tok", "signed_in": True, "profile": PROFILE, "path": "/settings",
                "rendered_at": "2026-12-07T10:00:00+00:00", "values": values, "errors": {}, "message": None,
                "saved": False, "languages": LANGUAGES, "language_names": settings_pages.LANGUAGE_NAMES,
                "time_zones": settings_pages.time_zones()}
    text = environment(language).get_template("accounts/settings.html").render(**(defaults | context))
    return text, html.fromstring(text)


def test_the_profile_form_shows_the_current_language_zone_and_home():
    _, doc = page()
    assert doc.xpath("//select[@id='f-locale']/option[@selected]/@value") == ["de"]
    assert doc.xpath("//select[@id='f-time_zone']/option[@selected]/text()") == ["Europe/Berlin"]
    assert doc.xpath("//input[@id='f-home']/@value") == ["FRA, MUC"]
    assert doc.xpath("//form[@action='/settings']//input[@name='csrf_token']/@value") == ["tok"]
    for control in doc.xpath("//select|//input[not(@type='hidden')]"):   # every control labelled
        assert doc.xpath(f"//label[@for='{control.get('id')}']"), control.get("id")


def test_every_language_is_offered_in_its_own_words():
    _, doc = page()
    offered = dict(zip(doc.xpath("//select[@id='f-locale']/option/@value"),
                       doc.xpath("//select[@id='f-locale']/option/text()"), strict=True))
    assert offered == {"en": "English", "es": "Español", "de": "Deutsch", "fr": "Français", "ja": "日本語",
                       "pt": "Português"}


def test_time_zones_are_iana_names_without_legacy_aliases():
    zones = settings_pages.time_zones()
    assert {"Europe/Berlin", "America/Argentina/Buenos_Aires", "Asia/Tokyo", "UTC"} <= set(zones)
    assert not {z for z in zones if z.startswith(("US/", "Etc/")) or z == "posixrules"}


def test_the_api_s_messages_stand_next_to_their_fields():
    _, doc = page(values={"locale": "en", "time_zone": "UTC", "home": "Atlantis"},
                  errors={"home": "no airport in a city named Atlantis"}, message="The request has invalid fields.")
    assert doc.xpath("//p[@id='e-home']/text()") == ["no airport in a city named Atlantis"]
    assert doc.xpath("//input[@id='f-home']/@aria-invalid") == ["true"]
    assert doc.xpath("//p[@role='alert']/text()") == ["The request has invalid fields."]


def test_user_text_renders_as_text():
    text, doc = page(values={"locale": "en", "time_zone": "UTC", "home": XSS}, errors={"home": XSS}, message=XSS)
    assert "<img" not in text
    assert doc.xpath("//input[@id='f-home']/@value") == [XSS]
    assert not doc.xpath("//img")


def test_the_settings_navigation_marks_the_current_page():
    _, doc = page()
    nav = doc.xpath("//nav[@class='settings-nav']")[0]
    assert nav.xpath("a[@aria-current='page']/@href") == ["/settings"]
    assert nav.xpath("a/@href") == ["/settings", "/settings/notifications", "/settings/mailboxes", "/calendar"]


def test_home_is_airports_a_city_or_nothing():
    assert settings_pages._home("fra, muc") == ["FRA", "MUC"]
    assert settings_pages._home("FRA") == "FRA"              # one code: the API reads it, or a city of that name
    assert settings_pages._home("Paris, FR") == "Paris, FR"
    assert settings_pages._home("New York") == "New York"
    assert settings_pages._home("") is None                  # clears the home


def test_an_airport_refused_among_several_is_told_at_the_home_field():
    from web.pages import Answer
    answer = Answer(422, {"errors": [{"field": "home[1]", "message": "must be a known IATA airport code"}]})
    assert settings_pages._errors(answer) == {"home": "must be a known IATA airport code"}


def test_the_layout_carries_the_offline_note_with_the_render_time_in_the_traveller_s_zone():
    _, doc = page()
    note = doc.xpath("//p[@data-offline-note]")[0]
    assert note.get("hidden") is not None
    assert note.text_content() == "Offline — last updated Mon, Dec 7, 11:00\u202fAM CET"
