"""The password-resets table: the one pending reset of each account, by e-mail."""

from faust_app import app

password_resets = app.Table(
    "password-resets",
    key_type=str,
    help=(
        "e-mail (lower-case) -> {token_hash, user_id, expires_at}: the latest reset link's token hash,"
        " written by apply_credential_commands (deleted once used)"
    ),
)
