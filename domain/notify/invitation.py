"""The e-mail inviting an address nobody registered to follow a trip shared with it: words, link, record."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from domain.common.timestamps import utc_iso
from domain.notify.html import html_body
from domain.notify.locales import Lang, message
from domain.notify.notification import NAMESPACE, Notification

SIGN_UP_PATH = "/signup"   # the web app's sign-up page: it sends the invitation with the new account
LIFETIME = timedelta(days=28)


def sign_up_link(public_url: str, token: str) -> str:
    """Where the invited person signs up, with the claim token the sign-up must present (``invitation`` in its
    body) for the share to attach: the address alone proves nothing."""
    return f"{public_url.rstrip('/')}{SIGN_UP_PATH}?invitation={token}"


def invitation(invited: dict, inviter: str | None, lang: Lang, link: str, now: datetime) -> Notification:
    """The invitation e-mail for ``invited`` (``{share_id, email, trip_name}``), in the inviter's language:
    the person has no profile to say theirs, and is most likely to share the inviter's.

    Its ID is fixed by the share, so a redelivered invitation is the same e-mail (the same Message-ID).
    """
    name = inviter or message(lang, "invitation.someone")
    title = message(lang, "invitation.title", inviter=name, trip=invited["trip_name"])
    sentences = [message(lang, "invitation.text", inviter=name, trip=invited["trip_name"]),
                 message(lang, "invitation.action", link=link)]
    footer = message(lang, "invitation.footer")
    return Notification(
        notification_id=str(uuid.uuid5(NAMESPACE, f"invitation\x1f{invited['share_id']}")), channel="email",
        user_id="", reservation_id="", change_ids=(), severity="info", locale=lang.tag, title=title,
        summary=sentences[0], text="\n\n".join([*sentences, footer]),
        html=html_body(lang.tag.replace("_", "-"), title, sentences, [], footer),
        created_at=utc_iso(now), expires_at=utc_iso(now + LIFETIME), target={"email": invited["email"]})
