"""A local OpenID provider for the client's tests: discovery, a JWKS with a generated RSA key, and a token
endpoint that checks the PKCE verifier against the challenge the authorization request carried."""

from __future__ import annotations

import base64
import hashlib
import secrets
import time

import jwt
from aiohttp import web
from cryptography.hazmat.primitives.asymmetric import rsa
from yarl import URL

CLIENT_ID, CLIENT_SECRET = "rw-client", "s3cret"


def rsa_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class FakeIdP:
    """``issuer_path`` "/{tenantid}/v2.0" makes it answer like Microsoft's multi-tenant endpoint."""

    def __init__(self, issuer_path: str = "") -> None:
        self.issuer_path, self.base = issuer_path, ""
        self.keys = {"k1": rsa_key()}
        self.signing_kid = "k1"
        self.codes: dict[str, dict] = {}
        self.hits: dict[str, int] = {}
        self.token_forms: list[dict] = []
        self.down = False

    @property
    def issuer(self) -> str:
        return self.base + self.issuer_path

    def app(self) -> web.Application:
        app = web.Application()
        prefix = self.issuer_path.replace("{tenantid}", "common")
        app.add_routes([web.get(prefix + "/.well-known/openid-configuration", self.discovery),
                        web.get("/jwks", self.jwks), web.post("/token", self.token)])
        return app

    def consent(self, authorize_url: str, claims: dict, **token_claims) -> str:
        """What the provider does when the person agrees: a code bound to the request's challenge and nonce."""
        query = URL(authorize_url).query
        code = secrets.token_urlsafe(16)
        self.codes[code] = {"challenge": query["code_challenge"], "nonce": query["nonce"],
                            "redirect_uri": query["redirect_uri"], "client_id": query["client_id"],
                            "claims": claims, "token_claims": token_claims}
        return code

    def id_token(self, claims: dict, asked_nonce: str, *, key=None, algorithm: str = "RS256", **overrides) -> str:
        now = int(time.time())
        body = {"iss": self.issuer.replace("{tenantid}", str(claims.get("tid", ""))), "aud": CLIENT_ID,
                "iat": now, "exp": now + 300, "nonce": asked_nonce, **claims, **overrides}
        key = None if algorithm == "none" else key or self.keys[self.signing_kid]
        return jwt.encode(body, key, algorithm=algorithm,
                          headers={"kid": self.signing_kid})

    async def discovery(self, request: web.Request) -> web.Response:
        self._hit("discovery")
        if self.down:
            return web.Response(status=503)
        return web.json_response({"issuer": self.issuer, "authorization_endpoint": self.base + "/authorize",
                                  "token_endpoint": self.base + "/token", "jwks_uri": self.base + "/jwks",
                                  "id_token_signing_alg_values_supported": ["RS256"]})

    async def jwks(self, request: web.Request) -> web.Response:
        self._hit("jwks")
        keys = []
        for kid, key in self.keys.items():
            jwk = jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key(), as_dict=True)
            keys.append({**jwk, "kid": kid, "use": "sig", "alg": "RS256"})
        return web.json_response({"keys": keys})

    async def token(self, request: web.Request) -> web.Response:
        form = dict(await request.post())
        self.token_forms.append(form)
        grant = self.codes.pop(form.get("code", ""), None)   # a code works once
        if grant is None or form.get("grant_type") != "authorization_code":
            return web.json_response({"error": "invalid_grant"}, status=400)
        if not _proves(form.get("code_verifier", ""), grant["challenge"]) or \
                form.get("redirect_uri") != grant["redirect_uri"] or form.get("client_id") != CLIENT_ID:
            return web.json_response({"error": "invalid_grant"}, status=400)
        if form.get("client_secret") != CLIENT_SECRET:
            return web.json_response({"error": "invalid_client"}, status=401)
        id_token = self.id_token(grant["claims"], grant["nonce"], **grant["token_claims"])
        return web.json_response({"access_token": "at", "token_type": "Bearer", "expires_in": 3600,
                                  "id_token": id_token})

    def _hit(self, name: str) -> None:
        self.hits[name] = self.hits.get(name, 0) + 1


def _proves(verifier: str, challenge: str) -> bool:
    digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return secrets.compare_digest(digest, challenge)
