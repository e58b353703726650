"""The OpenAPI document describes exactly the routes the web layer serves."""

from __future__ import annotations

import re

import pytest

import web
from faust_app import app
from web.openapi import SPEC, assemble

OURS = ("/api", "/auth/", "/calendar/", "/t/", "/y/")
FAUST_MONITOR = re.compile(r"^/(router|table|assignment|performance|stats|signal|graph|static)?/?")


def served_routes() -> set[tuple[str, str]]:
    routes = set()
    for route in app.web.web_app.router.routes():
        path = route.resource.canonical if route.resource else ""
        method = route.method.lower()
        if method in ("head", "options", "*") or not (path.startswith(OURS) or path == "/healthz"):
            continue  # Faust's own monitor pages and CORS preflights are not ours to describe
        routes.add((path, method))
    return routes


def described_routes() -> set[tuple[str, str]]:
    return {(path, method) for path, item in SPEC["paths"].items() for method in item}


def test_every_served_route_is_described_and_nothing_else():
    web.register(app)
    assert served_routes() == described_routes()


def test_every_reference_resolves_and_errors_are_problem_documents():
    schemas = SPEC["components"]["schemas"]
    text = repr(SPEC)
    for name in re.findall(r"#/components/schemas/(\w+)", text):
        assert name in schemas, name
    for path, item in SPEC["paths"].items():
        for method, op in item.items():
            for status, response in op["responses"].items():
                if int(status) >= 400 and "content" in response and path != "/healthz":
                    assert "application/problem+json" in response["content"], (path, method, status)
    assert SPEC["openapi"] == "3.1.0"


def test_the_document_is_valid_openapi_3_1():
    from openapi_spec_validator import validate

    validate(SPEC)


def test_a_path_or_schema_two_parts_describe_is_refused():
    part = {"paths": {"/api/v1/things": {}}, "schemas": {"Thing": {"type": "object"}}}
    with pytest.raises(ValueError, match="path described twice.*: /api/v1/things"):
        assemble((part, {"paths": {"/api/v1/things": {}}}))
    with pytest.raises(ValueError, match="schema described twice.*: Thing"):
        assemble((part, {"paths": {}, "schemas": {"Thing": {}}}))
    with pytest.raises(ValueError, match="schema described twice.*: Problem"):
        assemble(({"paths": {}, "schemas": {"Problem": {}}},))
