"""The user-reservations table: each user's reservations, for listings without a scatter-gather."""

from faust_app import app

user_reservations = app.Table(
    "user-reservations",
    key_type=str,
    help=(
        "user ID -> {reservation ID: reservation} for listings"
        " written by index_user_reservations"
    ),
)
