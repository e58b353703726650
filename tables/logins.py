"""The logins table: the e-mail -> account index login and sign-up go through."""

from faust_app import app

logins = app.Table(
    "logins",
    key_type=str,
    help=(
        "e-mail (lower-case) -> {user_id, password_hash, role}: the login index"
        " written by apply_login_commands"
    ),
)
