"""Bad input over real HTTP: every error is a problem+json document with the right 4xx, and nothing breaks."""

from __future__ import annotations

import jwt
import pytest

from tests.integration.conftest import Api, flight

pytestmark = pytest.mark.integration


@pytest.fixture
def worker(module_worker):
    return module_worker   # one worker for this module's tests (conftest.module_worker)


async def raw(http, method, url, *, data=None, headers=None):
    async with http.request(method, url, data=data, headers=headers or {}) as response:
        return response.status, response.content_type, await response.json(content_type=None)


async def test_bad_requests_get_clear_problem_documents(worker, http):
    api = Api(http, worker.url)
    await api.sign_up_and_log_in()
    auth = {"Authorization": f"Bearer {api.token}"}
    url = worker.url + "/api/v1/reservations"
    json_headers = {**auth, "Content-Type": "application/json"}
    cases = [
        ("malformed JSON", "POST", url, b'{"type": "flight",', json_headers, 400, "malformed-json"),
        ("not an object", "POST", url, b'[1, 2]', json_headers, 400, "malformed-json"),
        ("wrong media type", "POST", url, b"type=flight", {**auth, "Content-Type": "text/plain"}, 415,
         "unsupported-media-type"),
        ("oversize body", "POST", url, b'{"notes": "' + b"x" * 200_000 + b'"}', json_headers, 413,
         "payload-too-large"),
        ("no token", "GET", url, None, {}, 401, "unauthorized"),
        ("garbage token", "GET", url, None, {"Authorization": "Bearer not.a.jwt"}, 401, "unauthorized"),
        ("bad id", "GET", url + "/not-an-id", None, auth, 404, "not-found"),
        ("unknown route", "GET", worker.url + "/api/v1/nothing-here", None, auth, 404, "not-found"),
        ("wrong method", "PUT", url, b"{}", json_headers, 405, "method-not-allowed"),
        # Faust's table pages are off: they would show every user's data to anyone on this port.
        ("table page", "GET", worker.url + "/table/logins/", None, {}, 404, "not-found"),
    ]
    for name, method, target, data, headers, status, kind in cases:
        got_status, content_type, body = await raw(http, method, target, data=data, headers=headers)
        assert (got_status, content_type) == (status, "application/problem+json"), (name, body)
        assert body["type"].endswith("/" + kind) and body["status"] == status and body["title"], name


async def test_validation_errors_name_every_offending_field(worker, http):
    api = Api(http, worker.url)
    await api.sign_up_and_log_in()
    status, problem, _ = await api.call("POST", "/api/v1/reservations", flight(
        colour="red", status="maybe", start="yesterday",
        flight={"airline": "LH", "number": "400", "from": "FRA", "to": "ZZZ"}))
    assert status == 422 and problem["type"].endswith("/validation-error")
    assert {e["field"] for e in problem["errors"]} >= {"colour", "status", "start", "flight.to"}
    status, problem, _ = await api.call("POST", "/api/v1/reservations", {**flight(), "version": 7})
    assert status == 422 and problem["errors"] == [{"field": "version", "message": "is read-only"}]
    status, problem, _ = await api.call("POST", "/api/v1/auth/signup", {"email": "nope", "password": "short"})
    assert status == 422 and {e["field"] for e in problem["errors"]} >= {"email", "password", "name"}


async def test_an_expired_or_forged_token_is_refused(worker, http):
    api = Api(http, worker.url)
    user = await api.sign_up_and_log_in()
    claims = jwt.decode(api.token, options={"verify_signature": False})
    forged = jwt.encode({**claims, "role": "admin"}, "not-our-secret-" + "y" * 32, algorithm="HS256")
    expired = jwt.encode({**claims, "iat": 1, "exp": 2}, worker.env["ROADWARRIOR_JWT_SECRET"], algorithm="HS256")
    for token, words in ((forged, "invalid"), (expired, "expired")):
        api.token = token
        status, problem, headers = await api.call("GET", "/api/v1/me")
        assert status == 401 and words in problem["title"] and headers["WWW-Authenticate"].startswith("Bearer")
    assert user["user_id"]
