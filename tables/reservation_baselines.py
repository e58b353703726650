"""The reservation-baselines table: each reservation as last seen, to tell what a manual edit changed."""

from faust_app import app

reservation_baselines = app.Table(
    "reservation-baselines",
    key_type=str,
    help=(
        "reservation ID -> the reservation (public representation) as of its last event"
        " written by derive_manual_changes"
    ),
)
