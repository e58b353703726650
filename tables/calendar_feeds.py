"""The calendar-feeds table: each user's secret feed token, as the digest that checks it and a sealed copy."""

from faust_app import app

calendar_feeds = app.Table(
    "calendar-feeds",
    key_type=str,
    help=(
        "user ID -> {digest, sealed, created_at, command_id}: the secret calendar feed URL's token,"
        " written by apply_feed_commands"
    ),
)
