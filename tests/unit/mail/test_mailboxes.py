"""Mailbox connections: what a connect request may hold, the status a traveller sees, what a poll changes."""

from __future__ import annotations

import pytest

from domain.common.errors import ValidationError
from domain.mail.mailboxes import (
    RECENT_SKIPS,
    after_poll,
    check_connect,
    live_consents,
    new_record,
    parse_state,
    public,
    same_account,
    state_token,
    status_text,
)

NOW = "2027-03-20T10:00:00.000Z"


def fields(exc: pytest.ExceptionInfo) -> set[str]:
    return {e["field"] for e in exc.value.errors}


def test_oauth_providers_need_nothing_more_and_imap_needs_credentials():
    assert check_connect({"provider": "gmail"}) == {"provider": "gmail"}
    icloud = check_connect({"provider": "icloud", "username": " ann@icloud.com ", "app_password": "abcd-efgh"})
    assert icloud == {"provider": "icloud", "username": "ann@icloud.com", "app_password": "abcd-efgh",
                      "host": "imap.mail.me.com", "port": 993}
    with pytest.raises(ValidationError) as exc:
        check_connect({"provider": "imap", "username": "ann", "port": 0})
    assert fields(exc) == {"app_password", "host", "port"}
    with pytest.raises(ValidationError) as exc:
        check_connect({"provider": "gmail", "app_password": "x"})
    assert fields(exc) == {"app_password"}
    with pytest.raises(ValidationError) as exc:
        check_connect({"provider": "yahoo"})
    assert fields(exc) == {"provider"}


@pytest.mark.parametrize("host", ["127.0.0.1", "10.1.2.3", "localhost", "mail.localhost", "::1"])
def test_local_mail_servers_are_refused_unless_allowed(host):
    body = {"provider": "imap", "username": "ann", "app_password": "pw", "host": host}
    with pytest.raises(ValidationError) as exc:
        check_connect(body)
    assert fields(exc) == {"host"}
    if ":" not in host:
        assert check_connect(body, allow_local_hosts=True)["host"] == host


def test_a_password_with_a_line_break_is_refused():
    with pytest.raises(ValidationError) as exc:
        check_connect({"provider": "icloud", "username": "ann", "app_password": "pw\r\nA1 LOGOUT"})
    assert fields(exc) == {"app_password"}


def test_the_api_never_shows_the_secret_or_the_sync_position():
    record = new_record("m" * 32, {"provider": "icloud", "account": "ann", "host": "h", "port": 993}, "rw1.x.y",
                        "connected", NOW)
    record["client_state"] = {"uidvalidity": 1, "last_uid": 7}
    shown = public(record, "2027-03-20T10:05:00Z")
    assert "secret" not in shown and "client_state" not in shown and "rw1.x.y" not in repr(shown)
    assert shown["status"] == "connected" and shown["next_poll_at"] == "2027-03-20T10:05:00Z"


def test_statuses_read_as_the_issue_names_them():
    assert status_text({"status": "connected"}) == "connected"
    assert status_text({"status": "auth_expired"}) == "auth expired"
    assert status_text({"status": "error", "detail": "imap: SELECT answered NO"}) == "error: imap: SELECT answered NO"
    assert status_text({"status": "unavailable", "detail": "imap: connection failed"}).endswith("(retrying)")


def test_a_poll_moves_the_sync_position_counts_and_keeps_recent_skips():
    record = new_record("m" * 32, {"provider": "imap", "account": "ann", "host": "h", "port": 993}, "s",
                        "connecting", NOW)
    skips = [{"ref": f"1:{n}", "reason": "too-large", "at": NOW} for n in range(RECENT_SKIPS + 5)]
    ok = after_poll(record, {"poll_id": "p1", "outcome": "ok", "client_state": {"last_uid": 9}, "messages": 3},
                    found=2, skipped=skips, now=NOW)
    assert ok["status"] == "connected" and ok["client_state"] == {"last_uid": 9} and ok["last_poll_id"] == "p1"
    assert (ok["messages_seen"], ok["reservations_found"]) == (3, 2) and ok["skipped"] == skips[-RECENT_SKIPS:]
    failed = after_poll(ok, {"poll_id": "p2", "outcome": "error", "status": "auth_expired", "detail": "refused",
                             "secret": "rotated"}, found=0, skipped=[], now=NOW)
    assert failed["status"] == "auth_expired" and failed["client_state"] == {"last_uid": 9}
    assert failed["errors_in_row"] == 1 and failed["secret"] == "rotated" and failed["last_success_at"] == NOW


def test_the_oauth_state_names_the_user_and_only_live_consents_count():
    nonce = "n" * 43
    assert parse_state(state_token("a" * 32, nonce)) == ("a" * 32, nonce)
    for bad in (None, "", "a" * 32, f"{'a' * 32}.short", f"not-a-user.{nonce}", f"{'a' * 32}.{nonce}.x"):
        assert parse_state(bad) is None
    assert live_consents({"old": {"expires_at": 99}, "new": {"expires_at": 101}}, 100) == {"new": {"expires_at": 101}}


def test_the_same_account_is_the_same_mailbox_but_oauth_accounts_are_never_matched():
    imap = {"provider": "imap", "account": "ann", "host": "h", "port": 993}
    assert same_account(imap, dict(imap)) and not same_account(imap, {**imap, "account": "bob"})
    assert not same_account({"provider": "gmail", "account": None}, {"provider": "gmail"})
