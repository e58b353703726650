"""The share-invitations table: shares waiting for their address to sign up."""

from faust_app import app

share_invitations = app.Table(
    "share-invitations",
    key_type=str,
    help=(
        "e-mail (lower-case) -> {share ID: {owner_id, trip_id, invited_at}}: shares with an address nobody"
        " registered, written by resolve_share_addresses and attach_invitations"
    ),
)
