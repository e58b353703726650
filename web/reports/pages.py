"""The traveller's year in the web app: /year (this year so far), /year/{year}, its card and its public links.

Everything is read through the summary API (web.pages.call_api), so the page shows exactly what the API
answers; the figures are written in the traveller's language and unit (domain/reports/figures.py) and the
charts are drawn here as inline SVG (domain/reports/charts.py).
"""

from __future__ import annotations

import asyncio
from datetime import datetime

from aiohttp import web
from faust import web as faust_web
from markupsafe import Markup

from domain.common.places import FIRST_YEAR, LAST_YEAR, zone_info
from domain.reports.figures import headline, month_name, number
from domain.reports.year_view import year_charts
from runtime.clock import trips_clock
from runtime.i18n import lang as resolve
from web.accounts.settings_pages import API_ID, my_profile, signed_in
from web.pages import Answer, call_api, language_of, redirect, render
from web.reports.card import card_title, render_year_card
from web.sharing import flash

blueprint = faust_web.Blueprint("year_pages")
YEARS_LISTED = 10


def this_year(profile: dict | None, now: datetime) -> int:
    """The year on the traveller's clock now (1 January comes to Tokyo before New York)."""
    return now.astimezone(zone_info((profile or {}).get("time_zone") or "UTC")).year


def _year(text: str) -> int | None:
    return int(text) if text.isdigit() and FIRST_YEAR <= int(text) <= LAST_YEAR else None


@blueprint.route("/year", name="this_year")
class ThisYear(faust_web.View):
    @signed_in
    async def get(self, request: web.Request) -> web.Response:
        profile = await my_profile(request)
        if "year" in request.query:   # the year picker's form (GET, so it works without script)
            picked = _year(request.query["year"])
            return redirect(f"/year/{picked}") if picked else render(request, "error.html", 404, profile=profile)
        return await year_page(request, profile, this_year(profile, trips_clock.now()))


@blueprint.route("/year/{year}", name="year")
class Year(faust_web.View):
    @signed_in
    async def get(self, request: web.Request, year: str) -> web.Response:
        profile = await my_profile(request)
        if (wanted := _year(year)) is None:
            return render(request, "error.html", 404, profile=profile)
        return await year_page(request, profile, wanted)


@blueprint.route("/year/{year}/card.png", name="card")
class OwnCard(faust_web.View):
    @signed_in
    async def get(self, request: web.Request, year: str) -> web.Response:
        """The traveller's own card of the year, to download or post without making a public link."""
        profile = await my_profile(request)
        summary = await call_api(request, "GET", f"/api/v1/me/summary/{_year(year) or 0}")
        if not summary.ok:
            return render(request, "error.html", summary.status, profile=profile, message=summary.title)
        body = await asyncio.to_thread(render_year_card, summary.body, language_of(request, profile))
        return web.Response(body=body, content_type="image/png", headers={"Cache-Control": "no-store"})


@blueprint.route("/year/{year}/links", name="make_link")
class MakeLink(faust_web.View):
    async def post(self, request: web.Request, year: str) -> web.Response:
        wanted = _year(year)
        answer = await call_api(request, "POST", f"/api/v1/me/summary/{wanted or 0}/links")
        if answer.status == 401:
            return redirect("/login")
        if not answer.ok:
            return render(request, "error.html", answer.status, message=answer.title)
        response = redirect(f"/year/{wanted}#card")
        # The URL holds the secret: it rides in a short-lived cookie, never in the redirect's URL.
        flash.keep_at(request, response, f"/year/{wanted}", {"new_link": {"url": answer.body["url"]}})
        return response


@blueprint.route("/year/{year}/links/{link_id}/revoke", name="revoke_link")
class RevokeLink(faust_web.View):
    async def post(self, request: web.Request, year: str, link_id: str) -> web.Response:
        wanted = _year(year)
        if wanted is None or not API_ID.fullmatch(link_id):
            return render(request, "error.html", 404)
        answer = await call_api(request, "DELETE", f"/api/v1/me/summary/{wanted}/links/{link_id}")
        if answer.status == 401:
            return redirect("/login")
        if not answer.ok:
            return render(request, "error.html", answer.status, message=answer.title)
        return redirect(f"/year/{wanted}#card")


async def year_page(request: web.Request, profile: dict, year: int) -> web.Response:
    summary, links = await asyncio.gather(call_api(request, "GET", f"/api/v1/me/summary/{year}"),
                                          call_api(request, "GET", f"/api/v1/me/summary/{year}/links"))
    if not summary.ok:
        return render(request, "error.html", summary.status, profile=profile, message=summary.title)
    context = year_context(summary.body, language_of(request, profile), year,
                           this_year(profile, trips_clock.now()), _active(links))
    return render(request, "reports/year.html", profile=profile,
                  new_link=flash.take_at(request, f"/year/{year}").get("new_link"), **context)


def year_context(summary: dict, language: str, year: int, current: int, links: list[dict]) -> dict:
    """What reports/year.html shows of ``summary`` in ``language`` (a tag: "en-US" speaks miles)."""
    lang = resolve(language)
    return {"year": year, "current": current, "years": list(range(current, current - YEARS_LISTED, -1)),
            "summary": summary, "title": card_title(summary, lang.tag), "figures": headline(summary, lang),
            "charts": [(c, Markup(c.svg)) for c in year_charts(summary, lang)],   # charts.py escapes each text
            "highlights": highlights(summary, lang), "links": links}


def _active(links: Answer) -> list[dict]:
    return [link for link in links.body["items"] if link["state"] == "active"] if links.ok and links.body else []


def highlights(summary: dict, lang) -> dict:
    """The year's notable facts, as the template words them: numbers and month names in the reader's locale."""
    locale, delays = lang.locale, summary.get("delays") or {}
    busiest, longest = summary.get("busiest_month"), summary.get("longest_trip")
    airline, airport = summary.get("top_airline"), summary.get("top_airport")
    return {
        "top_airline": airline and {"code": airline["code"], "flights": airline["flights"]},
        "top_airport": airport and {"code": airport["code"], "visits": airport["visits"]},
        "busiest_month": busiest and month_name(busiest["month"], locale),
        "longest_trip": longest and {"name": longest.get("name") or "", "days": longest["days"]},
        "delays": {"count": delays.get("count", 0), "minutes": number(delays.get("total_minutes", 0), locale),
                   "longest": number(delays.get("longest_minutes", 0), locale)},
        "cancellations": summary.get("cancellations", 0),
        "cities": len(summary.get("cities") or ()),
    }
