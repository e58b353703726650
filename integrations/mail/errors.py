"""Mailbox errors: why a poll failed, in terms the polling agent can show the traveller and retry on."""

from __future__ import annotations


class MailError(Exception):
    """A poll failed. Messages name the provider and the step, never addresses, tokens or passwords.

    ``status`` is what the mailbox connection shows the traveller until a poll succeeds.
    """

    retryable = False
    status = "error"

    def __init__(self, message: str, *, provider: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.provider = provider
        self.retry_after = retry_after


class MailCredentialsRejected(MailError):
    """The mailbox refused the traveller's password or token: they have to connect it again.

    Not the API's Unauthorized (the request to us was fine), and not our OAuth client being refused
    (``invalid_client`` is a MailProtocolError: an operator's problem, not the traveller's).
    """

    status = "auth_expired"


class MailUnavailable(MailError):
    """No connection, a timeout, a 5xx or a rate limit: try again at the next poll (or after ``retry_after``)."""

    retryable = True
    status = "unavailable"


class MailProtocolError(MailError):
    """The server answered something we cannot use (a malformed reply, a refused command, a bad certificate)."""


class MailGone(MailProtocolError):
    """404 or 410: the message was deleted, or the saved sync position expired (clients list again)."""


class MessageTooLarge(MailProtocolError):
    """A message body was larger than the client's limit; ``size`` when the server said how large."""

    def __init__(self, message: str, *, provider: str, size: int | None = None) -> None:
        super().__init__(message, provider=provider)
        self.size = size
