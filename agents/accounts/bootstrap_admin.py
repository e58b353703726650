"""At start: make sure the administrator named by the environment exists."""

from __future__ import annotations

import logging
import uuid

import orjson
from argon2 import PasswordHasher

from domain.accounts.rules import normalise_email
from domain.common.timestamps import now_iso
from faust_app import app, settings
from streams import topics

log = logging.getLogger(__name__)
ADMIN_IDS = uuid.UUID("0b8f5a8e-3d0b-4f7e-9a53-2f4c1e7d6a11")


@app.task
async def bootstrap_admin() -> None:
    """-> login-commands: register ROADWARRIOR_ADMIN_EMAIL as an admin (idempotent: a stable user ID)."""
    email = normalise_email(settings.accounts.admin_email)
    if email is None or not settings.accounts.admin_password:
        return
    user_id = uuid.uuid5(ADMIN_IDS, email).hex  # the same on every start and every worker
    command = {
        "command_id": f"bootstrap-admin-{user_id}", "kind": "register", "user_id": user_id, "role": "admin",
        "password_hash": PasswordHasher().hash(settings.accounts.admin_password),
        "profile": {"name": "Administrator", "locale": "en", "time_zone": "UTC"},
        "issued_at": now_iso(),
    }
    await topics.login_commands.send(key=email, value=orjson.dumps(command))
    log.info("administrator account ensured (user %s)", user_id)
