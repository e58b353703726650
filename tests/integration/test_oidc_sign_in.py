"""Sign in with an OpenID provider (oidc-provider-mock, a real OIDC server run locally) on a real worker."""

from __future__ import annotations

import threading
import uuid

import aiohttp
import oidc_provider_mock
import pytest
from werkzeug.serving import make_server
from yarl import URL

from tests.integration.conftest import Api, eventually

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def idp():
    # The package's WSGI app on 127.0.0.1 (its run_server_in_thread binds "localhost", which may be ::1 only).
    server = make_server("127.0.0.1", 0, oidc_provider_mock.app(), threaded=True)
    thread = threading.Thread(target=server.serve_forever, args=(0.1,))
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


@pytest.fixture
def worker(cluster, idp):
    cluster.extra_env.update({"ROADWARRIOR_OIDC_GOOGLE_ISSUER": idp, "ROADWARRIOR_OIDC_GOOGLE_CLIENT_ID": "rw-test",
                              "ROADWARRIOR_OIDC_GOOGLE_CLIENT_SECRET": "rw-secret"})
    one = cluster.worker("w1").start()
    one.wait_ready()
    return one


@pytest.fixture
async def browser():
    # unsafe: the worker is at 127.0.0.1, and aiohttp keeps no cookies of IP hosts otherwise.
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
        yield session


async def person(browser, idp: str, **claims) -> str:
    sub = uuid.uuid4().hex
    async with browser.put(f"{idp}/users/{sub}", json=claims) as response:
        assert response.status == 204
    return sub


async def consent(browser, worker, idp: str, sub: str, action: str = "allow") -> str:
    """The person starts at our button and agrees at the provider: the callback URL it sends them to."""
    async with browser.get(worker.url + "/auth/oidc/google/start", allow_redirects=False) as started:
        assert started.status == 302
        authorize = started.headers["Location"]
    assert authorize.startswith(idp) and "code_challenge_method=S256" in authorize
    form = {"sub": sub} if action == "allow" else {"action": "deny"}
    async with browser.post(authorize, data=form, allow_redirects=False) as agreed:
        assert agreed.status == 302, await agreed.text()
        return agreed.headers["Location"]


async def callback(browser, url: str, accept: str = "application/json"):
    async with browser.get(url, headers={"Accept": accept}, allow_redirects=False) as response:
        json = "json" in response.content_type
        return response.status, await response.json(content_type=None) if json else await response.text(), response


async def signed_in(browser, worker, idp: str, sub: str, accept: str = "application/json"):
    """Consent and callback, again while the worker answers 503 (partitions moving on a loaded machine): a
    503 says "try again", and a person would."""
    async def attempt():
        answer = await callback(browser, await consent(browser, worker, idp, sub), accept)
        return answer if answer[0] != 503 else None

    return await eventually(attempt, timeout_s=90, interval_s=1)


async def test_a_new_person_signs_up_then_comes_back_to_the_same_account(worker, idp, browser, http):
    api = Api(http, worker.url)
    status, listed, _ = await api.call("GET", "/api/v1/auth/providers")
    assert status == 200 and listed["items"] == [
        {"id": "google", "name": "Google", "start_url": "/auth/oidc/google/start"}]
    email = f"zoe-{uuid.uuid4().hex[:8]}@example.com"
    sub = await person(browser, idp, email=email, email_verified=True, name="Zoë Ng", locale="ja-JP")

    status, tokens, response = await signed_in(browser, worker, idp, sub)
    assert status == 200, tokens
    api.token = tokens["access_token"]
    status, me, _ = await api.call("GET", "/api/v1/me")
    assert status == 200 and (me["email"], me["name"], me["locale"]) == (email, "Zoë Ng", "ja-JP")

    status, _, redirected = await signed_in(browser, worker, idp, sub, accept="text/html")
    assert status == 302 and redirected.headers["Location"] == "/"
    assert redirected.cookies["rw_refresh"]["httponly"] and redirected.cookies["rw_access"].value
    async with browser.get(worker.url + "/api/v1/me") as signed_in_page:   # the cookie session: the same person
        assert signed_in_page.status == 200 and (await signed_in_page.json())["id"] == tokens["user_id"]
    status, again, _ = await signed_in(browser, worker, idp, sub)
    assert status == 200 and again["user_id"] == tokens["user_id"]
    status, refreshed, _ = await api.call("POST", "/api/v1/auth/refresh", {"refresh_token": again["refresh_token"]})
    assert status == 200 and refreshed["user_id"] == tokens["user_id"]


async def test_a_verified_owner_takes_over_a_password_sign_up_of_their_address(worker, idp, browser, http):
    # Someone signed up first with Ann's address (never proven) and holds a password and a session.
    squatter = await Api(http, worker.url).sign_up_and_log_in("Ann")
    password = {"email": squatter["email"], "password": "correct horse battery"}
    ann = await person(browser, idp, email=squatter["email"].upper(), email_verified=True, name="Ann G.")
    status, tokens, _ = await signed_in(browser, worker, idp, ann)
    assert status == 200 and tokens["user_id"] == squatter["id"], tokens   # the link proceeds: Ann owns it now
    api = Api(http, worker.url)
    status, _, _ = await api.call("POST", "/api/v1/auth/refresh", {"refresh_token": squatter["refresh_token"]})
    assert status == 401   # the squatter's session is over
    assert (await api.call("POST", "/api/v1/auth/login", password))[0] == 401   # and the password cleared
    status, _, _ = await api.call("POST", "/api/v1/auth/refresh", {"refresh_token": tokens["refresh_token"]})
    assert status == 200   # Ann's own session, opened after the takeover, goes on


async def test_a_proven_address_links_as_before_and_an_unverified_one_is_refused(worker, idp, browser, http):
    email = f"zoe-{uuid.uuid4().hex[:8]}@example.com"
    first = await person(browser, idp, email=email, email_verified=True, name="Zoë")
    status, tokens, _ = await signed_in(browser, worker, idp, first)
    assert status == 200, tokens
    second = await person(browser, idp, email=email, email_verified=True, name="Zoë at work")
    status, linked, _ = await signed_in(browser, worker, idp, second)
    assert status == 200 and linked["user_id"] == tokens["user_id"], linked
    refreshed = await Api(http, worker.url).call("POST", "/api/v1/auth/refresh",
                                                 {"refresh_token": tokens["refresh_token"]})
    assert refreshed[0] == 200   # the address was proven by the first sign-in: nothing was taken over

    bob = await Api(http, worker.url).sign_up_and_log_in("Bob")
    mallory = await person(browser, idp, email=bob["email"], email_verified=False, name="Not Bob")
    status, problem, _ = await signed_in(browser, worker, idp, mallory)
    assert status == 403 and problem["type"].endswith("/email-unverified"), problem
    assert "not confirmed this e-mail address" in problem["title"]
    status, _, _ = await Api(http, worker.url).call("POST", "/api/v1/auth/refresh",
                                                    {"refresh_token": bob["refresh_token"]})
    assert status == 200   # nor by an unverified one


async def test_a_forged_state_a_missing_flow_and_a_denied_consent_are_refused(worker, idp, browser):
    sub = await person(browser, idp, email=f"eve-{uuid.uuid4().hex[:8]}@example.com", email_verified=True)
    back = URL(await consent(browser, worker, idp, sub))
    status, problem, _ = await callback(browser, str(back.update_query(state="forged")))
    assert status == 400 and problem["type"].endswith("/sign-in-state-invalid"), problem
    status, problem, _ = await callback(browser, str(back))   # the flow's cookie went with the first try
    assert status == 400 and problem["type"].endswith("/sign-in-expired"), problem

    status, problem, response = await callback(browser, await consent(browser, worker, idp, sub, "deny"),
                                               accept="text/html")
    assert status == 400 and response.content_type == "text/html" and "did not allow" in problem
    status, problem, _ = await callback(browser, await consent(browser, worker, idp, sub, "deny"))
    assert status == 400 and problem["type"].endswith("/sign-in-denied"), problem
