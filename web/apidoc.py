"""Building blocks for the OpenAPI part each view module keeps beside its views.

A part is a module-level ``OPENAPI = {"paths": {...}, "schemas": {...}}``; web/openapi.py assembles them.
"""

from __future__ import annotations

from domain.reservations.fields import MAX_TEXT

REF = "#/components/schemas/"
STR = {"type": "string"}
TIME = {"type": "string", "format": "date-time"}
TEXT = {"type": "string", "minLength": 1, "maxLength": MAX_TEXT, "pattern": r"\S",
        "description": "trimmed; must not be blank"}
EMPTY = {"const": "", "description": "no filter"}


def ref(name: str) -> dict:
    return {"$ref": REF + name}


ZONE = ref("TimeZone")


def nullable(schema: dict) -> dict:
    return {"anyOf": [schema, {"type": "null"}]}


def answer(schema: dict, description: str = "OK", headers: list[str] | None = None) -> dict:
    """A JSON response; ``headers`` names the response headers it carries (ETag, Location)."""
    out = {"description": description, "content": {"application/json": {"schema": schema}}}
    if headers:
        out["headers"] = {h: {"schema": {"type": "string"}} for h in headers}
    return out


def op(summary: str, responses: dict, *, body: str | None = None, auth: bool = True,
       params: list | None = None, errors: tuple = ()) -> dict:
    """One operation: ``errors`` are its problem statuses (401 comes with ``auth``), ``body`` a schema name."""
    out = {"summary": summary, "responses": {**responses, **_problems(*errors, *((401,) if auth else ()))}}
    if body:
        out["requestBody"] = {"required": True, "content": {"application/json": {"schema": ref(body)}}}
    if auth:
        out["security"] = [{"bearer": []}]
    if params:
        out["parameters"] = params
    return out


def param(name: str, where: str = "query", schema: dict | None = None, required: bool = False) -> dict:
    return {"name": name, "in": where, "required": required or where == "path", "schema": schema or STR}


def limit(most: int) -> dict:
    """The ``limit`` query parameter of a paged listing (empty: the listing's default)."""
    return param("limit", schema={"anyOf": [{"type": "integer", "minimum": 1, "maximum": most}, EMPTY]})


SEQ_CURSOR = param("cursor", schema={"anyOf": [{"type": "string", "pattern": "^[0-9]{1,18}$"}, EMPTY],
                                     "description": "next_cursor of the previous page"})


def _problems(*codes: int) -> dict:
    return {str(c): {"description": "Problem", "content": {"application/problem+json": {"schema": ref("Problem")}},
                     **(_RETRY_AFTER if c == 429 else {})}
            for c in codes}


_RETRY_AFTER = {"headers": {"Retry-After": {"schema": {"type": "integer", "minimum": 1},
                                            "description": "seconds to wait before trying again"}}}
