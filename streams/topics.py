"""Every topic in one place: the data-flow map. Values are JSON bytes (orjson); schemas/ documents each."""

from __future__ import annotations

from faust_app import app, settings

# How long each topic keeps its records. State lives in the compacted changelogs, so a command or event topic
# needs to outlive only the longest a worker may be down (a week); the data team's and ops' topics keep a
# month for their loads and replays. Snapshots are diffed within seconds and are the largest by far: with a
# million reservations tracked they took ~60 MB a minute (bench.tracking system), so they keep an hour.
WEEK, MONTH = 7 * 86400.0, 30 * 86400.0


def _topic(name: str, retention: float = WEEK, **options):
    # Raw values: agents decode with orjson themselves so an unparseable message goes to the
    # dead-letter topic with its reason instead of killing the stream inside Faust's codec.
    return app.topic(settings.streams.topic_prefix + name, key_type=str, value_type=bytes, value_serializer="raw",
                     retention=retention, **options)


# Commands: written by the web layer, keyed by the owning table's key.
reservation_commands = _topic("reservation-commands")    # reservation ID -> reservation command
login_commands = _topic("login-commands")                # e-mail -> sign-up / admin bootstrap
user_commands = _topic("user-commands")                  # user ID -> profile create / update
session_commands = _topic("session-commands")            # session ID -> open / rotate / revoke
# Sign-in through an identity provider: decided on the identity's partition, which asks the e-mail's logins
# partition to link or create the account and hears back there (agents/accounts/apply_identity_commands.py).
identity_commands = _topic("identity-commands")          # "<provider>/<subject>" -> sign-in / linked / refused
# On the logins partition (keyed by e-mail): password resets and the sessions a reset ends.
credential_commands = _topic("credential-commands")      # e-mail -> reset request / confirm, a session opened
password_reset_mails = _topic("password-reset-mails")    # user ID -> a reset link to e-mail
provider_commands = _topic("provider-commands")          # provider ID -> register / update / disable
calendar_feed_commands = _topic("calendar-feed-commands")  # user ID -> create / regenerate the secret feed URL
# Keyed by user ID, not trip ID: grouping needs all of a traveller's trips and reservations in one place.
trip_commands = _topic("trip-commands")                  # user ID -> trip command (domain/trips/commands.py)
# A year's card links made and revoked from the web, and "mail-year" from the 1 January timer (timers
# cannot write tables): the agent owning the traveller's year-cards state applies them.
year_card_commands = _topic("year-card-commands")        # user ID -> add-link / revoke-link / mail-year

# Events: the data team's topics (schemas/*.json).
reservation_events = _topic("reservation-events", MONTH)  # reservation ID -> reservation event
# The same events re-keyed by user ID, co-partitioned with the user-reservations table.
user_reservation_events = _topic("user-reservation-events")  # user ID -> reservation event
trip_events = _topic("trip-events", MONTH)                # user ID -> trip event (schemas/trip-events.json)
# Sharing a trip with a person: the share command stops at the address's logins partition to learn its
# account, then goes on to trip-commands; the owner's book then tells each follower's index what changed.
share_address_lookups = _topic("share-address-lookups")  # e-mail -> share command waiting for its account
share_events = _topic("share-events")                    # follower user ID -> shared / withdrawn (shares.py)
share_invitation_mails = _topic("share-invitation-mails")  # owner user ID -> an invited address to e-mail

# Messages no agent could process, with the reason (schemas/dead-letters.json).
dead_letters = _topic("dead-letters", MONTH)              # original key -> {reason, topic, payload}

# Tracking: a subject is polled once for all its reservations; snapshots are diffed per reservation.
# Subject -> join / leave / pushed; "~checkpoint/<partition>" (sent to that partition) -> the poll watermark;
# "~batch/<partition>" (sent to that partition) -> joins and leaves of many of that partition's subjects.
tracked_subject_commands = _topic("tracked-subject-commands")
# No key: each message goes to one partition, named explicitly, and carries only that partition's
# reservations, so the agent can write the reservation-keyed tracking table from it.
# Retention deletes whole closed segments only: rolled every 10 minutes, the hour holds (with Kafka's 1 GiB
# segments, a 2-hour soak of 100,000 reservations still kept 1.5 GB of them).
provider_snapshots = _topic("provider-snapshots", 3600.0, config={"segment.ms": "600000"})  # (partition) -> snapshots
reservation_changes = _topic("reservation-changes", MONTH)  # reservation ID -> change (schemas/...changes.json)

# E-mail discovery: everything about a user's mailboxes goes through the agent that owns their tables:
# connect / disconnect / OAuth start / filters from the web layer, poll results from the mail poller.
mailbox_commands = _topic("mailbox-commands")              # user ID -> mailbox command (domain/mail/mailboxes.py)

# Notifications: changes re-keyed by user ID, so one agent sees all of a user's news in order.
user_changes = _topic("user-changes")                      # user ID -> {kind: change, change} | {kind: tick}
notification_commands = _topic("notification-commands")    # user ID -> preferences / devices / read marks
notification_deliveries = _topic("notification-deliveries")  # user ID -> deliver job | delivery outcome
# The data team's record of every delivery attempt (schemas/notifications-sent.json).
notifications_sent = _topic("notifications-sent", MONTH)  # reservation ID -> {notification, channel, status, latency}

# Reports: travel trends. What each reservation adds, re-keyed by route and month, then the row per route-month.
travel_trend_deltas = _topic("travel-trend-deltas")        # "<O>-<D>/<YYYY-MM>" -> {remove, add, origin, at}
# Compacted, no retention (the analytics topics: schemas/README.md): the latest row per key is the data.
travel_trends = _topic("travel-trends", None, config={"cleanup.policy": "compact"})  # (schemas/travel-trends.json)

# Vendor reports (agents/reports/): what each vendor-month aggregate needs, keyed by its row key
# "<kind>/<vendor>/<YYYY-MM>": marks of tracked reservations, changes re-keyed from reservation-changes, and
# the timer's close and publish asks.
vendor_report_inputs = _topic("vendor-report-inputs")    # row key -> marks | change | close | publish
# The pollers' per-provider call summaries (calls, errors by kind, latency histogram), a few seconds each.
provider_call_stats = _topic("provider-call-stats")      # provider ID -> summary | close | publish
# The data team's vendor report rows, latest per key (schemas/vendor-month-stats.json): compacted, no retention.
vendor_month_stats = _topic("vendor-month-stats", None, config={"cleanup.policy": "compact"})  # row key -> row

# Reports: the data team's compacted statistics (schemas/traveller-year-stats.json); the latest value per key is
# the figure, so compaction keeps one record per traveller and year.
traveller_year_stats = _topic("traveller-year-stats", None,   # "<pseudonym>/<year>" -> the year's figures
                              config={"cleanup.policy": "compact"})
