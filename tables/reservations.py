"""The reservations table: one reservation per key, the agent-owned source of truth."""

from faust_app import app

reservations = app.Table(
    "reservations",
    key_type=str,
    help=(
        "reservation ID -> reservation state (domain/reservations/commands.py)"
        " written by apply_reservation_commands"
    ),
)
