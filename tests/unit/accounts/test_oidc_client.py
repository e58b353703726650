"""The OpenID Connect client against a local provider: discovery, PKCE, and every check on the ID token."""

from __future__ import annotations

import time

import aiohttp
import pytest
from yarl import URL

from integrations.identity import oidc
from integrations.identity.oidc import OidcClient, OidcProvider, ProviderUnavailable, SignInRefused
from tests.unit.accounts.fake_idp import CLIENT_ID, CLIENT_SECRET, FakeIdP, rsa_key

REDIRECT = "https://roadwarrior.test/auth/oidc/google/callback"
ANN = {"sub": "1234", "email": "Ann@Example.com", "email_verified": True, "name": "Ann Lee", "locale": "de"}
TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"


@pytest.fixture(autouse=True)
def no_cache():
    oidc._cache.clear()


@pytest.fixture
async def session():
    async with aiohttp.ClientSession() as client_session:
        yield client_session


async def started(aiohttp_server, session, issuer_path: str = "", configured_path: str = ""):
    idp = FakeIdP(issuer_path)
    server = await aiohttp_server(idp.app())
    idp.base = f"http://{server.host}:{server.port}"
    provider = OidcProvider("google", idp.base + (configured_path or issuer_path), CLIENT_ID, REDIRECT,
                            CLIENT_SECRET)
    return idp, OidcClient(session, provider)


async def signed_in(idp, client, claims=ANN, **token_claims):
    flow = await client.start()
    code = idp.consent(flow.url, claims, **token_claims)
    return await client.finish(code, flow.nonce, flow.code_verifier)


async def test_the_consent_url_carries_state_nonce_and_an_s256_challenge_and_discovery_is_cached(
        aiohttp_server, session):
    idp, client = await started(aiohttp_server, session)
    first, second = await client.start(), await client.start()
    query = URL(first.url).query
    assert URL(first.url).path == "/authorize"
    assert query["client_id"] == CLIENT_ID and query["redirect_uri"] == REDIRECT
    assert query["response_type"] == "code" and query["scope"] == "openid email profile"
    assert (query["state"], query["nonce"]) == (first.state, first.nonce)
    assert query["code_challenge_method"] == "S256" and first.code_verifier not in first.url
    assert len({first.state, second.state, first.nonce, second.nonce}) == 4
    assert idp.hits["discovery"] == 1


async def test_a_code_exchanged_with_its_verifier_gives_the_verified_person(aiohttp_server, session):
    idp, client = await started(aiohttp_server, session)
    person = await signed_in(idp, client)
    assert (person.subject, person.email, person.email_verified, person.name, person.locale) == \
        ("1234", "ann@example.com", True, "Ann Lee", "de")
    form, = idp.token_forms
    assert form["client_secret"] == CLIENT_SECRET and form["grant_type"] == "authorization_code"


async def test_a_wrong_verifier_or_a_spent_code_is_refused(aiohttp_server, session):
    idp, client = await started(aiohttp_server, session)
    flow = await client.start()
    code = idp.consent(flow.url, ANN)
    with pytest.raises(SignInRefused, match="refused the code"):
        await client.finish(code, flow.nonce, "not-the-verifier-" + "x" * 40)
    code = idp.consent(flow.url, ANN)
    await client.finish(code, flow.nonce, flow.code_verifier)
    with pytest.raises(SignInRefused, match="400 invalid_grant"):
        await client.finish(code, flow.nonce, flow.code_verifier)


@pytest.mark.parametrize(("token_claims", "reason"), [
    ({"nonce": "another"}, "nonce"),
    ({"aud": "someone-else"}, "InvalidAudienceError"),
    ({"aud": [CLIENT_ID, "other"], "azp": "other"}, "azp"),
    ({"exp": int(time.time()) - 600}, "ExpiredSignatureError"),
    ({"iss": "https://evil.example"}, "another issuer"),
    ({"key": rsa_key()}, "InvalidSignatureError"),
], ids=["nonce", "audience", "azp", "expired", "issuer", "signature"])
async def test_an_id_token_failing_any_check_is_refused(aiohttp_server, session, token_claims, reason):
    idp, client = await started(aiohttp_server, session)
    with pytest.raises(SignInRefused, match=reason):
        await signed_in(idp, client, **token_claims)


async def test_an_unsigned_or_symmetric_id_token_is_refused(aiohttp_server, session):
    idp, client = await started(aiohttp_server, session)
    meta = await client.metadata()
    for algorithm, key in (("none", None), ("HS256", "public-looking-secret-of-some-length-32b")):
        token = idp.id_token(ANN, "n", key=key, algorithm=algorithm)
        with pytest.raises(SignInRefused, match="InvalidAlgorithmError"):
            await client.verify(meta, token, "n")


async def test_a_rotated_signing_key_is_fetched_once_the_token_names_it(aiohttp_server, session):
    idp, client = await started(aiohttp_server, session)
    await signed_in(idp, client)
    idp.keys["k2"], idp.signing_kid = rsa_key(), "k2"
    assert (await signed_in(idp, client)).subject == "1234"
    assert idp.hits["jwks"] == 2


async def test_microsofts_multi_tenant_issuer_is_the_tokens_own_tenant(aiohttp_server, session):
    idp, client = await started(aiohttp_server, session, "/{tenantid}/v2.0", "/common/v2.0")
    person = await signed_in(idp, client, {**ANN, "tid": TENANT, "email_verified": None})
    assert person.subject == "1234" and not person.email_verified   # a work account's address is unchecked
    with pytest.raises(SignInRefused, match="another issuer"):
        await signed_in(idp, client, {**ANN, "tid": TENANT}, iss=f"{idp.base}/{'0' * 8}-0000-0000-0000-{'0' * 12}/v2.0")
    with pytest.raises(SignInRefused, match="another issuer"):
        await signed_in(idp, client, {**ANN, "tid": "not-a-tenant"})


async def test_a_provider_that_is_down_or_failing_is_unavailable_not_refused(aiohttp_server, session):
    idp, client = await started(aiohttp_server, session)
    idp.down = True
    with pytest.raises(ProviderUnavailable, match="503"):
        await client.start()
    unreachable = OidcClient(session, OidcProvider("google", "http://127.0.0.1:9", CLIENT_ID, REDIRECT))
    with pytest.raises(ProviderUnavailable, match="did not answer"):
        await unreachable.start()
