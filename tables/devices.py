"""The devices table: each user's push tokens and Web Push subscriptions."""

from faust_app import app

devices = app.Table(
    "devices",
    key_type=str,
    help=(
        "user ID -> {device ID: {kind, token | subscription, name}} (domain/notify/devices.py)"
        " written by apply_notification_commands"
    ),
)
