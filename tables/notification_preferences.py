"""The notification-preferences table: which channels hear what, quiet hours and language, per user."""

from faust_app import app

notification_preferences = app.Table(
    "notification-preferences",
    key_type=str,
    help=(
        "user ID -> preferences {channels, quiet_hours, locale} (domain/notify/prefs.py)"
        " written by apply_notification_commands"
    ),
)
