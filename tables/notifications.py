"""The notifications table: each user's feed, the in-app inbox the API pages and SSE streams resume from."""

from faust_app import app

notifications = app.Table(
    "notifications",
    key_type=str,
    help=(
        "user ID -> feed {next_seq, items: [{id, seq, title, summary, ...}]} (domain/notify/feed.py)"
        " written by publish_notifications"
    ),
)
