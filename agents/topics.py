"""Every topic in one place: the data-flow map. Values are JSON bytes (orjson); schemas/ documents each."""

from __future__ import annotations

from faust_app import app


def _topic(name: str, **options):
    # Raw values: agents decode with orjson themselves so an unparseable message goes to the
    # dead-letter topic with its reason instead of killing the stream inside Faust's codec.
    return app.topic(name, key_type=str, value_type=bytes, value_serializer="raw", **options)


# Commands: written by the web layer, keyed by the owning table's key.
reservation_commands = _topic("reservation-commands")    # reservation ID -> reservation command
login_commands = _topic("login-commands")                # e-mail -> sign-up / admin bootstrap
user_commands = _topic("user-commands")                  # user ID -> profile create / update
session_commands = _topic("session-commands")            # session ID -> open / rotate / revoke
provider_commands = _topic("provider-commands")          # provider ID -> register / update / disable

# Events: the data team's topics (schemas/*.json).
reservation_events = _topic("reservation-events")        # reservation ID -> reservation event
# The same events re-keyed by user ID, co-partitioned with the user-reservations table.
user_reservation_events = _topic("user-reservation-events")  # user ID -> reservation event

# Messages no agent could process, with the reason (schemas/dead-letters.json).
dead_letters = _topic("dead-letters")                    # original key -> {reason, topic, payload}
