"""Channel errors: why a delivery failed, in terms the delivering agent can act on (retry, drop, forget a device)."""

from __future__ import annotations


class ChannelError(Exception):
    """A delivery failed. Messages name the channel and a reason code, never addresses, tokens or keys."""

    retryable = False

    def __init__(self, message: str, *, channel: str, reason: str = "", status: int | None = None,
                 retry_after: float | None = None) -> None:
        super().__init__(message)
        self.channel = channel
        self.reason = reason
        self.status = status
        self.retry_after = retry_after


class RetryableError(ChannelError):
    """Worth trying again later: timeouts, lost connections, 429 and 5xx, SMTP 4xx."""

    retryable = True


class PermanentError(ChannelError):
    """This notification will never get through this way (payload refused, no destination)."""


class DeviceTokenInvalid(PermanentError):
    """The device token, push subscription or mailbox is gone: stop sending to it."""


class ChannelCredentialsRejected(PermanentError):
    """Our own credentials were refused (service account, APNs key, VAPID key, SMTP login): fix the config.

    Not the API's Unauthorized: the traveller did nothing wrong, and no retry will get through.
    """
