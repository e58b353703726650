"""Notification channels: one class per channel, a Notification in, HTTP/2, HTTP or SMTP out."""

from integrations.channels.base import Channel, DeliveryResult
from integrations.channels.errors import (
    ChannelCredentialsRejected,
    ChannelError,
    DeviceTokenInvalid,
    PermanentError,
    RetryableError,
)

__all__ = ["Channel", "ChannelCredentialsRejected", "ChannelError", "DeliveryResult", "DeviceTokenInvalid",
           "PermanentError", "RetryableError"]
