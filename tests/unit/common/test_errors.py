"""An agent's refusal becomes the same error in the view that waited for it."""

from __future__ import annotations

from domain.common.errors import Conflict, DomainError, NotFound, ValidationError, from_refusal


def test_a_refusal_of_a_known_kind_is_raised_as_that_error():
    errors = [{"field": "start", "message": "is not a date"}]
    error = from_refusal({"ok": False, "status": 422, "kind": "validation-error", "title": "Bad.", "errors": errors})
    assert isinstance(error, ValidationError) and (error.title, error.errors) == ("Bad.", errors)
    assert isinstance(from_refusal({"ok": False, "status": 404, "kind": "not-found", "title": "No."}), NotFound)


def test_a_kind_only_an_agent_names_keeps_its_kind_and_status():
    error = from_refusal({"ok": False, "status": 409, "kind": "provider-exists", "title": "Taken."})
    assert type(error) is DomainError and not isinstance(error, Conflict)
    assert (error.status, error.kind, error.title, error.errors) == (409, "provider-exists", "Taken.", [])


def test_a_known_kind_with_another_status_is_not_taken_for_that_error():
    error = from_refusal({"ok": False, "status": 500, "kind": "not-found", "title": "Odd."})
    assert type(error) is DomainError and (error.status, error.kind) == (500, "not-found")
