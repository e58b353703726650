"""The invitation mailer: an address a trip was shared with, belonging to nobody yet, is asked to sign up."""

from __future__ import annotations

import asyncio
import logging
import random
from datetime import UTC, datetime

from faust.types import EventT

from agents.notify.channels import email_channel
from domain.common.retry import retry_delay
from domain.notify.invitation import invitation, sign_up_link
from domain.trips.shares import claim_token
from faust_app import app, settings
from integrations.channels.errors import ChannelError
from runtime.i18n import lang
from streams import topics
from streams.dead_letters import process
from tables.users import users

log = logging.getLogger(__name__)
REQUIRED = ("share_id", "email", "owner_id", "trip_id", "trip_name")
ATTEMPTS = 4   # about a minute of a mail server's trouble before the invitation is given up (logged)


@app.agent(topics.share_invitation_mails)
async def mail_invitations(invitations):
    """share-invitation-mails -> e-mail: invite the address to sign up; the share attaches when it does."""
    await process(invitations, "mail_invitations", mail_one, REQUIRED, key_field="owner_id")


async def mail_one(event: EventT, invited: dict) -> None:
    # Share IDs only in these lines: the address and the trip stay out of logs.
    channel = email_channel(settings.notify)
    if channel is None:
        log.info("invitation %s not e-mailed: SMTP is not configured (ROADWARRIOR_SMTP_HOST)", invited["share_id"])
        return
    owner = users.get(event.key) or {}   # keyed by user ID like this topic: the owner's profile is here
    token = claim_token(settings.accounts.jwt_secret.value, invited["share_id"], invited["email"])
    link = sign_up_link(settings.web.public_url, token)
    note = invitation(invited, owner.get("name"), lang(owner.get("locale")), link, datetime.now(UTC))
    for attempt in range(ATTEMPTS):
        try:
            await channel.send(note)
        except ChannelError as exc:   # the channel's messages leave the address out; one bad address stops nothing
            if not exc.retryable or attempt == ATTEMPTS - 1:
                log.warning("invitation %s not e-mailed: %s", invited["share_id"], exc)
                return
            # A mail server down for a moment: wait here (invitations are few; the next waits its turn).
            await asyncio.sleep(retry_delay(attempt, random.random, exc.retry_after, base_s=2.0, cap_s=30.0))
        else:
            log.info("invitation %s e-mailed", invited["share_id"])
            return
