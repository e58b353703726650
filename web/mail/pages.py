"""The mailbox settings page (/settings/mailboxes): connected mailboxes (IMAP by form, Gmail and Outlook by
the provider's consent), disconnecting one, and the sender filters e-mail discovery reads with."""

from __future__ import annotations

import asyncio
import re

from aiohttp import web
from faust import web as faust_web

from web.accounts.settings_pages import API_ID, my_profile, signed_in
from web.pages import Answer, call_api, redirect, render

blueprint = faust_web.Blueprint("mail_pages")
PAGE = "/settings/mailboxes"
_ITEM = re.compile(r"^(allow|block)\[(\d+)\]$")


@blueprint.route("/settings/mailboxes", name="mailboxes")
class MailboxSettings(faust_web.View):
    @signed_in
    async def get(self, request: web.Request) -> web.Response:
        profile = await my_profile(request)
        return await _page(request, profile, saved="saved" in request.query)

    @signed_in
    async def post(self, request: web.Request) -> web.Response:
        """Connect: IMAP answers the mailbox; Gmail and Outlook answer the page leading to their consent."""
        profile = await my_profile(request)
        form = await request.post()
        body = connect_body(form)
        answer = await call_api(request, "POST", "/api/v1/me/mailboxes", body)
        if answer.ok and isinstance(answer.body, dict) and answer.body.get("authorization_url"):
            # A link, not a redirect: the CSP's form-action 'self' stops a form post redirecting off-site.
            return render(request, "mail/consent.html", profile=profile, consent=answer.body)
        if answer.ok:
            return redirect(f"{PAGE}?saved=1")
        values = {k: str(form.get(k, "")) for k in ("provider", "username", "host", "port")}
        return await _page(request, profile, connect=(answer, values))


@blueprint.route("/settings/mailboxes/filters", name="filters")
class FilterSettings(faust_web.View):
    @signed_in
    async def post(self, request: web.Request) -> web.Response:
        profile = await my_profile(request)
        form = await request.post()
        body = filters_body(form)
        answer = await call_api(request, "PUT", "/api/v1/me/email-filters", body)
        if answer.ok:
            return redirect(f"{PAGE}?saved=1#filters")
        return await _page(request, profile, filters=(answer, body))


@blueprint.route("/settings/mailboxes/{mailbox_id}/remove", name="remove")
class RemoveMailbox(faust_web.View):
    async def post(self, request: web.Request, mailbox_id: str) -> web.Response:
        if not API_ID.fullmatch(mailbox_id):
            return render(request, "error.html", status=404)
        answer = await call_api(request, "DELETE", f"/api/v1/me/mailboxes/{mailbox_id}")
        if answer.status == 401:
            return redirect("/login")
        if not answer.ok:
            return render(request, "error.html", status=answer.status, message=answer.title)
        return redirect(PAGE)


def connect_body(form) -> dict:
    """The API's connect body: the provider alone for OAuth, the IMAP login for the others."""
    provider = str(form.get("provider", ""))
    if provider in ("gmail", "outlook"):
        return {"provider": provider}
    body = {"provider": provider, "username": str(form.get("username", "")).strip(),
            "app_password": str(form.get("app_password", ""))}
    if provider == "imap":
        body["host"] = str(form.get("host", "")).strip()
        port = str(form.get("port", "")).strip()
        body["port"] = int(port) if port.isdigit() else (port or 993)   # the API names a bad port
    return body


def filters_body(form) -> dict:
    """One address or domain a line (commas too), as the API's lists."""
    def entries(name: str) -> list[str]:
        return [e for e in re.split(r"[\s,;]+", str(form.get(name, ""))) if e]
    return {"allow": entries("allow"), "block": entries("block"), "use_defaults": form.get("use_defaults") == "on"}


def filter_errors(answer: Answer, body: dict) -> dict[str, str]:
    """The API names a bad entry by its index; the traveller sees which entry."""
    out: dict[str, str] = {}
    for field, message in answer.field_errors().items():
        if match := _ITEM.match(field):
            name, index = match.group(1), int(match.group(2))
            entry = body[name][index] if index < len(body[name]) else ""
            out[name] = f"{out[name]} " if name in out else ""
            out[name] += f"{entry}: {message}"
        else:
            out[field] = message
    return out


async def _page(request: web.Request, profile: dict, saved: bool = False, connect: tuple | None = None,
                filters: tuple | None = None) -> web.Response:
    boxes, current = await asyncio.gather(call_api(request, "GET", "/api/v1/me/mailboxes"),
                                          call_api(request, "GET", "/api/v1/me/email-filters"))
    if not (boxes.ok and current.ok):
        return render(request, "error.html", status=503, profile=profile, message=boxes.title or current.title)
    connect_answer, connect_values = connect or (None, {"provider": "imap", "port": "993"})
    filters_answer, filters_values = filters or (None, current.body)
    failed = connect_answer or filters_answer
    return render(request, "mail/mailboxes.html", status=failed.status if failed else 200, profile=profile,
                  saved=saved, mailboxes=boxes.body.get("items", []),
                  connect_errors=connect_answer.field_errors() if connect_answer else {},
                  connect_message=connect_answer.title if connect_answer else None, values=connect_values,
                  filters=filters_values, default_senders=current.body.get("default_whitelist", []),
                  filter_errors=filter_errors(filters_answer, filters_values) if filters_answer else {},
                  filter_message=filters_answer.title if filters_answer else None)
