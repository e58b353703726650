"""E-mail discovery end to end: a real broker, a real worker, a real Dovecot, and Gmail/Graph-shaped servers."""

from __future__ import annotations

import base64
import os
import re
import time

import pytest

from devtools import broker
from tests.dates import next_on
from tests.integration.conftest import Api, eventually, flight
from tests.unit.mail.fixtures import FakeAuthorizationServer, dovecot_server
from tests.unit.mail.test_bookings import confirmation_mail as sample_mail
from tests.unit.mail.test_gmail import API as GMAIL_API
from tests.unit.mail.test_gmail import FakeGmail
from tests.unit.mail.test_graph import FakeGraph

pytestmark = pytest.mark.integration
POLL_S = 3
AIRLINE = "non-existing-airline.com"  # the sample's sender domain, which the traveller whitelists
HUGE = 3 * 1024 * 1024
YEAR = next_on(3, 4).year   # the sample's flight day, 4 March, in a year still ahead: it is tracked


def mail_env(**extra: str) -> dict:
    key = base64.urlsafe_b64encode(os.urandom(32)).decode()  # a fresh AES-256 key, as parse_keys reads it
    return {"ROADWARRIOR_MAIL_POLL_S": str(POLL_S), "ROADWARRIOR_SECRETS_KEYS": key,
            "ROADWARRIOR_MAIL_ALLOW_LOCAL_HOSTS": "1", **extra}


def confirmation_mail(**edits) -> bytes:
    """The sample booking in YEAR: every date in it is a 2027 one, so all move together (US winter time still)."""
    return sample_mail(**edits).replace(b'"2027-', f'"{YEAR}-'.encode())


@pytest.fixture
def dovecot():
    with dovecot_server(mailboxes=1) as server:
        yield server


async def email_reservations(api: Api) -> list[dict]:
    status, page, _ = await api.call("GET", "/api/v1/reservations")
    assert status == 200, page
    return [r for r in page["items"] if r.get("source") == "email"]


async def test_an_imap_mailbox_feeds_whitelisted_bookings_into_the_dashboard(cluster, dovecot, http):
    worker = cluster.worker("w1", **mail_env(ROADWARRIOR_MAIL_CA_FILE=str(dovecot.root / "cert.pem"))).start()
    worker.wait_ready()
    api = Api(http, worker.url)
    await api.sign_up_and_log_in("Ann")
    user, password = dovecot.users[0]
    status, filters, _ = await api.call("PUT", "/api/v1/me/email-filters", {"allow": [AIRLINE]})
    assert status == 200 and filters["allow"] == [AIRLINE] and "lufthansa.com" in filters["default_whitelist"]
    stranger = confirmation_mail(sender="Someone <someone@elsewhere.example>", confirmation="STRNGR")
    dovecot.deliver(user, password, stranger.replace(b"</body>", b"x" * HUGE + b"</body>"))

    imap = {"provider": "imap", "username": user, "host": dovecot.host, "port": dovecot.port}
    status, mailbox, headers = await api.call("POST", "/api/v1/me/mailboxes", {**imap, "app_password": password})
    assert status == 201 and mailbox["status"] == "connected" and headers["Location"].endswith(mailbox["id"])

    await eventually(lambda: _polled_once(api))  # the first poll, at connection, found nothing
    dovecot.deliver(user, password, confirmation_mail())
    (created,) = await within_a_cycle(lambda: email_reservations(api), "confirmation")
    assert created["confirmation"] == "RXJ34P" and created["flight"]["departure_gate"] == "11"
    assert created["start"] == f"{YEAR}-03-04T20:15:00-08:00" and created["end"] == f"{YEAR}-03-05T06:30:00-05:00"
    # Tracked like any reservation: the tracking agent follows it from reservation-events, and its subject is
    # polled. It is the only reservation on this fresh cluster, so one subject tracked can only be its.
    assert await eventually(lambda: _tracked(http, worker.url))

    dovecot.deliver(user, password, confirmation_mail(modified=f"{YEAR}-03-15T09:00:00-05:00", gate="14",
                                                      message_id="<second@airline.test>"))
    updated = await within_a_cycle(lambda: _one_with(api, lambda r: r["flight"].get("departure_gate") == "14"),
                                   "update")
    assert updated["id"] == created["id"] and updated["version"] == 2

    truncated = confirmation_mail(confirmation="BROKEN").replace(b'"boardingGroup": "B"\n}', b'"boardingGroup"')
    dovecot.deliver(user, password, truncated)
    dovecot.deliver(user, password, confirmation_mail(modified=f"{YEAR}-03-16T09:00:00-05:00", status="Cancelled",
                                                      message_id="<third@airline.test>"))
    cancelled = await eventually(lambda: _one_with(api, lambda r: r["status"] == "cancelled"))
    assert cancelled["id"] == created["id"]

    status, listing, _ = await api.call("GET", "/api/v1/me/mailboxes")
    (shown,) = listing["items"]
    assert status == 200 and shown["status"] == "connected" and shown["messages_seen"] == 4
    assert shown["reservations_found"] == 1 and shown["last_polled_at"] and shown["next_poll_at"]
    assert any("invalid JSON-LD" in skip["reason"] for skip in shown["skipped"])
    assert password not in repr(listing) and "secret" not in shown
    _assert_never_fetched_in_full(dovecot, user)
    assert password not in worker.log()

    status, _, _ = await api.call("DELETE", f"/api/v1/me/mailboxes/{mailbox['id']}")
    assert status == 204
    status, listing, _ = await api.call("GET", "/api/v1/me/mailboxes")
    assert listing["items"] == []
    status, _, _ = await api.call("GET", f"/api/v1/me/mailboxes/{mailbox['id']}")
    assert status == 404
    # Last: after a refused login Dovecot slows that client's next logins down for seconds.
    status, problem, _ = await api.call("POST", "/api/v1/me/mailboxes", {**imap, "app_password": "wrong"})
    assert status == 422 and problem["type"].endswith("/mailbox-auth-failed")


async def test_a_booking_found_in_mail_joins_the_trip_booked_around_it_through_the_api(cluster, dovecot, http):
    worker = cluster.worker("w1", **mail_env(ROADWARRIOR_MAIL_CA_FILE=str(dovecot.root / "cert.pem"))).start()
    worker.wait_ready()
    api = Api(http, worker.url)
    await api.sign_up_and_log_in("Ann")
    await api.call("PUT", "/api/v1/me/email-filters", {"allow": [AIRLINE]})
    made = {}
    for key, body in [("stay", {"type": "hotel", "start": f"{YEAR}-03-05T10:00", "end": f"{YEAR}-03-08T11:00",
                                "start_time_zone": "America/New_York", "hotel": {"name": "Hotel Example"}}),
                      ("back", flight(start=f"{YEAR}-03-08T15:00", end=f"{YEAR}-03-08T18:30",
                                      start_time_zone="America/New_York", end_time_zone="America/Los_Angeles",
                                      flight={"airline": "UA", "number": "2", "from": "JFK", "to": "SFO"})),
                      ("later", flight(start=f"{YEAR}-05-04T08:30", end=f"{YEAR}-05-04T11:05"))]:
        status, created, _ = await api.call("POST", "/api/v1/reservations", body)
        assert status == 201, created
        made[key] = created["id"]
    user, password = dovecot.users[0]
    imap = {"provider": "imap", "username": user, "host": dovecot.host, "port": dovecot.port}
    status, _, _ = await api.call("POST", "/api/v1/me/mailboxes", {**imap, "app_password": password})
    assert status == 201
    await eventually(lambda: _polled_once(api))
    dovecot.deliver(user, password, confirmation_mail())   # the flight out, SFO to JFK on 4 March
    (out,) = await within_a_cycle(lambda: email_reservations(api), "confirmation")

    trip = await eventually(lambda: _trip_holding(api, out["id"]))
    assert trip["name"] == "New York" and trip["reservation_ids"] == [out["id"], made["stay"], made["back"]]
    assert [r["id"] for r in trip["reservations"]] == trip["reservation_ids"]
    assert trip["reservations"][0]["source"] == "email" and trip["reservations"][0]["confirmation"] == "RXJ34P"
    later = await _trip_holding(api, made["later"])
    assert later["reservation_ids"] == [made["later"]]


async def _trip_holding(api: Api, reservation_id: str) -> dict | None:
    status, page, _ = await api.call("GET", "/api/v1/trips")
    assert status == 200, page
    return next((t for t in page["items"] if reservation_id in t["reservation_ids"]), None)


async def within_a_cycle(check, what: str):
    """One polling cycle, plus the hops from the poller to the listing (three topics on the broker)."""
    started = time.monotonic()
    result = await eventually(check, timeout_s=POLL_S + 6)
    print(f"{what} listed {time.monotonic() - started:.1f} s after delivery (poll cycle {POLL_S} s)")
    return result


async def _polled_once(api: Api) -> bool:
    status, listing, _ = await api.call("GET", "/api/v1/me/mailboxes")
    return status == 200 and all(m["last_polled_at"] for m in listing["items"])


async def _one_with(api: Api, condition) -> dict | None:
    found = await email_reservations(api)
    assert len(found) == 1, found  # never a duplicate, whatever the mail said
    return found[0] if condition(found[0]) else None


async def _tracked(http, base: str) -> bool:
    async with http.get(f"{base}/metrics") as response:
        gauge = re.search(r"^roadwarrior_tracking_subjects (\S+)$", await response.text(), re.MULTILINE)
    return gauge is not None and float(gauge.group(1)) >= 1


def _assert_never_fetched_in_full(dovecot, user: str) -> None:
    """Dovecot logs the bytes each session sent: no session ever sent the non-whitelisted 3 MB mail."""
    sessions = re.findall(rf"imap\({re.escape(user)}\).*Logged out in=\d+ out=(\d+).* body_bytes=(\d+)",
                          (dovecot.root / "dovecot.log").read_text())
    assert len(sessions) >= 3 and all(int(out) < HUGE and int(body) < HUGE for out, body in sessions), sessions


async def test_gmail_and_outlook_connect_through_oauth_and_are_polled(cluster, http, aiohttp_server):
    port = broker.free_port()
    callback = f"http://127.0.0.1:{port}/api/v1/oauth/callback"
    gmail = FakeGmail(FakeAuthorizationServer("google-client", callback, rotate_refresh=False))
    graph = FakeGraph(FakeAuthorizationServer("microsoft-client", callback, rotate_refresh=True))
    gmail_server, graph_server = await aiohttp_server(gmail.app()), await aiohttp_server(graph.app())
    google = f"http://{gmail_server.host}:{gmail_server.port}"
    graph.base = microsoft = f"http://{graph_server.host}:{graph_server.port}"
    worker = cluster.worker("w1", web_port=port, **mail_env(
        ROADWARRIOR_GOOGLE_CLIENT_ID="google-client", ROADWARRIOR_GOOGLE_OAUTH_URL=google,
        ROADWARRIOR_GMAIL_API_URL=google + GMAIL_API, ROADWARRIOR_MICROSOFT_CLIENT_ID="microsoft-client",
        ROADWARRIOR_MICROSOFT_OAUTH_URL=microsoft, ROADWARRIOR_GRAPH_API_URL=microsoft + "/v1.0")).start()
    worker.wait_ready()
    api = Api(http, worker.url)
    ann = await api.sign_up_and_log_in("Ann")
    status, problem, _ = await api.call("PUT", "/api/v1/me/email-filters", {"allow": ["not an address"]})
    assert status == 422 and [e["field"] for e in problem["errors"]] == ["allow[0]"]
    await api.call("PUT", "/api/v1/me/email-filters", {"allow": [AIRLINE]})
    forged = f"{worker.url}/api/v1/oauth/callback?code=stolen&state={ann['user_id']}.{'x' * 43}"
    async with http.get(forged) as response:  # a state we never issued connects nothing
        assert response.status == 400 and (await response.json())["type"].endswith("/oauth-state-invalid")
    gmail.add(confirmation_mail())
    graph.add(confirmation_mail(), f"noreply@{AIRLINE}")  # the same booking from a second mailbox
    graph.add(confirmation_mail(confirmation="OUTLK1"), f"noreply@{AIRLINE}")

    mailbox = await _consent(api, http, "gmail")
    assert mailbox["provider"] == "gmail" and mailbox["status"] == "connecting"
    assert await _consent(api, http, "outlook", browser=True) == "/settings/mailboxes?saved=1"  # on to the app
    found = await eventually(lambda: _confirmations(api, {"RXJ34P", "OUTLK1"}), timeout_s=2 * POLL_S + 10)
    assert len(found) == 2  # RXJ34P came from both mailboxes and is one reservation
    status, listing, _ = await api.call("GET", "/api/v1/me/mailboxes")
    seen = {m["provider"]: (m["status"], m["messages_seen"]) for m in listing["items"]}
    assert seen == {"gmail": ("connected", 1), "outlook": ("connected", 2)}
    for mailbox in listing["items"]:
        assert (await api.call("DELETE", f"/api/v1/me/mailboxes/{mailbox['id']}"))[0] == 204


async def _consent(api: Api, http, provider: str, browser: bool = False) -> dict | str:
    """What the traveller's browser does: start, consent at the provider, come back to our callback (a
    browser's navigation is sent on to the settings page: the answer is where)."""
    status, started, _ = await api.call("POST", "/api/v1/me/mailboxes", {"provider": provider})
    assert status == 200, started
    async with http.get(started["authorization_url"], allow_redirects=False) as consent:
        assert consent.status == 302
        back = consent.headers["Location"]
    navigation = {"Sec-Fetch-Mode": "navigate"} if browser else {}
    # No bearer token: the state says whose consent it is.
    async with http.get(back, headers=navigation, allow_redirects=False) as response:
        assert response.status == (303 if browser else 201), await response.text()
        return response.headers["Location"] if browser else await response.json()


async def _confirmations(api: Api, wanted: set[str]) -> list[dict] | None:
    found = await email_reservations(api)
    return found if {r["confirmation"] for r in found} == wanted else None

