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
from datetime import UTC, datetime
from pathlib import Path

import orjson
from aiohttp import ClientError, web
from babel import Locale
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PrefixLoader, select_autoescape
from yarl import URL

from domain.common.local_time import date_text
from domain.common.local_time import local_time as formatted_time
from domain.common.places import zone_info
from domain.common.timestamps import to_utc
from faust_app import app, settings
from runtime.i18n import negotiate, translator
from web import session
from web.routing import CLIENT, client_address, client_proof

WEB = Path(__file__).resolve().parent
STATIC = WEB / "static"
LOCALES = WEB / "locales"
FEATURES = ("accounts", "reservations", "trips", "sharing", "notify", "mail", "providers", "reports")
# No inline script or style anywhere: the page works without script, and script comes only from /static/.
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                           "connect-src 'self'; manifest-src 'self'; worker-src 'self'; object-src 'none'; "
                           "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
SECURITY_HEADERS = {"Content-Security-Policy": CONTENT_SECURITY_POLICY, "X-Content-Type-Options": "nosniff",
                    "Referrer-Policy": "same-origin", "Cache-Control": "no-store"}


def translations(language: str) -> gettext.NullTranslations:
    """The catalogs runtime/i18n.py loaded once, shared with the notifications (English behind every gap)."""
    return translator(language)


@functools.lru_cache(maxsize=64)
def environment(language: str) -> Environment:
    """One template environment per language tag ("es-MX": Spanish words, Mexican dates): Jinja's i18n
    extension binds its gettext per environment."""
    features = {name: FileSystemLoader(WEB / name / "templates") for name in FEATURES}
    env = Environment(loader=ChoiceLoader([FileSystemLoader(WEB / "templates"), PrefixLoader(features)]),
                      autoescape=select_autoescape(default=True), extensions=["jinja2.ext.i18n"],
                      trim_blocks=True, lstrip_blocks=True)
    env.install_gettext_translations(translations(language), newstyle=True)
    env.globals.update(static=static_url, language=language.split("-")[0], language_tag=language)
    env.filters.update(local_time=functools.partial(local_time, language=language),
                       local_date=functools.partial(local_date, language=language))
    return env


def local_time(value: str | None, zone: str | None, *, language: str, with_date: bool = True) -> str:
    """The template filter over the one time formatter (domain/common/local_time.py): the place's own zone,
    named; a time without a place (when something was checked) in UTC unless the template names the reader's."""
    if not value:
        return ""
    return formatted_time(value, zone or "UTC", language.replace("-", "_"), with_date=with_date)


def local_date(value: str | None, zone: str | None = None, *, language: str) -> str:
    if not value:
        return ""
    moment = to_utc(value).astimezone(zone_info(zone or "UTC"))
    return date_text(moment, Locale.parse(language.replace("-", "_")))


@functools.cache
def static_url(name: str) -> str:
    """The asset's URL with its content hash: cached for a year, refetched when it changes."""
    digest = hashlib.sha256((STATIC / name).read_bytes()).hexdigest()[:12]
    return f"/static/{name}?v={digest}"


async def cache_static(request: web.Request, response: web.StreamResponse) -> None:
    """on_response_prepare: an asset asked by its hashed URL never changes, so browsers keep it a year."""
    if request.path.startswith("/static/") and "v" in request.query and response.status == 200:
        response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
        response.headers["X-Content-Type-Options"] = "nosniff"


def language_of(request: web.Request, profile: dict | None = None) -> str:
    """The profile's language, else the best of the browser's Accept-Language, else English ("es-MX")."""
    return negotiate(request.headers.get("Accept-Language"), (profile or {}).get("locale"))


# A signed-in page rendered without the profile: its words, waiting for the profile's language.
_WORDS_PENDING = web.ResponseKey("words_pending", functools.partial)


def render(request: web.Request, template: str, status: int = 200, *, profile: dict | None = None,
           **context) -> web.Response:
    """The page, in the profile's language. Without a profile for a signed-in traveller (an error page, a form
    sent back refused), the words wait for profile_language_middleware to read it: Accept-Language alone
    would answer a traveller who chose Japanese in English exactly when something went wrong."""
    response = web.Response(status=status, content_type="text/html", headers=SECURITY_HEADERS)
    page = functools.partial(_html, request, template, context)
    if profile is None and session.token_of(request):
        response[_WORDS_PENDING] = page
    else:
        response.text = page(profile)
    session.keep_csrf_cookie(request, response)
    return response


def _html(request: web.Request, template: str, context: dict, profile: dict | None) -> str:
    return environment(language_of(request, profile)).get_template(template).render(
        csrf_token=session.csrf_token(request), signed_in=session.token_of(request) is not None,
        profile=profile, path=request.path, rendered_at=datetime.now(UTC).isoformat(timespec="seconds"), **context)


@web.middleware
async def profile_language_middleware(request: web.Request, handler):
    """Renders the pages left waiting for the signed-in traveller's profile (see render)."""
    response = await handler(request)
    if isinstance(response, web.Response) and (page := response.pop(_WORDS_PENDING, None)) is not None:
        response.text = page(await profile_of(request))
    return response


async def profile_of(request: web.Request) -> dict | None:
    """The signed-in traveller's profile, whose language and time zone a page speaks; None when unknown."""
    me = await call_api(request, "GET", "/api/v1/me")
    return me.body if me.ok else None


def redirect(location: str) -> web.Response:
    """After a form's POST: see-other, so a reload does not post again."""
    return web.Response(status=303, headers={"Location": location, "Cache-Control": "no-store"})


def login_first(request: web.Request) -> web.Response | None:
    """The way to the login page, back here afterwards, for a signed-out visitor; None when signed in."""
    if session.token_of(request):
        return None
    return redirect(str(URL("/login").with_query(next=request.path_qs)))


@dataclass
class Answer:
    status: int
    body: dict | list | None
    retry_after: str | None = None   # a 429 from the attempt limits (web/accounts/attempts.py), a 503

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
                   query: dict | None = None, *, token: str | None = None, headers: dict | None = None) -> Answer:
    """The JSON API's answer, asked on this worker as the signed-in traveller (or anonymously); ``headers``
    adds request headers such as If-Match."""
    headers = {"Accept": "application/json", "Accept-Language": request.headers.get("Accept-Language", ""),
               **(headers or {})}
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
    return Answer(response.status, orjson.loads(raw) if raw and raw[:1] in (b"{", b"[") else None,
                  response.headers.get("Retry-After"))


def passing_on(response: web.Response, answer: Answer) -> web.Response:
    """A page that shows the API's refusal keeps its Retry-After, as the API gave it."""
    if answer.retry_after:
        response.headers["Retry-After"] = answer.retry_after
    return response
