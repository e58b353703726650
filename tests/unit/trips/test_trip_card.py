"""The trip's image for link previews: a 1200×630 PNG, the same for the same trip, long names cut to fit."""

from __future__ import annotations

import io

import pytest
from aiohttp import web
from PIL import Image

from domain.trips.sharing import public_view
from web.card_text import BACKGROUND, ELLIPSIS, fit, text_width
from web.sharing.card import MARGIN, card_handler, render_trip_card
from web.sharing.public_page import SharedTrip


def flight(origin: str, destination: str, day: int) -> dict:
    start = f"2025-07-{day:02d}T10:00:00+02:00"
    return {"id": f"{day:032x}", "type": "flight", "status": "confirmed", "start": start, "end": start,
            "start_time_zone": "Europe/Zurich", "end_time_zone": "Europe/Zurich", "confirmation": "CONF-1",
            "flight": {"airline": "LX", "number": "160", "from": origin, "to": destination}}


def view(name: str | None = "Tokyo", reservations: list[dict] | None = None) -> dict:
    trip = {"name": name, "start": "2025-07-01T10:00:00+02:00", "start_time_zone": "Europe/Zurich",
            "end": "2025-07-09T18:00:00+09:00", "end_time_zone": "Asia/Tokyo"}
    return public_view(trip, [flight("ZRH", "NRT", 1), flight("KIX", "ZRH", 9)] if reservations is None
                       else reservations)


def opened(png: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(png))
    image.load()
    return image


def test_a_valid_png_of_the_size_social_networks_want():
    image = opened(render_trip_card(view(), "en"))
    assert image.format == "PNG"
    assert image.size == (1200, 630)
    assert image.mode == "RGB"


def test_the_same_trip_gives_the_same_bytes_and_another_trip_others():
    assert render_trip_card(view(), "en") == render_trip_card(view(), "en")
    assert render_trip_card(view(), "en") != render_trip_card(view("Osaka"), "en")
    assert render_trip_card(view(), "en") != render_trip_card(view(), "de")  # the dates are in German


def margin_is_empty(image: Image.Image) -> bool:
    """Nothing drawn in the right margin above the route, where a name that overflowed would run."""
    strip = image.crop((1200 - MARGIN + 1, 0, 1200, 400))
    return [color for _, color in strip.getcolors()] == [BACKGROUND]


@pytest.mark.parametrize("name", ["Tokyo, Osaka, Kyoto, Hiroshima and Nara " * 6, "東京" * 60, "W" * 300])
def test_a_very_long_name_is_shortened_not_overflowed(name):
    image = opened(render_trip_card(view(name), "en"))
    assert margin_is_empty(image)
    assert image.size == (1200, 630)


def test_fit_keeps_what_fits_and_cuts_the_rest_with_an_ellipsis():
    assert fit("Tokyo", 1040, 84, bold=True) == "Tokyo"
    long = "Tokyo and Osaka " * 20
    cut = fit(long, 1040, 84, bold=True)
    assert cut.endswith(ELLIPSIS) and long.startswith(cut[:-1])
    assert text_width(cut, 84, bold=True) <= 1040 < text_width(cut[:-1] + long[len(cut) - 1] + ELLIPSIS, 84, bold=True)


def test_japanese_is_drawn_with_real_glyphs():
    # In a font without them every ideograph is the same box, and the two names would give the same image.
    assert render_trip_card(view("東京"), "ja") != render_trip_card(view("京東"), "ja")
    assert render_trip_card(view("Tokyo 東京"), "en") != render_trip_card(view("Tokyo 京東"), "en")


def test_a_trip_without_a_name_shows_the_generic_word():
    assert render_trip_card(view(None), "fr") == render_trip_card(view("Voyage"), "fr")


def test_a_long_route_and_no_route_both_draw():
    hops = [flight(f"A{n:02d}", f"A{n + 1:02d}", n + 1) for n in range(20)]
    assert opened(render_trip_card(view(reservations=hops), "en")).size == (1200, 630)
    assert render_trip_card(view(reservations=[]), "en") != render_trip_card(view(), "en")


async def test_the_handler_serves_the_png_and_404_for_no_trip(aiohttp_client):
    async def find(request: web.Request) -> SharedTrip | None:
        if request.match_info["token"] != "tok":
            return None
        return SharedTrip(view(), "https://rw.example/t/tok", "https://rw.example/t/tok/card.png")

    app = web.Application()
    app.router.add_get("/t/{token}/card.png", card_handler(find))
    client = await aiohttp_client(app)
    response = await client.get("/t/tok/card.png", headers={"Accept-Language": "ja"})
    assert response.status == 200
    assert response.content_type == "image/png"
    assert await response.read() == render_trip_card(view(), "ja")
    assert response.headers["Cache-Control"] == "no-store"
    assert (await client.get("/t/guess/card.png")).status == 404
