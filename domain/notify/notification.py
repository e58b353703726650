"""The notification record a channel sends, with its stable ID and its expiry."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta

from domain.common.timestamps import to_utc, utc_iso
from domain.notify.locales import Lang
from domain.notify.render import Rendered, render

# Fixed forever: changing it would give every past change new IDs and notify it again.
NAMESPACE = uuid.UUID("6f1f0c1e-52a4-4c38-9a53-0b8f1f2d7a10")
# A push about a trip that is over is noise; stores keep undelivered pushes at most 28 days (FCM's limit).
MIN_LIFETIME = timedelta(minutes=15)
MAX_LIFETIME = timedelta(days=28)
# The preference channels and the delivery channels that carry them: "push" reaches Android and iOS alike.
TRANSPORTS = {"web": ("web",), "email": ("email",), "push": ("fcm", "apns"), "webpush": ("webpush",)}


def notification_id(change_id: str, channel: str, device: str = "") -> str:
    """A UUID fixed by the change, the channel and (for several devices on one channel) the device.

    A redelivered change gets the same ID, so whoever delivers can drop the second one.
    """
    return str(uuid.uuid5(NAMESPACE, "\x1f".join((change_id, channel, device))))


@dataclass(frozen=True)
class Notification:
    """One message for one channel and one destination (``target``: email, device token or subscription)."""

    notification_id: str
    channel: str
    user_id: str
    reservation_id: str
    change_ids: tuple[str, ...]
    severity: str
    locale: str
    title: str
    summary: str
    text: str
    html: str
    created_at: str
    expires_at: str
    target: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {**asdict(self), "change_ids": list(self.change_ids)}

    @classmethod
    def from_dict(cls, data: dict) -> Notification:
        return cls(**{**data, "change_ids": tuple(data.get("change_ids", ()))})

    def __repr__(self) -> str:  # targets are personal data: keep them out of logs and tracebacks
        return f"Notification({self.notification_id}, {self.channel}, {self.severity})"

    def data(self) -> dict[str, str]:
        """The small string-only payload a push carries for the app to open the right screen."""
        return {"notification_id": self.notification_id, "reservation_id": self.reservation_id,
                "change_ids": ",".join(self.change_ids), "severity": self.severity}


def compose(change: dict, channel: str, rendered: Rendered, now: datetime,
            target: dict | None = None, device: str = "") -> Notification:
    """The notification of ``change`` (or a collapsed batch) for one channel and destination."""
    return Notification(
        notification_id=notification_id(change["change_id"], channel, device),
        channel=channel,
        user_id=change["user_id"],
        reservation_id=change["reservation_id"],
        change_ids=tuple(change.get("change_ids") or [change["change_id"]]),
        severity=change.get("severity", "major"),
        locale=rendered.locale,
        title=rendered.title,
        summary=rendered.summary,
        text=rendered.text,
        html=rendered.html,
        created_at=utc_iso(now),
        expires_at=utc_iso(expires(change.get("reservation") or {}, now)),
        target=dict(target or {}),
    )


def compose_for(change: dict, channels: Iterable[str], targets: Mapping[str, Sequence[dict]],
                lang: Lang, now: datetime) -> list[Notification]:
    """One notification per destination of each chosen channel, rendered once.

    ``targets`` maps a delivery channel (email, fcm, apns, webpush) to its destinations, each a target
    dict with an optional ``device`` naming it; the web feed needs none.
    """
    words = render(change, lang)
    out = []
    for channel in channels:
        for transport in TRANSPORTS.get(channel, (channel,)):
            for target in targets.get(transport, [{}] if transport == "web" else []):
                out.append(compose(change, transport, words, now, target, device=str(target.get("device", ""))))
    return out


def expires(reservation: dict, now: datetime) -> datetime:
    """When the news stops mattering: the reservation's end, kept between 15 minutes and 28 days from now."""
    try:
        end = to_utc(reservation["end"])
    except (KeyError, TypeError, ValueError):
        end = now + timedelta(days=1)
    return min(max(end, now + MIN_LIFETIME), now + MAX_LIFETIME)
