"""What an ID token's claims say about the person: subject, e-mail (and whether the provider checked it), name."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Microsoft's multi-tenant metadata names its issuer with this placeholder; each token carries its tenant.
TENANT_PLACEHOLDER = "{tenantid}"
TENANT_ID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
# Personal Microsoft accounts live in this tenant; their e-mail is the address the account signs in with.
MICROSOFT_CONSUMERS = "9188040d-6c67-4c5b-b112-36a304b66dad"
MULTI_TENANT = ("common", "organizations", "consumers")


@dataclass(frozen=True)
class Identity:
    subject: str
    email: str | None
    email_verified: bool
    name: str | None
    locale: str | None


def expected_issuer(metadata_issuer: str, claims: dict) -> str | None:
    """The ``iss`` a token must carry: the metadata's, with Microsoft's tenant placeholder filled from ``tid``."""
    if TENANT_PLACEHOLDER not in metadata_issuer:
        return metadata_issuer
    tenant = claims.get("tid")
    if not isinstance(tenant, str) or not TENANT_ID.match(tenant):
        return None
    return metadata_issuer.replace(TENANT_PLACEHOLDER, tenant)


def issuer_matches(configured: str, discovered: str) -> bool:
    """Discovery must name the issuer we configured (OIDC Discovery 4.3); Microsoft's common, organizations and
    consumers issuers answer with the per-tenant template instead, under the same base."""
    configured, discovered = configured.rstrip("/"), discovered.rstrip("/")
    if TENANT_PLACEHOLDER not in discovered:
        return discovered == configured
    return any(discovered.replace(TENANT_PLACEHOLDER, group) == configured for group in MULTI_TENANT)


def identity(claims: dict) -> Identity:
    email = claims.get("email")
    email = email.strip().lower() if isinstance(email, str) and email.strip() else None
    name = claims.get("name")
    locale = claims.get("locale")
    return Identity(subject=str(claims["sub"]), email=email, email_verified=email is not None and _verified(claims),
                    name=name.strip() if isinstance(name, str) and name.strip() else None,
                    locale=locale if isinstance(locale, str) else None)


def _verified(claims: dict) -> bool:
    # Google sends a boolean; some providers send the string "true".
    if claims.get("email_verified") in (True, "true"):
        return True
    # Microsoft sends no email_verified: xms_edov (an optional claim) says the domain owner verified it, and a
    # personal account's address is the one it signs in with.
    return claims.get("xms_edov") in (True, "true", "1", 1) or claims.get("tid") == MICROSOFT_CONSUMERS
