"""The delivery channels this worker has settings for: SMTP e-mail, FCM, APNs and Web Push."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import aiohttp
import httpx

from faust_app import Settings
from integrations.channels.apns import ApnsChannel, ApnsConfig
from integrations.channels.base import Channel
from integrations.channels.email import EmailChannel, SmtpConfig
from integrations.channels.fcm import FcmChannel, FcmConfig
from integrations.channels.google_auth import ServiceAccount
from integrations.channels.webpush import WebPushChannel, WebPushConfig

log = logging.getLogger(__name__)
START_TLS = {"auto": None, "starttls": True, "tls": False, "none": False}


def configured(settings: Settings) -> frozenset[str]:
    """The delivery channels with settings: the notifier makes no jobs for the others."""
    names = {"email": bool(settings.smtp_host), "fcm": bool(settings.fcm_project and settings.fcm_service_account_file),
             "apns": bool(settings.apns_key_file and settings.apns_team_id and settings.apns_key_id
                          and settings.apns_topic),
             "webpush": bool(settings.vapid_private_key)}
    return frozenset(name for name, on in names.items() if on)


def build_channels(settings: Settings, session: aiohttp.ClientSession) -> dict[str, Channel]:
    """Every configured channel by name; one that is not configured is absent (its jobs fail at once)."""
    channels: dict[str, Channel] = {}
    on = configured(settings)
    if "email" in on:
        channels["email"] = EmailChannel(SmtpConfig(
            host=settings.smtp_host, port=settings.smtp_port, sender=settings.smtp_sender,
            username=settings.smtp_user, password=settings.smtp_password, use_tls=settings.smtp_tls == "tls",
            start_tls=START_TLS.get(settings.smtp_tls)))
    if "fcm" in on:
        info = json.loads(Path(settings.fcm_service_account_file).read_text())
        channels["fcm"] = FcmChannel(session, FcmConfig(settings.fcm_project, ServiceAccount.from_info(info),
                                                        api_base=settings.fcm_api_base))
    if "apns" in on:
        channels["apns"] = ApnsChannel(httpx.AsyncClient(http2=True), ApnsConfig(
            team_id=settings.apns_team_id, key_id=settings.apns_key_id, topic=settings.apns_topic,
            private_key=Path(settings.apns_key_file).read_text(), base_url=settings.apns_base_url))
    if "webpush" in on:
        channels["webpush"] = WebPushChannel(session, WebPushConfig(settings.vapid_private_key,
                                                                    settings.vapid_subject))
    log.info("notification channels: %s", ", ".join(sorted(channels)) or "none")
    return channels
