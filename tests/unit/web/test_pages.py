"""Page plumbing: the language chosen, assets named by content, local times, escaping in the layout."""

from __future__ import annotations

import pytest
from aiohttp.test_utils import make_mocked_request

from web.pages import CONTENT_SECURITY_POLICY, environment, language_of, local_time, static_url


@pytest.mark.parametrize(("header", "profile", "expected"), [
    ("es-MX,es;q=0.9,en;q=0.8", None, "es-MX"),
    ("en;q=0.5,ja;q=0.9", None, "ja"),
    ("pt-BR", None, "pt-BR"),
    ("zh-CN,ko", None, "en"),
    ("de", {"locale": "fr-CA"}, "fr-CA"),
    ("de", {"locale": "it"}, "de"),
    ("", None, "en"),
])
def test_language_profile_first_then_the_browser(header, profile, expected):
    request = make_mocked_request("GET", "/", headers={"Accept-Language": header})
    assert language_of(request, profile) == expected


def test_static_urls_carry_the_content_hash():
    url = static_url("app.css")
    assert url.startswith("/static/app.css?v=") and len(url.split("=")[1]) == 12


@pytest.mark.parametrize(("value", "zone", "language", "expected"), [
    ("2026-07-01T14:05:00+02:00", "Europe/Paris", "en", "Wed, Jul 1, 2:05\u202fPM CEST"),
    ("2026-12-01T13:05:00Z", "Europe/Paris", "en", "Tue, Dec 1, 2:05\u202fPM CET"),
    ("2026-03-08T01:30:00-05:00", "America/New_York", "en", "Sun, Mar 8, 1:30\u202fAM EST"),
    ("2026-03-08T03:30:00-04:00", "America/New_York", "en", "Sun, Mar 8, 3:30\u202fAM EDT"),
    ("2026-12-01T05:05:00Z", "Asia/Tokyo", "ja", "12月1日(火) 14:05 JST"),
    ("2026-12-01T14:05:00+01:00", "Europe/Berlin", "de", "Di., 1. Dez., 14:05 MEZ"),
    ("2026-12-01T14:05:00-03:00", "America/Sao_Paulo", "pt-BR", "ter., 1 de dez. 14:05 BRT"),
])
def test_local_time_is_in_the_place_zone_with_its_abbreviation(value, zone, language, expected):
    assert local_time(value, zone, language=language) == expected


def test_the_layout_escapes_what_it_is_given_and_loads_no_inline_script():
    html = environment("en").get_template("error.html").render(
        csrf_token='"><script>alert(1)</script>', signed_in=True, path="/", message="<img src=x onerror=alert(1)>")
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<script>alert(1)" not in html
    assert "<script src=" in html and "<script>" not in html
    assert "'unsafe-inline'" not in CONTENT_SECURITY_POLICY


async def test_hashed_assets_are_cached_for_a_year_and_others_not():
    from aiohttp import web

    from web.pages import cache_static
    hashed, plain = web.Response(), web.Response()
    await cache_static(make_mocked_request("GET", "/static/app.css?v=abc123"), hashed)
    await cache_static(make_mocked_request("GET", "/static/app.css"), plain)
    assert hashed.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert "Cache-Control" not in plain.headers
