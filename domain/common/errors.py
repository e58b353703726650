"""Domain errors: what a rule rejected and why, in terms the API can show field by field."""

from __future__ import annotations


class DomainError(Exception):
    """A request the rules reject; ``kind`` becomes the problem ``type`` slug."""

    kind = "invalid-request"
    status = 422

    def __init__(self, title: str, errors: list[dict] | None = None) -> None:
        super().__init__(title)
        self.title = title
        self.errors = errors or []


class ValidationError(DomainError):
    """One or more fields are missing, malformed or unknown."""

    kind = "validation-error"


class Conflict(DomainError):
    """The request contradicts the current state (duplicate e-mail, stale version)."""

    kind = "conflict"
    status = 409


class NotFound(DomainError):
    """The thing does not exist, or is not the caller's."""

    kind = "not-found"
    status = 404


class PreconditionFailed(DomainError):
    """``If-Match`` named a version that is no longer current."""

    kind = "precondition-failed"
    status = 412


class Unauthorized(DomainError):
    """The caller's own credentials are missing, malformed, expired or revoked: who is asking is unknown."""

    kind = "unauthorized"
    status = 401


class Forbidden(DomainError):
    """The caller is known but their role does not allow this."""

    kind = "forbidden"
    status = 403


class TooManyAttempts(DomainError):
    """Too many sign-in, sign-up or reset attempts for this account or from this address: wait and retry."""

    kind = "too-many-attempts"
    status = 429

    def __init__(self, title: str, retry_after_s: int) -> None:
        super().__init__(title)
        self.retry_after_s = retry_after_s


_NAMED = {cls.kind: cls for cls in (ValidationError, Conflict, NotFound, PreconditionFailed, Unauthorized, Forbidden)}


def from_refusal(reply: dict) -> DomainError:
    """The error an agent's refusal reply (``{ok: False, status, kind, title, errors}``) stands for.

    An agent applies the rules, so the view that waited learns the failure from the reply and raises it again:
    as the class of that kind, or, for a kind only an agent names (``email-taken``, ``provider-exists``, the
    dead-letter loop's ``internal-error``), as a DomainError that keeps the agent's kind and status.
    """
    named = _NAMED.get(reply["kind"])
    if named is not None and named.status == reply["status"]:
        return named(reply["title"], reply.get("errors"))
    error = DomainError(reply["title"], reply.get("errors"))
    error.kind, error.status = reply["kind"], reply["status"]
    return error


class FieldErrors:
    """Collects field errors so a caller sees all of them at once, not one per round trip."""

    def __init__(self) -> None:
        self.items: list[dict] = []

    def add(self, field: str, message: str) -> None:
        self.items.append({"field": field, "message": message})

    def raise_if_any(self, title: str = "The request has invalid fields.") -> None:
        if self.items:
            raise ValidationError(title, self.items)
