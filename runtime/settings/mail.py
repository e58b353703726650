"""E-mail discovery (agents/mail/): how often mailboxes are polled, how their secrets are sealed, OAuth apps."""

from __future__ import annotations

from dataclasses import dataclass

from runtime.settings.fields import Derived, flag, number, setting
from runtime.settings.secret import Secret, generated, sealing_key

REDIRECT = "http://{ROADWARRIOR_WEB_HOST}:{ROADWARRIOR_WEB_PORT}/api/v1/oauth/callback"


@dataclass(frozen=True)
class Mail:
    """Each mailbox is polled once per cycle; its tokens and passwords are sealed at rest."""

    poll_s: float = setting("ROADWARRIOR_MAIL_POLL_S", 300.0, number, doc="how often each connected mailbox is polled")
    secrets_keys: Secret = setting(
        "ROADWARRIOR_SECRETS_KEYS", generated("mail-secrets", sealing_key), Secret.given,
        doc="AES keys (comma-separated, newest first) sealing mailbox tokens and passwords and calendar feed tokens; "
            "the same on every worker (`domain/mail/secrets_box.py`)")
    ca_file: str | None = setting(
        "ROADWARRIOR_MAIL_CA_FILE", None,
        doc="a CA file trusted besides the system's for IMAP servers (tests: a self-signed server)")
    allow_local_hosts: bool = setting(
        "ROADWARRIOR_MAIL_ALLOW_LOCAL_HOSTS", False, flag,
        doc="`1` lets users connect IMAP servers at private addresses and `localhost` (development and tests)")
    oauth_redirect_uri: str = setting(
        "ROADWARRIOR_OAUTH_REDIRECT_URI", Derived(lambda values: REDIRECT.format(**values), f"`{REDIRECT}`"),
        doc="where Google and Microsoft send the user back after consent")
    google_client_id: str | None = setting(
        "ROADWARRIOR_GOOGLE_CLIENT_ID", None, doc="the Gmail OAuth app; unset, Gmail cannot be connected")
    google_client_secret: str | None = setting("ROADWARRIOR_GOOGLE_CLIENT_SECRET", None, doc="its secret")
    google_oauth_url: str | None = setting(
        "ROADWARRIOR_GOOGLE_OAUTH_URL", None, doc="another base for Google's OAuth endpoints (tests: a fake server)")
    gmail_api_url: str | None = setting(
        "ROADWARRIOR_GMAIL_API_URL", None, doc="another base for the Gmail API (tests: a fake server)")
    microsoft_client_id: str | None = setting(
        "ROADWARRIOR_MICROSOFT_CLIENT_ID", None, doc="the Outlook OAuth app; unset, Outlook cannot be connected")
    microsoft_client_secret: str | None = setting("ROADWARRIOR_MICROSOFT_CLIENT_SECRET", None, doc="its secret")
    microsoft_oauth_url: str | None = setting(
        "ROADWARRIOR_MICROSOFT_OAUTH_URL", None,
        doc="another base for Microsoft's OAuth endpoints (tests: a fake server)")
    graph_api_url: str | None = setting(
        "ROADWARRIOR_GRAPH_API_URL", None, doc="another base for the Microsoft Graph API (tests: a fake server)")
