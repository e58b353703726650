"""The account-sessions table: the open sessions of each account, so a password reset can end them all."""

from faust_app import app

account_sessions = app.Table(
    "account-sessions",
    key_type=str,
    help=(
        "e-mail (lower-case) -> [[session ID, expires_at], ...]: sessions opened by login, written by"
        " apply_credential_commands"
    ),
)
