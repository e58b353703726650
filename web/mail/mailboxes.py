"""Mailboxes for e-mail discovery: connect (OAuth consent or IMAP password), list, disconnect (/api/v1/me/mailboxes).

Two requests here talk to a provider, by necessity: the OAuth callback exchanges its code (the code is
only good for minutes), and an IMAP connection is tried once so a wrong password is told at once.
"""

from __future__ import annotations

import asyncio
import re
import time
import uuid

from aiohttp import web
from faust import web as faust_web
from yarl import URL

from agents.mail import clients as mail_clients
from agents.mail.poll_mailboxes import poller
from domain.common.errors import NotFound, ValidationError
from domain.common.timestamps import epoch_iso
from domain.mail import mailboxes as rules
from faust_app import app, settings
from integrations.mail.errors import MailCredentialsRejected, MailError, MailUnavailable
from integrations.mail.oauth import authorization_request, exchange_code
from streams import topics
from streams.replies import progress
from tables.mailboxes import mailboxes
from web.apidoc import STR, TIME, answer, op, param, ref
from web.auth import caller
from web.problems import json_response, problem
from web.routing import forward_to_owner, read_json, send_command

blueprint = faust_web.Blueprint("mailboxes")
_ERROR_CODE = re.compile(r"[^A-Za-z0-9_.-]")


@blueprint.route("/me/mailboxes", name="collection")
class Mailboxes(faust_web.View):
    async def post(self, request: web.Request) -> web.Response:
        who = caller(request)
        body = rules.check_connect(await read_json(request), allow_local_hosts=settings.mail.allow_local_hosts)
        if (routed := await forward_to_owner(request, mailboxes.name, who.user_id)) is not None:
            return routed
        if body["provider"] in rules.OAUTH_PROVIDERS:
            return await _start_consent(who.user_id, body["provider"])
        return await _connect_imap(who.user_id, body)

    async def get(self, request: web.Request) -> web.Response:
        who = caller(request)
        if (routed := await forward_to_owner(request, mailboxes.name, who.user_id)) is not None:
            return routed
        records = await _records(who.user_id)
        items = sorted((_public(who.user_id, r) for r in records.values()), key=lambda m: m["connected_at"] or "")
        return json_response({"items": items})


@blueprint.route("/me/mailboxes/{mailbox_id}", name="detail")
class Mailbox(faust_web.View):
    async def get(self, request: web.Request, mailbox_id: str) -> web.Response:
        who = caller(request)
        if (routed := await forward_to_owner(request, mailboxes.name, who.user_id)) is not None:
            return routed
        record = (await _records(who.user_id)).get(mailbox_id)
        if record is None:
            raise NotFound("No such mailbox.")
        return json_response(_public(who.user_id, record))

    async def delete(self, request: web.Request, mailbox_id: str) -> web.Response:
        who = caller(request)
        if not rules.MAILBOX_ID.fullmatch(mailbox_id):
            raise NotFound("No such mailbox.")
        if (routed := await forward_to_owner(request, mailboxes.name, who.user_id)) is not None:
            return routed
        await send_command(topics.mailbox_commands, who.user_id,
                           {"kind": "disconnect", "mailbox_id": mailbox_id, "user_id": who.user_id})
        return web.Response(status=204)


@blueprint.route("/oauth/callback", name="oauth-callback")
class OAuthCallback(faust_web.View):
    async def get(self, request: web.Request) -> web.Response:
        answer = await _callback(request)
        # The traveller's browser, back from Google or Microsoft, goes on to the app's mailbox settings.
        if answer.status < 300 and request.headers.get("Sec-Fetch-Mode") == "navigate":
            return web.Response(status=303, headers={"Location": "/settings/mailboxes?saved=1"})
        return answer


async def _callback(request: web.Request) -> web.Response:
    parsed = rules.parse_state(request.query.get("state"))
    if parsed is None:
        return problem(400, "oauth-state-invalid", "The state parameter is missing or malformed.")
    user_id, nonce = parsed
    if (routed := await forward_to_owner(request, mailboxes.name, user_id)) is not None:
        return routed
    await progress.caught_up(topics.mailbox_commands.get_topic_name(), user_id, settings.web.request_timeout_s)
    consent = rules.live_consents((mailboxes.get(user_id) or {}).get("pending"), time.time()).get(nonce)
    if consent is None:
        return problem(400, "oauth-state-invalid", "This consent is unknown or expired; connect the mailbox again.")
    if "error" in request.query:
        error = _ERROR_CODE.sub("", request.query["error"])[:40]
        return problem(400, "oauth-denied", f"The provider did not grant access ({error}).")
    if not request.query.get("code"):
        return problem(400, "oauth-code-missing", "The callback carries no authorization code.")
    return await _finish_consent(user_id, nonce, consent, request.query["code"])


async def _start_consent(user_id: str, provider: str) -> web.Response:
    oauth = mail_clients.oauth_app(provider)
    if oauth is None:
        raise ValidationError("This provider is not configured.", [{"field": "provider",
                                                                    "message": f"{provider} is not available here"}])
    consent = authorization_request(oauth)
    # The state names the user, so the callback (which carries no token) reaches the worker keeping the consent.
    url = str(URL(consent.url).update_query(state=rules.state_token(user_id, consent.state)))
    verifier = mail_clients.box().seal(consent.code_verifier, mail_clients.consent_context(user_id, consent.state))
    await send_command(topics.mailbox_commands, user_id, {
        "kind": "oauth-start", "nonce": consent.state, "provider": provider, "verifier": verifier,
        "expires_at": time.time() + rules.CONSENT_TTL_S, "user_id": user_id})
    return json_response({"provider": provider, "authorization_url": url, "expires_in": rules.CONSENT_TTL_S})


async def _finish_consent(user_id: str, nonce: str, consent: dict, code: str) -> web.Response:
    oauth = mail_clients.oauth_app(consent["provider"])
    verifier = mail_clients.box().open(consent["verifier"], mail_clients.consent_context(user_id, nonce))
    try:
        tokens = await exchange_code(app.http_client, oauth, code, verifier, timeout_s=settings.web.request_timeout_s)
    except MailUnavailable:
        return problem(503, "provider-unavailable", "The provider did not answer; try connecting again.",
                       headers={"Retry-After": "5"})
    except MailError as exc:
        return problem(400, "oauth-failed", str(exc))
    mailbox_id = uuid.uuid4().hex
    secret = mail_clients.seal_tokens(tokens, mail_clients.secret_context(user_id, mailbox_id))
    return _created(await send_command(topics.mailbox_commands, user_id, {
        "kind": "connect", "nonce": nonce, "secret": secret, "status": "connecting",
        "mailbox": {"id": mailbox_id, "provider": consent["provider"]}, "user_id": user_id}))


async def _connect_imap(user_id: str, body: dict) -> web.Response:
    mailbox = {"provider": body["provider"], "account": body["username"], "host": body["host"], "port": body["port"]}
    try:
        async with asyncio.timeout(settings.web.request_timeout_s / 2):
            await mail_clients.verify_imap(mail_clients.imap_account(mailbox, body["app_password"]))
        status = "connected"
    except MailCredentialsRejected:
        return problem(422, "mailbox-auth-failed", "The mail server refused this user name and app password.")
    except (MailUnavailable, TimeoutError):
        status = "connecting"  # the server may be slow or down for now: the first poll decides
    except MailError as exc:
        return problem(422, "mailbox-unusable", str(exc))
    # Connecting the same account again keeps its mailbox (and sync position), with the new password.
    known = await _records(user_id)
    mailbox["id"] = next((r["id"] for r in known.values() if rules.same_account(r, mailbox)), uuid.uuid4().hex)
    secret = mail_clients.box().seal(body["app_password"], mail_clients.secret_context(user_id, mailbox["id"]))
    return _created(await send_command(topics.mailbox_commands, user_id, {
        "kind": "connect", "secret": secret, "status": status, "mailbox": mailbox, "user_id": user_id}))


async def _records(user_id: str) -> dict:
    await progress.caught_up(topics.mailbox_commands.get_topic_name(), user_id, settings.web.request_timeout_s)
    return (mailboxes.get(user_id) or {}).get("mailboxes") or {}


def _created(reply: dict) -> web.Response:
    mailbox = reply["mailbox"]
    return json_response(mailbox, reply["status"], {"Location": f"/api/v1/me/mailboxes/{mailbox['id']}"})


def _public(user_id: str, record: dict) -> dict:
    due = poller.next_poll(user_id, record["id"])
    return rules.public(record, epoch_iso(due) if due else None)


_MAILBOX_ID = param("mailbox_id", "path", {"type": "string", "pattern": rules.MAILBOX_ID.pattern})
_NULLABLE_TIME = {"type": ["string", "null"], "format": "date-time"}


def _line(most: int, description: str) -> dict:
    """Text on one line, not blank."""
    return {"type": "string", "minLength": 1, "maxLength": most, "pattern": "^[^\\r\\n\\u0000]*\\S[^\\r\\n\\u0000]*$",
            "description": description}


OPENAPI = {
    "schemas": {
        "MailboxConnect": {"oneOf": [
            {"type": "object", "additionalProperties": False, "required": ["provider"],
             "description": "gmail, outlook: the answer is a consent URL to send the traveller to",
             "properties": {"provider": {"enum": ["gmail", "outlook"]}}},
            {"type": "object", "additionalProperties": False, "required": ["provider", "username", "app_password"],
             "properties": {"provider": {"const": "icloud"}, "username": _line(320, "the Apple ID's mail address"),
                            "app_password": _line(1024, "an app-specific password; never returned"),
                            "host": {"description": "ignored: iCloud is imap.mail.me.com"},
                            "port": {"description": "ignored: 993"}}},
            {"type": "object", "additionalProperties": False,
             "required": ["provider", "username", "app_password", "host"],
             "properties": {"provider": {"const": "imap"}, "username": _line(320, "the mailbox's login"),
                            "app_password": _line(1024, "the password; never returned"),
                            "host": {"type": "string", "pattern": rules.HOST_NAME.pattern,
                                     "description": "a public IMAP server's name"},
                            "port": {"type": "integer", "minimum": 1, "maximum": 65535, "default": 993}}}]},
        "MailboxConsent": {"type": "object", "properties": {
            "provider": {"enum": ["gmail", "outlook"]}, "authorization_url": {"type": "string", "format": "uri"},
            "expires_in": {"type": "integer", "description": "seconds the consent may take"}}},
        "Mailbox": {"type": "object", "description": "tokens and passwords are never shown", "properties": {
            "id": STR, "provider": {"enum": ["gmail", "outlook", "icloud", "imap"]},
            "account": {"type": ["string", "null"]}, "host": {"type": ["string", "null"]},
            "port": {"type": ["integer", "null"]},
            "status": {"type": "string", "description": "connected, connecting, auth expired, or error: <reason>"},
            "connected_at": TIME, "last_polled_at": _NULLABLE_TIME, "last_success_at": _NULLABLE_TIME,
            "next_poll_at": _NULLABLE_TIME, "messages_seen": {"type": "integer"},
            "reservations_found": {"type": "integer"},
            "skipped": {"type": "array", "items": {"type": "object", "properties": {
                "ref": STR, "reason": STR, "at": TIME}}}}},
        "MailboxList": {"type": "object", "properties": {"items": {"type": "array", "items": ref("Mailbox")}}},
    },
    "paths": {
        "/api/v1/me/mailboxes": {
            "get": op("The caller's mailboxes with their status", {"200": answer(ref("MailboxList"))}, errors=(503,)),
            "post": op("Connect a mailbox: an OAuth consent URL (gmail, outlook) or IMAP credentials (icloud, imap)",
                       {"200": answer({"oneOf": [ref("MailboxConsent"), ref("Mailbox")]},
                                      "gmail, outlook: visit authorization_url; icloud, imap: an account connected "
                                      "again"),
                        "201": answer(ref("Mailbox"), "Connected", ["Location"])},
                       body="MailboxConnect", errors=(400, 413, 415, 422, 503))},
        "/api/v1/me/mailboxes/{mailbox_id}": {
            "get": op("One mailbox", {"200": answer(ref("Mailbox"))}, params=[_MAILBOX_ID], errors=(404, 503)),
            "delete": op("Disconnect a mailbox and delete its stored tokens or password",
                         {"204": {"description": "Disconnected"}}, params=[_MAILBOX_ID], errors=(404, 503))},
        "/api/v1/oauth/callback": {
            "get": op("Where Google or Microsoft send the traveller back after consent",
                      {"201": answer(ref("Mailbox"), "Connected", ["Location"]),
                       "303": {"description": "a browser's visit (Sec-Fetch-Mode: navigate): on to the mailbox "
                                              "settings page"}}, auth=False,
                      params=[param("state", required=True), param("code"), param("error")], errors=(400, 503))},
    },
}
