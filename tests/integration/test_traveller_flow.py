"""A traveller's whole flow through one real worker and a real broker, over HTTP."""

from __future__ import annotations

import pytest

from tests.integration.conftest import TRIP_DAY, Api, as_booked, eventually, flight

pytestmark = pytest.mark.integration


async def test_sign_up_create_read_list_patch_delete(worker, http):
    api = Api(http, worker.url)
    user = await api.sign_up_and_log_in("Ann")

    status, me, _ = await api.call("GET", "/api/v1/me")
    assert status == 200 and me["email"] == user["email"] and me["time_zone"] == "Europe/Berlin"

    status, created, headers = await api.call("POST", "/api/v1/reservations", flight())
    assert status == 201, created
    assert created["start"] == f"{TRIP_DAY}T08:30:00+01:00"      # Frankfurt's offset
    assert created["end"] == f"{TRIP_DAY}T11:05:00-05:00"        # New York's offset
    assert created["end_time_zone"] == "America/New_York" and created["source"] == "manual"
    assert headers["ETag"] == '"1"'
    rid = created["id"]

    status, read, headers = await api.call("GET", f"/api/v1/reservations/{rid}")
    assert (status, as_booked(read)) == (200, created) and headers["ETag"] == '"1"'

    status, page, _ = await api.call("GET", "/api/v1/reservations")
    assert status == 200 and [r["id"] for r in page["items"]] == [rid]

    status, patched, headers = await api.call("PATCH", f"/api/v1/reservations/{rid}",
                                              {"flight": {"seat": "12A"}}, {"If-Match": '"1"'})
    assert status == 200 and patched["flight"]["seat"] == "12A" and headers["ETag"] == '"2"'

    status, problem, _ = await api.call("PATCH", f"/api/v1/reservations/{rid}",
                                        {"flight": {"seat": "14C"}}, {"If-Match": '"1"'})
    assert status == 412 and problem["type"].endswith("/precondition-failed")

    status, _, _ = await api.call("DELETE", f"/api/v1/reservations/{rid}", headers={"If-Match": '"1"'})
    assert status == 412
    status, _, _ = await api.call("DELETE", f"/api/v1/reservations/{rid}", headers={"If-Match": '"2"'})
    assert status == 204
    status, _, _ = await api.call("GET", f"/api/v1/reservations/{rid}")
    assert status == 404
    status, page, _ = await api.call("GET", "/api/v1/reservations")
    assert page["items"] == []


async def test_a_traveller_sees_only_their_own_reservations(worker, http):
    ann, bob = Api(http, worker.url), Api(http, worker.url)
    await ann.sign_up_and_log_in("Ann")
    await bob.sign_up_and_log_in("Bob")
    _, created, _ = await ann.call("POST", "/api/v1/reservations", flight())

    for method, body in (("GET", None), ("PATCH", {"notes": "mine now"}), ("DELETE", None)):
        status, problem, _ = await bob.call(method, f"/api/v1/reservations/{created['id']}", body)
        assert status == 404 and problem["type"].endswith("/not-found"), (method, problem)
    _, page, _ = await bob.call("GET", "/api/v1/reservations")
    assert page["items"] == []
    status, still, _ = await ann.call("GET", f"/api/v1/reservations/{created['id']}")
    assert status == 200 and "notes" not in still


async def test_a_retried_post_returns_the_first_result(worker, http):
    api = Api(http, worker.url)
    await api.sign_up_and_log_in()
    key = {"Idempotency-Key": "booking-42"}
    first = await api.call("POST", "/api/v1/reservations", flight(), key)
    again = await api.call("POST", "/api/v1/reservations", flight(), key)
    assert first[0] == again[0] == 201 and first[1] == again[1]
    other = await api.call("POST", "/api/v1/reservations", flight(confirmation="ZZZ999"), key)
    assert other[0] == 409
    _, page, _ = await api.call("GET", "/api/v1/reservations")
    assert len(page["items"]) == 1


async def test_listing_filters_and_pages_newest_trip_first(worker, http):
    api = Api(http, worker.url)
    await api.sign_up_and_log_in()
    starts = ["2026-12-01T08:00", "2027-01-15T09:00", "2026-12-20T10:00", "2027-02-01T07:00"]
    for start in starts:
        status, _, _ = await api.call("POST", "/api/v1/reservations", {
            "type": "hotel", "start": start, "end": start[:11] + "23:00",
            "start_time_zone": "Europe/Paris", "hotel": {"name": "Hôtel du Nord"}})
        assert status == 201
    seen, cursor = [], None
    while True:
        _, page, _ = await api.call("GET", "/api/v1/reservations?limit=3" + (f"&cursor={cursor}" if cursor else ""))
        seen += [r["start"][:10] for r in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == ["2027-02-01", "2027-01-15", "2026-12-20", "2026-12-01"]
    _, page, _ = await api.call("GET", "/api/v1/reservations?from=2026-12-10&to=2027-01-31&type=hotel")
    assert [r["start"][:10] for r in page["items"]] == ["2027-01-15", "2026-12-20"]
    status, problem, _ = await api.call("GET", "/api/v1/reservations?status=lost")
    assert status == 422 and problem["errors"][0]["field"] == "status"


async def test_refresh_rotates_and_a_reused_token_revokes_the_family(worker, http):
    api = Api(http, worker.url)
    tokens = await api.sign_up_and_log_in()
    status, rotated, _ = await api.call("POST", "/api/v1/auth/refresh", {"refresh_token": tokens["refresh_token"]})
    assert status == 200 and rotated["refresh_token"] != tokens["refresh_token"]
    api.token = rotated["access_token"]
    assert (await api.call("GET", "/api/v1/me"))[0] == 200

    status, problem, _ = await api.call("POST", "/api/v1/auth/refresh", {"refresh_token": tokens["refresh_token"]})
    assert status == 401 and "already used" in problem["title"]
    status, _, _ = await api.call("POST", "/api/v1/auth/refresh", {"refresh_token": rotated["refresh_token"]})
    assert status == 401  # the whole family is revoked

    credentials = {"email": tokens["email"], "password": "correct horse battery"}
    fresh = await api.call("POST", "/api/v1/auth/login", credentials)
    assert (await api.call("POST", "/api/v1/auth/logout", {"refresh_token": fresh[1]["refresh_token"]}))[0] == 204
    status, _, _ = await api.call("POST", "/api/v1/auth/refresh", {"refresh_token": fresh[1]["refresh_token"]})
    assert status == 401


async def test_profile_changes_and_duplicate_sign_up(worker, http):
    api = Api(http, worker.url)
    user = await api.sign_up_and_log_in()
    # A phone's own tag (region and all) is kept, in BCP 47 form.
    status, me, headers = await api.call("PATCH", "/api/v1/me", {"locale": "ja_JP", "time_zone": "Asia/Tokyo"})
    assert status == 200 and (me["locale"], me["time_zone"], me["version"]) == ("ja-JP", "Asia/Tokyo", 2)
    status, problem, _ = await api.call("POST", "/api/v1/auth/signup", {
        "email": user["email"].upper(), "password": "another long password", "name": "Impostor"})
    assert status == 409 and problem["type"].endswith("/email-taken")
    status, _, _ = await api.call("POST", "/api/v1/auth/login", {"email": user["email"], "password": "wrong password"})
    assert status == 401


async def test_the_environment_admin_can_log_in(cluster, http):
    admin = cluster.worker("w1", ROADWARRIOR_ADMIN_EMAIL="ops@example.com",
                           ROADWARRIOR_ADMIN_PASSWORD="a very long admin password").start()
    admin.wait_ready()
    api = Api(http, admin.url)

    async def logged_in():
        status, tokens, _ = await api.call("POST", "/api/v1/auth/login",
                                           {"email": "ops@example.com", "password": "a very long admin password"})
        return tokens if status == 200 else None

    tokens = await eventually(logged_in)
    api.token = tokens["access_token"]
    status, me, _ = await api.call("GET", "/api/v1/me")
    assert status == 200 and me["role"] == "admin"
