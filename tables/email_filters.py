"""The email-filters table: each user's sender allow and block lists for e-mail discovery."""

from faust_app import app

email_filters = app.Table(
    "email-filters",
    key_type=str,
    help="user ID -> {allow, block, use_defaults} (domain/mail/filters.py) written by apply_mailbox_commands",
)
