"""Notifications (agents/notify/): a delivery channel is on when configured; the rest tune the notifier."""

from __future__ import annotations

from dataclasses import dataclass

from runtime.settings.fields import integer, number, one_of, setting
from runtime.settings.secret import Secret, generated, vapid_key


@dataclass(frozen=True)
class Notify:
    """SMTP e-mail, FCM, APNs and Web Push, and how changes are gathered into notifications."""

    smtp_host: str | None = setting(
        "ROADWARRIOR_SMTP_HOST", None, doc="the server e-mail notifications are sent through; unset, e-mail is off")
    smtp_port: int = setting("ROADWARRIOR_SMTP_PORT", 25, integer, doc="its port")
    smtp_user: str | None = setting("ROADWARRIOR_SMTP_USER", None, doc="its login, if it wants one")
    smtp_password: str | None = setting("ROADWARRIOR_SMTP_PASSWORD", None, doc="and that login's password")
    smtp_sender: str = setting(
        "ROADWARRIOR_SMTP_SENDER", "Road Warrior <trips@roadwarrior.example>", doc="the From of every e-mail")
    smtp_tls: str = setting(
        "ROADWARRIOR_SMTP_TLS", "auto", one_of("auto", "starttls", "tls", "none"),
        doc="`auto` (STARTTLS when offered), `starttls` (required), `tls` (from the first byte) or `none`")
    fcm_project: str | None = setting(
        "ROADWARRIOR_FCM_PROJECT", None,
        doc="the Firebase project of mobile push (FCM); FCM is off unless both are set")
    fcm_service_account_file: str | None = setting(
        "ROADWARRIOR_FCM_SERVICE_ACCOUNT_FILE", None, doc="the JSON key of the service account FCM is sent as")
    fcm_api_base: str = setting(
        "ROADWARRIOR_FCM_API_BASE", "https://fcm.googleapis.com", doc="the FCM API (tests: a fake server)")
    apns_key_file: str | None = setting(
        "ROADWARRIOR_APNS_KEY_FILE", None, doc="the `.p8` key of iOS push; APNs is off unless all four are set")
    apns_team_id: str | None = setting("ROADWARRIOR_APNS_TEAM_ID", None, doc="the Apple team of that key")
    apns_key_id: str | None = setting("ROADWARRIOR_APNS_KEY_ID", None, doc="the key's ID")
    apns_topic: str | None = setting("ROADWARRIOR_APNS_TOPIC", None, doc="the app's bundle ID")
    apns_base_url: str = setting(
        "ROADWARRIOR_APNS_BASE_URL", "https://api.push.apple.com", doc="the APNs API (tests: a fake server)")
    vapid_private_key: Secret = setting(
        "ROADWARRIOR_VAPID_PRIVATE_KEY", generated("vapid-private-key", vapid_key), Secret.given,
        doc="signs Web Push (P-256, base64url); browsers subscribe with its public half, so the same on every "
            "worker")
    vapid_subject: str = setting(
        "ROADWARRIOR_VAPID_SUBJECT", "mailto:ops@roadwarrior.example", doc="the contact Web Push services see")
    collapse_s: float = setting(
        "ROADWARRIOR_NOTIFY_COLLAPSE_S", 120.0, number,
        doc="changes to one reservation within this window make one message")
    tick_s: float = setting(
        "ROADWARRIOR_NOTIFY_TICK_S", 0.25, number,
        doc="how often the notifier releases what is due and retries failed deliveries")
    year_summary_tick_s: float = setting(
        "ROADWARRIOR_YEAR_SUMMARY_TICK_S", 60.0, number,
        doc="how often each worker looks, in the first week of January, for travellers whose year summary is due")
    concurrency: int = setting(
        "ROADWARRIOR_NOTIFY_CONCURRENCY", 16, integer, doc="deliveries in flight at once per channel on each worker")
