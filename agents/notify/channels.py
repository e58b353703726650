"""The delivery channels this worker has settings for: SMTP e-mail, FCM, APNs and Web Push."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import aiohttp
import httpx

from integrations.channels.apns import ApnsChannel, ApnsConfig
from integrations.channels.base import Channel
from integrations.channels.email import EmailChannel, SmtpConfig
from integrations.channels.fcm import FcmChannel, FcmConfig
from integrations.channels.google_auth import ServiceAccount
from integrations.channels.webpush import WebPushChannel, WebPushConfig
from runtime.settings.notify import Notify

log = logging.getLogger(__name__)
START_TLS = {"auto": None, "starttls": True, "tls": False, "none": False}


def configured(notify: Notify) -> frozenset[str]:
    """The delivery channels with settings: the notifier makes no jobs for the others."""
    names = {"email": bool(notify.smtp_host), "fcm": bool(notify.fcm_project and notify.fcm_service_account_file),
             "apns": bool(notify.apns_key_file and notify.apns_team_id and notify.apns_key_id
                          and notify.apns_topic),
             "webpush": bool(notify.vapid_private_key.value)}
    return frozenset(name for name, on in names.items() if on)


def email_channel(notify: Notify) -> EmailChannel | None:
    """The SMTP e-mail channel, None while ``ROADWARRIOR_SMTP_HOST`` is unset."""
    if not notify.smtp_host:
        return None
    return EmailChannel(SmtpConfig(
        host=notify.smtp_host, port=notify.smtp_port, sender=notify.smtp_sender, username=notify.smtp_user,
        password=notify.smtp_password, use_tls=notify.smtp_tls == "tls", start_tls=START_TLS.get(notify.smtp_tls)))


def build_channels(notify: Notify, session: aiohttp.ClientSession) -> dict[str, Channel]:
    """Every configured channel by name; one that is not configured is absent (its jobs fail at once)."""
    channels: dict[str, Channel] = {}
    on = configured(notify)
    if "email" in on:
        channels["email"] = email_channel(notify)
    if "fcm" in on:
        info = json.loads(Path(notify.fcm_service_account_file).read_text())
        channels["fcm"] = FcmChannel(session, FcmConfig(notify.fcm_project, ServiceAccount.from_info(info),
                                                        api_base=notify.fcm_api_base))
    if "apns" in on:
        channels["apns"] = ApnsChannel(httpx.AsyncClient(http2=True), ApnsConfig(
            team_id=notify.apns_team_id, key_id=notify.apns_key_id, topic=notify.apns_topic,
            private_key=Path(notify.apns_key_file).read_text(), base_url=notify.apns_base_url))
    if "webpush" in on:
        channels["webpush"] = WebPushChannel(session, WebPushConfig(notify.vapid_private_key.value,
                                                                    notify.vapid_subject))
    log.info("notification channels: %s", ", ".join(sorted(channels)) or "none")
    return channels
