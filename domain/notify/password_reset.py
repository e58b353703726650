"""The e-mail carrying a password-reset link: words in the account's language, the link, and its record."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from domain.common.timestamps import utc_iso
from domain.notify.html import html_body
from domain.notify.locales import Lang, message
from domain.notify.notification import NAMESPACE, Notification


def password_reset(email: str, reset_id: str, lang: Lang, link: str, now: datetime,
                   lifetime: timedelta) -> Notification:
    """The reset e-mail to ``email`` in the profile's language.

    Its ID is fixed by the reset, so a redelivered request is the same e-mail (the same Message-ID).
    """
    title = message(lang, "password_reset.title")
    sentences = [message(lang, "password_reset.text"), message(lang, "password_reset.action", link=link)]
    footer = message(lang, "password_reset.footer")
    return Notification(
        notification_id=str(uuid.uuid5(NAMESPACE, f"password-reset\x1f{reset_id}")), channel="email",
        user_id="", reservation_id="", change_ids=(), severity="info", locale=lang.tag, title=title,
        summary=sentences[0], text="\n\n".join([*sentences, footer]),
        html=html_body(lang.tag.replace("_", "-"), title, sentences, [], footer),
        created_at=utc_iso(now), expires_at=utc_iso(now + lifetime), target={"email": email})
