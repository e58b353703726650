"""An OpenID Connect client (authorization code with PKCE): discovery, the consent URL, the code exchange and
the ID token's verification against the provider's published keys."""

from __future__ import annotations

import hmac
import json
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import aiohttp
import jwt
from yarl import URL

from integrations.identity.claims import Identity, expected_issuer, identity, issuer_matches
from integrations.mail.oauth import code_challenge, code_verifier

SCOPES = "openid email profile"
METADATA_TTL_S = 3600.0
LEEWAY_S = 60   # clock skew between us and the provider
ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512")


class OidcError(Exception):
    """Sign-in failed; the message is safe to show (it names no token or code)."""


class ProviderUnavailable(OidcError):
    """The provider did not answer, or answered with a server error: try again later."""


class SignInRefused(OidcError):
    """The provider refused the code, or its answer does not prove who signed in."""


@dataclass(frozen=True)
class OidcProvider:
    """Our client registration at one issuer."""

    name: str
    issuer: str
    client_id: str
    redirect_uri: str
    client_secret: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class Flow:
    """Send the person to ``url``; keep the rest (server-side or sealed) until the callback."""

    url: str
    state: str
    nonce: str
    code_verifier: str = field(repr=False)


_cache: dict[str, tuple[float, dict]] = {}   # URL -> (fetched at, JSON): metadata and key sets change rarely


class OidcClient:
    def __init__(self, session: aiohttp.ClientSession, provider: OidcProvider, *, timeout_s: float = 10.0,
                 clock: Callable[[], float] = time.time) -> None:
        self.session, self.provider, self.timeout_s, self.clock = session, provider, timeout_s, clock

    async def start(self) -> Flow:
        meta = await self.metadata()
        state, nonce, verifier = secrets.token_urlsafe(32), secrets.token_urlsafe(32), code_verifier()
        params = {"client_id": self.provider.client_id, "redirect_uri": self.provider.redirect_uri,
                  "response_type": "code", "scope": SCOPES, "state": state, "nonce": nonce,
                  "code_challenge": code_challenge(verifier), "code_challenge_method": "S256"}
        return Flow(str(URL(meta["authorization_endpoint"]).update_query(params)), state, nonce, verifier)

    async def finish(self, code: str, nonce: str, verifier: str) -> Identity:
        """Exchange the code and verify the ID token it brings; the person it names."""
        meta = await self.metadata()
        answer = await self._exchange(meta, code, verifier)
        id_token = answer.get("id_token")
        if not isinstance(id_token, str):
            raise SignInRefused(f"{self.provider.name} sent no ID token")
        return identity(await self.verify(meta, id_token, nonce))

    async def metadata(self) -> dict:
        meta = await self._json(self.provider.issuer.rstrip("/") + "/.well-known/openid-configuration")
        if not issuer_matches(self.provider.issuer, str(meta.get("issuer", ""))):
            raise SignInRefused(f"{self.provider.name}: the discovery document names another issuer")
        if not all(isinstance(meta.get(k), str) for k in ("authorization_endpoint", "token_endpoint", "jwks_uri")):
            raise SignInRefused(f"{self.provider.name}: the discovery document lacks an endpoint")
        return meta

    async def verify(self, meta: dict, id_token: str, nonce: str) -> dict:
        """The ID token's claims once signature, issuer, audience, expiry and nonce all hold."""
        try:
            header = jwt.get_unverified_header(id_token)
            key = await self._key(meta["jwks_uri"], header.get("kid"), header.get("alg"))
            claims = jwt.decode(id_token, key, algorithms=[header["alg"]], audience=self.provider.client_id,
                                leeway=LEEWAY_S, options={"require": ["iss", "sub", "aud", "exp", "iat"],
                                                          "verify_iss": False})
        except jwt.InvalidTokenError as exc:
            raise SignInRefused(f"{self.provider.name}: the ID token is not valid ({type(exc).__name__})") from None
        if claims["iss"] != expected_issuer(str(meta["issuer"]), claims):
            raise SignInRefused(f"{self.provider.name}: the ID token comes from another issuer")
        if not hmac.compare_digest(str(claims.get("nonce", "")), nonce):
            raise SignInRefused(f"{self.provider.name}: the ID token was not issued for this sign-in (nonce)")
        audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
        if len(audiences) > 1 and claims.get("azp") != self.provider.client_id:
            raise SignInRefused(f"{self.provider.name}: the ID token was issued to another party (azp)")
        return claims

    async def _key(self, jwks_uri: str, kid: str | None, alg: str | None):
        if alg not in ALGORITHMS:   # never "none" nor HS* (the "key" would be public)
            raise jwt.InvalidAlgorithmError(str(alg))
        for fresh in (False, True):   # keys rotate: an unknown kid refetches the set once
            found = [k for k in jwt.PyJWKSet.from_dict(await self._json(jwks_uri, fresh=fresh)).keys
                     if kid is None or k.key_id == kid]
            if found:
                return found[0].key
        raise jwt.InvalidKeyError("no published key has this kid")

    async def _exchange(self, meta: dict, code: str, verifier: str) -> dict:
        form = {"grant_type": "authorization_code", "code": code, "redirect_uri": self.provider.redirect_uri,
                "client_id": self.provider.client_id, "code_verifier": verifier}
        auth = None
        if self.provider.client_secret:
            if "client_secret_post" in meta.get("token_endpoint_auth_methods_supported", ["client_secret_post"]):
                form["client_secret"] = self.provider.client_secret
            else:
                auth = aiohttp.BasicAuth(self.provider.client_id, self.provider.client_secret)
        status, body = await self._request("POST", meta["token_endpoint"], data=form, auth=auth)
        if status != 200:
            # Only the error code: a description may quote what we sent.
            error = "".join(c for c in str(body.get("error", "")) if c.isalnum() or c in "_-.")[:40]
            raise SignInRefused(f"{self.provider.name} refused the code ({status} {error})".strip())
        return body

    async def _json(self, url: str, *, fresh: bool = False) -> dict:
        cached = _cache.get(url)
        if cached and not fresh and self.clock() - cached[0] < METADATA_TTL_S:
            return cached[1]
        status, body = await self._request("GET", url)
        if status != 200:
            raise SignInRefused(f"{self.provider.name}: {URL(url).path} answered {status}")
        _cache[url] = (self.clock(), body)
        return body

    async def _request(self, method: str, url: str, **kwargs) -> tuple[int, dict]:
        try:
            async with self.session.request(method, url, timeout=aiohttp.ClientTimeout(total=self.timeout_s),
                                            headers={"Accept": "application/json"}, **kwargs) as response:
                status, text = response.status, await response.read()
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise ProviderUnavailable(f"{self.provider.name} did not answer ({type(exc).__name__})") from None
        if status >= 500 or status == 429:
            raise ProviderUnavailable(f"{self.provider.name} answered {status}")
        try:
            body = json.loads(text)
        except ValueError:
            body = None
        return status, body if isinstance(body, dict) else {}
