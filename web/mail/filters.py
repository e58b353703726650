"""Which senders' mail e-mail discovery reads: the caller's allow and block lists (/api/v1/me/email-filters)."""

from __future__ import annotations

from aiohttp import web
from faust import web as faust_web

from domain.mail.filters import DEFAULT_FILTERS, DEFAULT_WHITELIST, validate
from faust_app import settings
from streams import topics
from streams.replies import progress
from tables.email_filters import email_filters
from web.apidoc import STR, answer, op, ref
from web.auth import caller
from web.problems import json_response
from web.routing import forward_to_owner, read_json, send_command

blueprint = faust_web.Blueprint("email_filters")
READ_ONLY = "default_whitelist"  # shown on GET so it can be edited; ignored on PUT so GET-edit-PUT works


@blueprint.route("/me/email-filters", name="email-filters")
class EmailFilters(faust_web.View):
    async def get(self, request: web.Request) -> web.Response:
        who = caller(request)
        if (routed := await forward_to_owner(request, email_filters.name, who.user_id)) is not None:
            return routed
        await progress.caught_up(topics.mailbox_commands.get_topic_name(), who.user_id, settings.web.request_timeout_s)
        return _representation(email_filters.get(who.user_id) or DEFAULT_FILTERS)

    async def put(self, request: web.Request) -> web.Response:
        who = caller(request)
        body = await read_json(request)
        body.pop(READ_ONLY, None)
        filters = validate(body)
        if (routed := await forward_to_owner(request, email_filters.name, who.user_id)) is not None:
            return routed
        reply = await send_command(topics.mailbox_commands, who.user_id,
                                   {"kind": "set-filters", "user_id": who.user_id, "filters": filters})
        return _representation(reply["filters"])


def _representation(filters: dict) -> web.Response:
    return json_response({**DEFAULT_FILTERS, **filters, READ_ONLY: list(DEFAULT_WHITELIST)})


_DOMAINS = {"type": "array", "maxItems": 200,
            "items": {"type": "string", "maxLength": 320, "pattern": "^([^@\\s]*@)?[^@\\s.]+(\\.[^@\\s.]+)+$",
                      "description": "an e-mail address or a domain"}}
OPENAPI = {
    "schemas": {
        "EmailFiltersInput": {"type": "object", "additionalProperties": False, "properties": {
            "allow": _DOMAINS, "block": _DOMAINS, "use_defaults": {"type": "boolean", "default": True},
            READ_ONLY: {"description": "read-only: ignored, so a GET can be edited and PUT back"}},
            "description": "an entry may not be in both lists"},
        "EmailFilters": {"type": "object", "properties": {
            "allow": _DOMAINS, "block": _DOMAINS, "use_defaults": {"type": "boolean"},
            READ_ONLY: {"type": "array", "items": STR}}},
    },
    "paths": {
        "/api/v1/me/email-filters": {
            "get": op("The caller's sender filters", {"200": answer(ref("EmailFilters"))}),
            "put": op("Replace the caller's sender filters", {"200": answer(ref("EmailFilters"))},
                      body="EmailFiltersInput", errors=(400, 413, 415, 422, 503))},
    },
}
