"""The installable app: the web app manifest (/manifest.webmanifest) and the service worker (/sw.js).

The service worker is served from the root so its scope is the whole app. It is web/static/sw.js with the
app shell's hashed URLs written in, so a new stylesheet or script makes a new worker (and a new cache).
"""

from __future__ import annotations

import functools
import hashlib

import orjson
from aiohttp import web
from faust import web as faust_web

from web.pages import STATIC, language_of, static_url, translations

blueprint = faust_web.Blueprint("offline")
SHELL_ASSETS = ("app.css", "app.js", "icons/icon-192.png", "icons/icon-512.png", "icons/maskable-192.png",
                "icons/maskable-512.png")
THEME, BACKGROUND = "#0b4f6c", "#f3f6f9"   # app.css's --brand and --wash
_SHELL_MARK, _VERSION_MARK = "[/* SHELL */]", '"/* VERSION */"'


@blueprint.route("/manifest.webmanifest", name="manifest")
class Manifest(faust_web.View):
    async def get(self, request: web.Request) -> web.Response:
        language = language_of(request)
        return web.Response(body=orjson.dumps(manifest(language)), content_type="application/manifest+json",
                            headers={"Cache-Control": "no-cache", "Vary": "Accept-Language"})


@blueprint.route("/sw.js", name="service_worker")
class ServiceWorker(faust_web.View):
    async def get(self, request: web.Request) -> web.Response:
        # no-cache: the browser asks again on each visit, so a new release reaches it at once.
        return web.Response(text=service_worker(), content_type="application/javascript",
                            headers={"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"})


def manifest(language: str) -> dict:
    _ = translations(language).gettext
    icons = [{"src": static_url(f"icons/{kind}-{size}.png"), "sizes": f"{size}x{size}", "type": "image/png",
              **({"purpose": "maskable"} if kind == "maskable" else {})}
             for kind in ("icon", "maskable") for size in (192, 512)]
    return {"name": "Road Warrior", "short_name": "Road Warrior", "id": "/", "start_url": "/", "scope": "/",
            "display": "standalone", "lang": language, "theme_color": THEME, "background_color": BACKGROUND,
            "description": _("Your trips, flights, hotels and cars in one place, with live changes."),
            "icons": icons}


@functools.cache
def service_worker() -> str:
    source = (STATIC / "sw.js").read_text()
    shell = orjson.dumps([static_url(name) for name in SHELL_ASSETS]).decode()
    version = hashlib.sha256((source + shell).encode()).hexdigest()[:12]
    return source.replace(_SHELL_MARK, shell).replace(_VERSION_MARK, orjson.dumps(version).decode())
