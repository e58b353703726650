"""The mailboxes table: each user's connected mailboxes, their sealed secrets, sync state and pending consents."""

from faust_app import app

mailboxes = app.Table(
    "mailboxes",
    key_type=str,
    help=(
        "user ID -> {partition, mailboxes: {mailbox ID: record}, pending: {nonce: OAuth consent}}"
        " (domain/mail/mailboxes.py) written by apply_mailbox_commands"
    ),
)
