"""The profile settings page (/settings): language, time zone and home, and what every settings page shares."""

from __future__ import annotations

import functools
import re

from aiohttp import web
from faust import web as faust_web

from domain.common.places import zones
from domain.notify.locales import SUPPORTED as LANGUAGES
from web import session
from web.pages import Answer, call_api, redirect, render

blueprint = faust_web.Blueprint("settings_pages")
# What a page passes on to the API as a path segment: an ID, never a dot segment that would climb the path.
API_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
# Each language in its own words: a reader who cannot read the current language still finds theirs.
LANGUAGE_NAMES = {"en": "English", "es": "Español", "de": "Deutsch", "fr": "Français", "ja": "日本語",
                  "pt": "Português"}


class SignedOut(Exception):
    """The page needs a signed-in traveller: the answer is the way to the login page."""

    def __init__(self, response: web.Response) -> None:
        self.response = response


async def my_profile(request: web.Request) -> dict:
    """The signed-in traveller's profile (its language renders the page), or SignedOut / an error page."""
    if not session.token_of(request):
        raise SignedOut(redirect(f"/login?next={request.path}"))
    me = await call_api(request, "GET", "/api/v1/me")
    if me.status == 401:
        session.sign_out(request)
        raise SignedOut(redirect("/login"))
    if not me.ok:
        raise SignedOut(render(request, "error.html", status=503, message=me.title))
    return me.body


def signed_in(view):
    """A page view that answers the login redirect (or the error page) instead of raising SignedOut."""
    @functools.wraps(view)
    async def wrapper(self, request: web.Request, *args, **kwargs) -> web.Response:
        try:
            return await view(self, request, *args, **kwargs)
        except SignedOut as out:
            return out.response
    return wrapper


@functools.cache
def time_zones() -> list[str]:
    """IANA names people pick from: regions and UTC, not the legacy aliases (US/Pacific, posixrules, Etc/...)."""
    return sorted(z for z in zones() if "/" in z and not z.startswith(("Etc/", "SystemV/", "US/"))) + ["UTC"]


@blueprint.route("/settings", name="profile")
class ProfileSettings(faust_web.View):
    @signed_in
    async def get(self, request: web.Request) -> web.Response:
        profile = await my_profile(request)
        return _page(request, profile, _values(profile), saved="saved" in request.query)

    @signed_in
    async def post(self, request: web.Request) -> web.Response:
        profile = await my_profile(request)
        form = await request.post()
        values = {k: str(form.get(k, "")).strip() for k in ("locale", "time_zone", "home")}
        body = {"locale": values["locale"] or None, "time_zone": values["time_zone"] or None,
                "home": _home(values["home"])}
        answer = await call_api(request, "PATCH", "/api/v1/me", body)
        if not answer.ok:
            return _page(request, profile, values, answer)
        return redirect("/settings?saved=1")


def _home(text: str) -> list[str] | str | None:
    """Several airport codes ("FRA, MUC") as a list, anything else as the API reads it (a code or a city);
    blank clears the home."""
    parts = text.replace(",", " ").split()
    if len(parts) > 1 and all(len(p) == 3 and p.isalpha() for p in parts):
        return [p.upper() for p in parts]
    return text or None


def _errors(answer: Answer) -> dict[str, str]:
    # One airport of several is refused as home[i]: the message belongs next to the one home field.
    return {("home" if k.startswith("home[") else k): v for k, v in answer.field_errors().items()}


def _values(profile: dict) -> dict:
    return {"locale": (profile.get("locale") or "en").split("-")[0], "time_zone": profile.get("time_zone") or "UTC",
            "home": ", ".join(profile.get("home") or [])}


def _page(request: web.Request, profile: dict, values: dict, answer: Answer | None = None,
          saved: bool = False) -> web.Response:
    return render(request, "accounts/settings.html", status=answer.status if answer else 200, profile=profile,
                  values=values, errors=_errors(answer) if answer else {},
                  message=answer.title if answer else None, saved=saved, languages=LANGUAGES,
                  language_names=LANGUAGE_NAMES, time_zones=time_zones())
