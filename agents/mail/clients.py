"""Mailbox clients built from stored records: the settings, sealed secrets and TLS trust they need."""

from __future__ import annotations

import functools
import json
import ssl
from collections.abc import Mapping

import aiohttp

from domain.mail.secrets_box import SecretsBox, parse_keys
from faust_app import settings
from integrations.mail.gmail import GMAIL_API, GmailClient
from integrations.mail.graph import GRAPH_API, GraphClient
from integrations.mail.imap import ImapAccount, ImapClient
from integrations.mail.message import MailboxClient
from integrations.mail.oauth import GOOGLE, MICROSOFT, OAuthApp, Tokens, TokenSource, with_base

IMAP_TIMEOUT_S = 30.0
HTTP_TIMEOUT_S = 20.0


@functools.cache
def box() -> SecretsBox:
    return SecretsBox(parse_keys(settings.mail.secrets_keys.value))


def secret_context(user_id: str, mailbox_id: str) -> str:
    """Binds a sealed secret to its user and mailbox: copied anywhere else it will not open."""
    return f"mailbox/{user_id}/{mailbox_id}"


def consent_context(user_id: str, nonce: str) -> str:
    return f"oauth-consent/{user_id}/{nonce}"


@functools.cache
def ssl_context() -> ssl.SSLContext:
    # ROADWARRIOR_MAIL_CA_FILE adds trust (tests' self-signed Dovecot); verification itself stays on.
    return ssl.create_default_context(cafile=settings.mail.ca_file) if settings.mail.ca_file \
        else ssl.create_default_context()


def oauth_app(provider: str) -> OAuthApp | None:
    """Our registration with Google ("gmail") or Microsoft ("outlook"); None when it is not configured."""
    if provider == "gmail":
        client_id, client_secret, base, spec = (settings.mail.google_client_id, settings.mail.google_client_secret,
                                                settings.mail.google_oauth_url, GOOGLE)
    elif provider == "outlook":
        client_id, client_secret, base, spec = (settings.mail.microsoft_client_id,
                                                settings.mail.microsoft_client_secret,
                                                settings.mail.microsoft_oauth_url, MICROSOFT)
    else:
        return None
    if not client_id:
        return None
    return OAuthApp(with_base(spec, base) if base else spec, client_id, settings.mail.oauth_redirect_uri, client_secret)


def seal_tokens(tokens: Tokens, context: str) -> str:
    return box().seal(json.dumps(tokens.to_dict()), context)


def imap_account(mailbox: Mapping, password: str) -> ImapAccount:
    return ImapAccount(mailbox["account"], password, host=mailbox["host"], port=mailbox["port"])


async def verify_imap(account: ImapAccount) -> None:
    """Log in once (and out); raises the client's MailError when the server refuses or cannot be reached."""
    client = ImapClient(account, {}, ssl_context=ssl_context(), timeout_s=IMAP_TIMEOUT_S)
    # ImapClient has no public "check": its connection context is the one place that logs in and maps errors.
    async with client._connected():
        pass


def open_client(session: aiohttp.ClientSession, user_id: str, record: Mapping, filters: dict,
                refreshed: list[Tokens]) -> MailboxClient:
    """The client for a stored mailbox; OAuth tokens the provider renews are appended to ``refreshed``."""
    secret = box().open(record["secret"], secret_context(user_id, record["id"]))
    if record["provider"] in ("icloud", "imap"):
        return ImapClient(imap_account(record, secret), filters, ssl_context=ssl_context(), timeout_s=IMAP_TIMEOUT_S)

    async def keep(tokens: Tokens) -> None:
        refreshed.append(tokens)

    app = oauth_app(record["provider"])
    if app is None:
        raise LookupError(f"{record['provider']} is not configured on this worker")
    tokens = TokenSource(session, app, Tokens.from_dict(json.loads(secret)), on_refresh=keep,
                         timeout_s=HTTP_TIMEOUT_S)
    if record["provider"] == "gmail":
        return GmailClient(session, tokens, filters, base_url=settings.mail.gmail_api_url or GMAIL_API,
                           timeout_s=HTTP_TIMEOUT_S)
    return GraphClient(session, tokens, filters, base_url=settings.mail.graph_api_url or GRAPH_API,
                       timeout_s=HTTP_TIMEOUT_S)
