"""The trips table: each traveller's trip book, so one agent regroups a traveller's trips at a time.

Keyed by user ID, like user-reservations, and written in the user's partition: the agents that write it read
the traveller's reservations from there. A trip is found through its owner (the caller of the API), so no
trip-ID index is needed.
"""

from faust_app import app

trips = app.Table(
    "trips",
    key_type=str,
    help=(
        "user ID -> trip book {user_id, home, language, trips, placed, tracked} (domain/trips/book.py)"
        " written by regroup_trips, apply_trip_commands and record_tracked_changes"
    ),
)
