"""The reset mailer: the link that lets a traveller who forgot their password choose a new one."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from faust.types import EventT

from agents.notify.channels import email_channel
from domain.accounts.reset import LIFETIME_S, reset_link, seal
from domain.notify.password_reset import password_reset
from faust_app import app, settings
from integrations.channels.errors import ChannelError
from runtime.i18n import lang
from streams import topics
from streams.dead_letters import process
from tables.users import users

log = logging.getLogger(__name__)
REQUIRED = ("user_id", "email", "reset_id", "expires_at")


@app.agent(topics.password_reset_mails)
async def mail_password_resets(resets):
    """password-reset-mails -> e-mail: send the reset link, in the language of the account's profile."""
    await process(resets, "mail_password_resets", mail_one, REQUIRED, key_field="user_id")


async def mail_one(event: EventT, reset: dict) -> None:
    # User IDs only in these lines: the address and the token stay out of logs.
    channel = email_channel(settings.notify)
    if channel is None:
        log.info("password reset for %s not e-mailed: SMTP is not configured (ROADWARRIOR_SMTP_HOST)", event.key)
        return
    profile = users.get(event.key) or {}   # keyed by user ID like this topic: the profile is here
    token = seal(settings.accounts.jwt_secret.value, reset["email"], reset["reset_id"])
    note = password_reset(reset["email"], reset["reset_id"], lang(profile.get("locale")),
                          reset_link(settings.web.public_url, token), datetime.now(UTC), timedelta(seconds=LIFETIME_S))
    try:
        await channel.send(note)
    except ChannelError as exc:   # the channel's messages leave the address out
        log.warning("password reset for %s not e-mailed: %s", event.key, exc)
        return
    log.info("password reset for %s e-mailed", event.key)
