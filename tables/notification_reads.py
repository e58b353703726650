"""The notification-reads table: which feed entries each user has read."""

from faust_app import app

notification_reads = app.Table(
    "notification-reads",
    key_type=str,
    help=(
        "user ID -> {before: seq, ids: [notification ID]} (domain/notify/feed.py)"
        " written by apply_notification_commands"
    ),
)
