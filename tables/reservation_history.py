"""The reservation-history table: every change tracking found in a reservation, for its history page."""

from faust_app import app

reservation_history = app.Table(
    "reservation-history",
    key_type=str,
    help="reservation ID -> {user_id, next_seq, items} (domain/tracking/history.py) written by record_changes",
)
