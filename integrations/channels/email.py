"""The e-mail channel: a multipart text + HTML message with a localized subject, sent over SMTP with aiosmtplib."""

from __future__ import annotations

import logging
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr

import aiosmtplib

from domain.common.timestamps import to_utc
from domain.notify.notification import Notification
from integrations.channels.base import DeliveryResult, fingerprint
from integrations.channels.errors import (
    ChannelCredentialsRejected,
    ChannelError,
    DeviceTokenInvalid,
    PermanentError,
    RetryableError,
)

log = logging.getLogger(__name__)
NAME = "email"


@dataclass(frozen=True)
class SmtpConfig:
    """Where and as whom to send. ``start_tls`` None upgrades when the server offers STARTTLS."""

    host: str
    port: int
    sender: str  # "Road Warrior <trips@roadwarrior.example>"
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    use_tls: bool = False
    start_tls: bool | None = None
    timeout_s: float = 10.0
    tls_context: ssl.SSLContext | None = None


class EmailChannel:
    """Sends each notification as one e-mail to ``target["email"]``."""

    name = NAME

    def __init__(self, config: SmtpConfig) -> None:
        self.config = config

    async def send(self, notification: Notification) -> DeliveryResult:
        address = notification.target.get("email")
        if not address:
            raise PermanentError("email: the notification has no address", channel=NAME, reason="no-target")
        message = build_message(notification, self.config.sender, address)
        config = self.config
        try:
            await aiosmtplib.send(
                message, hostname=config.host, port=config.port, username=config.username,
                password=config.password, use_tls=config.use_tls, start_tls=config.start_tls,
                timeout=config.timeout_s, tls_context=config.tls_context,
            )
        except aiosmtplib.SMTPException as exc:
            # `from None`: aiosmtplib's messages quote the recipient's address.
            raise _error(exc) from None
        log.info("email: sent %s to %s", notification.notification_id, fingerprint(address))
        return DeliveryResult(NAME, notification.notification_id, message["Message-ID"], 250)


def build_message(notification: Notification, sender: str, address: str) -> EmailMessage:
    """The e-mail: text and HTML alternatives, a Message-ID fixed by the notification ID so copies are one."""
    domain = parseaddr(sender)[1].rpartition("@")[2] or "roadwarrior.invalid"
    message = EmailMessage()
    message["Subject"] = notification.title
    message["From"] = sender
    message["To"] = address
    message["Date"] = format_datetime(to_utc(notification.created_at))
    message["Message-ID"] = f"<{notification.notification_id}@{domain}>"
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies, please
    message.set_content(notification.text)
    message.add_alternative(notification.html, subtype="html")
    message["Content-Language"] = notification.locale.replace("_", "-")  # set_content drops Content-* headers
    return message


def _error(exc: aiosmtplib.SMTPException) -> ChannelError:
    if isinstance(exc, aiosmtplib.SMTPRecipientsRefused):
        code = min((r.code for r in exc.recipients), default=550)
        if code >= 500:
            return DeviceTokenInvalid("email: the recipient was refused", channel=NAME, reason=f"smtp-{code}",
                                      status=code)
        return RetryableError("email: the recipient was deferred", channel=NAME, reason=f"smtp-{code}", status=code)
    if isinstance(exc, aiosmtplib.SMTPAuthenticationError):
        return ChannelCredentialsRejected("email: SMTP login refused", channel=NAME, reason=f"smtp-{exc.code}",
                                          status=exc.code)
    if isinstance(exc, (aiosmtplib.SMTPTimeoutError, aiosmtplib.SMTPConnectError,
                        aiosmtplib.SMTPServerDisconnected)):
        return RetryableError(f"email: {type(exc).__name__}", channel=NAME, reason="connection")
    if isinstance(exc, aiosmtplib.SMTPResponseException):
        kind = PermanentError if exc.code >= 500 else RetryableError
        return kind(f"email: the server answered {exc.code}", channel=NAME, reason=f"smtp-{exc.code}",
                    status=exc.code)
    return PermanentError(f"email: {type(exc).__name__}", channel=NAME, reason="smtp")
