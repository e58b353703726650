"""Password reset on a real worker: the link e-mailed through SMTP, followed through the API, single use."""

from __future__ import annotations

import asyncio
import re

import pytest

from tests.integration import test_notifications_support as support
from tests.integration.conftest import Api

pytestmark = pytest.mark.integration
mailbox = support.mailbox
NEW_PASSWORD = "a brand new passphrase"


async def test_a_forgotten_password_is_reset_by_the_e_mailed_link_once(cluster, http, mailbox):
    cluster.extra_env.update({"ROADWARRIOR_SMTP_HOST": "127.0.0.1", "ROADWARRIOR_SMTP_PORT": str(mailbox.port),
                              "ROADWARRIOR_SMTP_TLS": "none", "ROADWARRIOR_PUBLIC_URL": "https://app.example",
                              "ROADWARRIOR_LIMIT_RESET_ACCOUNT": "2/600"})
    worker = cluster.worker("w1").start()
    worker.wait_ready()
    api = Api(http, worker.url)
    ann = await api.sign_up_and_log_in("Ann")
    status, _, _ = await api.call("POST", "/api/v1/auth/password-reset", {"email": "nobody@example.com"})
    assert status == 202   # the same answer for an address without an account: nobody learns who has one
    status, _, _ = await api.call("POST", "/api/v1/auth/password-reset", {"email": ann["email"].upper()})
    assert status == 202

    await asyncio.wait_for(mailbox.arrived.wait(), 30)
    (message,) = mailbox.messages   # one mail: none for nobody@
    assert message["To"] == ann["email"] and message["Subject"] == "Reset your Road Warrior password"
    token = re.search(r"https://app\.example/reset-password\?token=([A-Za-z0-9_-]+)",
                      message.get_body(("plain",)).get_content()).group(1)

    confirm = {"token": token, "password": NEW_PASSWORD}
    assert (await api.call("POST", "/api/v1/auth/password-reset/confirm", confirm))[0] == 204
    status, problem, _ = await api.call("POST", "/api/v1/auth/password-reset/confirm", confirm)
    assert status == 400 and problem["type"].endswith("/reset-token-invalid")   # single use
    status, _, _ = await api.call("POST", "/api/v1/auth/refresh", {"refresh_token": ann["refresh_token"]})
    assert status == 401                       # the sessions opened before the reset are over
    old = {"email": ann["email"], "password": "correct horse battery"}
    assert (await api.call("POST", "/api/v1/auth/login", old))[0] == 401
    status, tokens, _ = await api.call("POST", "/api/v1/auth/login", {**old, "password": NEW_PASSWORD})
    assert status == 200 and tokens["user_id"] == ann["user_id"]

    # Requests for one address are limited (2 here): the third is refused, with the time to wait.
    assert (await api.call("POST", "/api/v1/auth/password-reset", {"email": ann["email"]}))[0] == 202
    status, problem, headers = await api.call("POST", "/api/v1/auth/password-reset", {"email": ann["email"]})
    assert status == 429 and int(headers["Retry-After"]) > 0


async def test_a_forged_token_and_a_short_password_are_refused(worker, http):
    api = Api(http, worker.url)
    status, problem, _ = await api.call("POST", "/api/v1/auth/password-reset/confirm",
                                        {"token": "Zm9yZ2Vk", "password": NEW_PASSWORD})
    assert status == 400 and problem["type"].endswith("/reset-token-invalid")
    status, problem, _ = await api.call("POST", "/api/v1/auth/password-reset/confirm",
                                        {"token": "Zm9yZ2Vk", "password": "short"})
    assert status == 422 and problem["errors"][0]["field"] == "password"
