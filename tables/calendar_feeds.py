"""The calendar-feeds table: each user's secret feed token (its digest and sealed copy), and the digest index.

Two kinds of entries, both written in the user's partition by the one agent that handles the user's feed:
``user/<user ID>`` -> ``{digest, sealed, created_at, command_id}`` and ``digest/<SHA-256 hex>`` -> user ID.
A feed URL names only its token, so the worker a calendar app happens to reach must find the user from the
digest alone: a GlobalTable gives every worker the whole index (two small entries per user), and the request
then goes to the user's worker, where ``user/`` is the authority (a regenerated token is refused there at once,
whatever a replica elsewhere still says).
"""

from faust_app import app

calendar_feeds = app.GlobalTable(
    "calendar-feeds",
    key_type=str,
    help=(
        "user/<user ID> -> {digest, sealed, created_at, command_id} and digest/<SHA-256 hex> -> user ID:"
        " secret calendar feed tokens, written by apply_feed_commands"
    ),
)


def user_key(user_id: str) -> str:
    return f"user/{user_id}"


def digest_key(digest: str) -> str:
    return f"digest/{digest}"
