"""The email-bookings table: what the last mail about each booking segment said, so the next one merges into it."""

from faust_app import app

email_bookings = app.Table(
    "email-bookings",
    key_type=str,
    help=(
        "user ID -> {email_key: {reservation_id, status, modified_time, message_date, poll_id, base}}"
        " (domain/mail/bookings.py) written by apply_mailbox_commands"
    ),
)
