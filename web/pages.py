"""What every page of the web app shares: templates, the language, security headers, and the API pages call.

Pages are server-rendered (Jinja2, autoescaped) and read through the JSON API over a loopback call to this
worker: one authorization path, so a page can show nothing the API would refuse, and the API's routing takes a
key to the worker that owns it. The cookie session and CSRF live in web/session.py.
"""

from __future__ import annotations

import functools
import gettext
import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import orjson
from aiohttp import ClientError, web
from babel.dates import format_date, format_datetime
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PrefixLoader, select_autoescape

from faust_app import app, settings
from web import session
from web.routing import CLIENT, client_address, client_proof

WEB = Path(__file__).resolve().parent
STATIC = WEB / "static"
LOCALES = WEB / "locales"
LANGUAGES = ("en", "es", "de", "fr", "ja", "pt")
FEATURES = ("accounts", "reservations", "trips", "sharing", "notify", "mail", "providers")
# No inline script or style anywhere: the page works without script, and script comes only from /static/.
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                           "connect-src 'self'; manifest-src 'self'; worker-src 'self'; object-src 'none'; "
                           "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
SECURITY_HEADERS = {"Content-Security-Policy": CONTENT_SECURITY_POLICY, "X-Content-Type-Options": "nosniff",
                    "Referrer-Policy": "same-origin", "Cache-Control": "no-store"}


@functools.cache
def translations(language: str) -> gettext.NullTranslations:
    return gettext.translation("messages", localedir=LOCALES, languages=[language], fallback=True)


@functools.cache
def environment(language: str) -> Environment:
    """One template environment per language: Jinja's i18n extension binds its gettext per environment."""
    features = {name: FileSystemLoader(WEB / name / "templates") for name in FEATURES}
    env = Environment(loader=ChoiceLoader([FileSystemLoader(WEB / "templates"), PrefixLoader(features)]),
                      autoescape=select_autoescape(default=True), extensions=["jinja2.ext.i18n"],
                      trim_blocks=True, lstrip_blocks=True)
    env.install_gettext_translations(translations(language), newstyle=True)
    env.globals.update(static=static_url, language=language)
    env.filters.update(local_time=functools.partial(local_time, language=language),
                       local_date=functools.partial(local_date, language=language))
    return env


def local_time(value: str | None, zone: str | None, *, language: str, with_date: bool = True) -> str:
    """A time in the place's own zone, for the reader's language, with the zone's abbreviation ("14:05 CET")."""
    if not value:
        return ""
    moment = datetime.fromisoformat(value)
    place = ZoneInfo(zone) if zone else moment.tzinfo
    local = moment.astimezone(place) if moment.tzinfo else moment
    pattern = "EEE d MMM HH:mm" if with_date else "HH:mm"
    text = format_datetime(local, pattern if language != "ja" else ("M月d日(EEE) H:mm" if with_date else "H:mm"),
                           locale=language)
    return f"{text} {local.tzname()}" if local.tzinfo else text


def local_date(value: str | None, zone: str | None = None, *, language: str) -> str:
    if not value:
        return ""
    moment = datetime.fromisoformat(value)
    if zone and moment.tzinfo:
        moment = moment.astimezone(ZoneInfo(zone))
    return format_date(moment, "medium", locale=language)


@functools.cache
def static_url(name: str) -> str:
    """The asset's URL with its content hash: cached for a year, refetched when it changes."""
    digest = hashlib.sha256((STATIC / name).read_bytes()).hexdigest()[:12]
    return f"/static/{name}?v={digest}"


def language_of(request: web.Request, profile: dict | None = None) -> str:
    """The profile's language, else the best of the browser's Accept-Language, else English."""
    if profile and profile.get("locale"):
        base = profile["locale"].replace("_", "-").split("-")[0].lower()
        if base in LANGUAGES:
            return base
    ranked = []
    for part in request.headers.get("Accept-Language", "").split(","):
        tag, _, q = part.strip().partition(";q=")
        try:
            ranked.append((float(q or 1), tag.split("-")[0].lower()))
        except ValueError:
            continue
    for _, base in sorted(ranked, key=lambda r: -r[0]):
        if base in LANGUAGES:
            return base
    return "en"


def render(request: web.Request, template: str, status: int = 200, *, profile: dict | None = None,
           **context) -> web.Response:
    language = language_of(request, profile)
    html = environment(language).get_template(template).render(
        csrf_token=session.csrf_token(request), signed_in=session.token_of(request) is not None,
        profile=profile, path=request.path, **context)
    response = web.Response(text=html, status=status, content_type="text/html", headers=SECURITY_HEADERS)
    session.keep_csrf_cookie(request, response)
    return response


def redirect(location: str) -> web.Response:
    """After a form's POST: see-other, so a reload does not post again."""
    return web.Response(status=303, headers={"Location": location, "Cache-Control": "no-store"})


@dataclass
class Answer:
    status: int
    body: dict | list | None

    @property
    def ok(self) -> bool:
        return self.status < 400

    def field_errors(self) -> dict[str, str]:
        """A problem's per-field messages, by field (nested fields by their last part)."""
        problems = (self.body or {}).get("errors", []) if isinstance(self.body, dict) else []
        return {str(e.get("field", "")).split(".")[-1]: e.get("message", "") for e in problems}

    @property
    def title(self) -> str:
        return (self.body or {}).get("title", "") if isinstance(self.body, dict) else ""


async def call_api(request: web.Request, method: str, path: str, body: dict | None = None,
                   query: dict | None = None, *, token: str | None = None) -> Answer:
    """The JSON API's answer, asked on this worker as the signed-in traveller (or anonymously)."""
    headers = {"Accept": "application/json", "Accept-Language": request.headers.get("Accept-Language", "")}
    # The host and scheme the browser used: the URLs the API builds (public links, calendar feeds) must be ones
    # the browser reaches, not this worker's loopback address.
    headers.update({"Host": request.host,
                    "X-Forwarded-Proto": request.headers.get("X-Forwarded-Proto", request.scheme)})
    address = client_address(request)
    headers.update({CLIENT: address, **client_proof(address)})
    bearer = token or session.token_of(request)
    if bearer:
        headers["Authorization"] = f"Bearer {bearer}"
    url = app.conf.canonical_url.with_path(path).with_query(query or {})
    data = orjson.dumps(body) if body is not None else None
    if data is not None:
        headers["Content-Type"] = "application/json"
    try:
        async with app.http_client.request(method, url, data=data, headers=headers,
                                           timeout=settings.web.request_timeout_s + 3) as response:
            raw = await response.read()
    except (TimeoutError, ClientError):
        return Answer(503, {"title": "The service did not answer in time."})
    return Answer(response.status, orjson.loads(raw) if raw and raw[:1] in (b"{", b"[") else None)
