"""The shared-trips table: what others shared with each traveller, for "shared with me"."""

from faust_app import app

shared_trips = app.Table(
    "shared-trips",
    key_type=str,
    help=(
        "follower user ID -> {trip ID: {owner_id, role, shared_at, name, start, end and their zones}}: trips"
        " shared with them (an index;"
        " the owner's trip book decides every read) written by index_shared_trips"
    ),
)
