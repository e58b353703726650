"""The sent-notifications table: the delivery ledger, checked before anything is sent."""

from __future__ import annotations

from typing import Any

import faust
from faust.types import FutureMessage

from faust_app import app


class ClaimingTable(faust.Table):
    """A Faust table that hands out its latest changelog write, so a claim can be awaited onto the broker.

    A table write is only buffered; a channel must not send before the claim that says "sending" is
    durable, or a crash right after the send would leave no trace and the message would go out twice.
    """

    last_write: FutureMessage | None = None

    def send_changelog(self, partition: int | None, key: Any, value: Any, key_serializer: Any = None,
                       value_serializer: Any = None) -> FutureMessage:
        self.last_write = super().send_changelog(partition, key, value, key_serializer, value_serializer)
        return self.last_write


sent_notifications: ClaimingTable = app.tables.add(ClaimingTable(
    app,
    name="sent-notifications",
    key_type=str,
    beacon=app.tables.beacon,
    help=(
        "user ID -> {notification ID: {status, channel, attempt, ...}} (domain/notify/ledger.py)"
        " written by deliver_notifications"
    ),
))
