"""The identities table: which account an identity provider's subject signs in to."""

from faust_app import app

identities = app.Table(
    "identities",
    key_type=str,
    help=(
        '"<provider>/<subject>" -> {user_id, role, email, linked_at}: accounts reached through OpenID Connect,'
        " written by apply_identity_commands"
    ),
)
