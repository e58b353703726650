"""Sign-in through OpenID Connect providers: each preset is offered once its client ID is set."""

from __future__ import annotations

from dataclasses import dataclass

from runtime.settings.fields import setting


@dataclass(frozen=True)
class Identity:
    """Sign in with Google or Microsoft: each is offered once its client ID is set; see *Sign-in providers*."""

    google_issuer: str = setting(
        "ROADWARRIOR_OIDC_GOOGLE_ISSUER", "https://accounts.google.com",
        doc="Google's issuer; its `/.well-known/openid-configuration` names the endpoints (tests: a local provider)")
    google_client_id: str | None = setting(
        "ROADWARRIOR_OIDC_GOOGLE_CLIENT_ID", None, doc="the Google OAuth client for sign-in; unset, no Google button")
    google_client_secret: str | None = setting(
        "ROADWARRIOR_OIDC_GOOGLE_CLIENT_SECRET", None, doc="its secret (unset: a public client, PKCE only)")
    microsoft_issuer: str = setting(
        "ROADWARRIOR_OIDC_MICROSOFT_ISSUER", "https://login.microsoftonline.com/common/v2.0",
        doc="Microsoft's issuer: `common` takes work, school and personal accounts; a tenant ID limits it to one "
            "organisation")
    microsoft_client_id: str | None = setting(
        "ROADWARRIOR_OIDC_MICROSOFT_CLIENT_ID", None,
        doc="the Microsoft Entra app for sign-in; unset, no Microsoft button")
    microsoft_client_secret: str | None = setting(
        "ROADWARRIOR_OIDC_MICROSOFT_CLIENT_SECRET", None, doc="its secret (unset: a public client, PKCE only)")
