"""The provider registry over HTTP: admin only, secrets never shown, replicated to every worker."""

from __future__ import annotations

import pytest

from tests.integration.conftest import Api, eventually

pytestmark = pytest.mark.integration
ADMIN = {"ROADWARRIOR_ADMIN_EMAIL": "ops@example.com", "ROADWARRIOR_ADMIN_PASSWORD": "a very long admin password"}
SIM = {"provider_id": "airline-sim", "kind": "standard", "name": "Airline simulator",
       "base_url": "http://127.0.0.1:8700/p/airline-sim", "credentials": {"api_key": "s3cret-key"},
       "quota": {"per_second": 50, "per_day": 1000000}, "batch_size": 100, "can_push": True}


async def admin_api(http, base) -> Api:
    api = Api(http, base)

    async def logged_in():
        status, tokens, _ = await api.call("POST", "/api/v1/auth/login", {
            "email": ADMIN["ROADWARRIOR_ADMIN_EMAIL"], "password": ADMIN["ROADWARRIOR_ADMIN_PASSWORD"]})
        return tokens if status == 200 else None

    api.token = (await eventually(logged_in))["access_token"]
    return api


async def test_admins_register_change_and_disable_providers_everywhere(cluster, http):
    first = cluster.worker("w1", **ADMIN).start()
    first.wait_ready()
    admin = await admin_api(http, first.url)

    status, created, headers = await admin.call("POST", "/api/v1/admin/providers", SIM)
    assert status == 201 and created["credential_names"] == ["api_key"] and "credentials" not in created
    assert len(created["webhook_secret"]) >= 32 and headers["Location"].endswith("/airline-sim")
    assert (await admin.call("POST", "/api/v1/admin/providers", SIM))[0] == 409

    status, shown, _ = await admin.call("GET", "/api/v1/admin/providers/airline-sim")
    assert status == 200 and "s3cret-key" not in repr(shown) and "webhook_secret" not in shown

    second = cluster.worker("w2", **ADMIN).start()
    second.wait_ready()

    async def listed_on_second():
        status, page, _ = await admin.call("GET", "/api/v1/admin/providers", base=second.url)
        return page["items"] if status == 200 and page["items"] else None

    items = await eventually(listed_on_second, timeout_s=60)
    assert [p["provider_id"] for p in items] == ["airline-sim"]

    status, patched, _ = await admin.call("PATCH", "/api/v1/admin/providers/airline-sim", {"batch_size": 20},
                                          base=second.url)
    assert status == 200 and patched["batch_size"] == 20 and patched["version"] == 2
    status, disabled, _ = await admin.call("DELETE", "/api/v1/admin/providers/airline-sim")
    assert status == 200 and disabled["enabled"] is False
    status, problem, _ = await admin.call("PATCH", "/api/v1/admin/providers/nope", {"batch_size": 2})
    assert status == 404
    status, problem, _ = await admin.call("POST", "/api/v1/admin/providers", {**SIM, "provider_id": "Bad ID!",
                                                                             "batch_size": 0})
    assert status == 422 and {e["field"] for e in problem["errors"]} == {"provider_id", "batch_size"}


async def test_travellers_cannot_touch_the_registry(worker, http):
    api = Api(http, worker.url)
    await api.sign_up_and_log_in()
    for method, path, body in (("GET", "/api/v1/admin/providers", None), ("POST", "/api/v1/admin/providers", SIM),
                               ("DELETE", "/api/v1/admin/providers/airline-sim", None)):
        status, problem, _ = await api.call(method, path, body)
        assert status == 403 and problem["type"].endswith("/forbidden"), (method, path)
