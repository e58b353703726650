"""The notification-batches table: what the notifier is still gathering or holding for each user."""

from faust_app import app

notification_batches = app.Table(
    "notification-batches",
    key_type=str,
    help=(
        "user ID -> {batches: {reservation ID: burst}, touched, held} (domain/notify/plan.py)"
        " written by publish_notifications"
    ),
)
