"""The sessions table: refresh-token families keyed by session ID."""

from faust_app import app

sessions = app.Table(
    "sessions",
    key_type=str,
    help=(
        "session ID -> refresh-token family {user_id, token_hash, previous_hashes, revoked, expires_at}"
        " written by apply_session_commands"
    ),
)
