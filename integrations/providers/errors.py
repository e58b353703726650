"""Provider errors: why a fetch failed, in terms a retry policy can act on."""

from __future__ import annotations


class ProviderError(Exception):
    """A provider call failed; messages name the provider and path, never credentials.

    ``error`` is the ``domain.tracking.snapshots.ERRORS`` name of the error snapshot a failed fetch becomes.
    """

    retryable = False
    error = "unavailable"

    def __init__(self, message: str, *, provider: str = "", status: int | None = None) -> None:
        super().__init__(message)
        self.provider = provider
        self.status = status


class ProviderUnavailable(ProviderError):
    """A 5xx answer or no connection at all."""

    retryable = True


class ProviderTimeout(ProviderError):
    """No complete answer within the adapter's timeout."""

    retryable = True
    error = "timeout"


class RateLimited(ProviderError):
    """429: back off for ``retry_after`` seconds (None when the provider did not say)."""

    retryable = True
    error = "rate_limited"

    def __init__(self, message: str, *, provider: str = "", retry_after: float | None = None) -> None:
        super().__init__(message, provider=provider, status=429)
        self.retry_after = retry_after


class MalformedResponse(ProviderError):
    """The body was not JSON, was cut short, or did not have the documented shape."""

    error = "invalid_response"


class UnknownSubject(ProviderError):
    """The provider does not know the subject (a flight not yet dated, a cancelled record).

    Not the API's NotFound: no caller asked for anything, and tracking records it as a snapshot error.
    """

    error = "not_found"


class ProviderCredentialsRejected(ProviderError):
    """The provider refused our credentials (401/403, or a failed token grant): an operator must fix them.

    Not the API's Unauthorized: the traveller asked nothing wrong, and retrying will not help either.
    """
