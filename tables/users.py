"""The users table: profiles keyed by user ID."""

from faust_app import app

users = app.Table(
    "users",
    key_type=str,
    help=(
        "user ID -> user profile {id, email, name, locale, time_zone, role, version}"
        " written by apply_user_commands"
    ),
)
