"""The API keeps the promises of its OpenAPI document, checked by a real client generated from it.

Schemathesis reads GET /api/openapi.json, sends requests made from the schemas (valid ones and broken ones,
and chains of them: create, then read, patch and delete what was created) and checks every answer: never a
5xx, only documented status codes and content types, bodies and headers that match the documented schemas.

It does not check that every schema-valid request is accepted: some rules are not schema-shaped (an end
before the start, a three-letter code that is no airport, a stale ETag), and their 4xx answers are right.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.integration.conftest import Api, flight

pytestmark = pytest.mark.integration

# A traveller's operations: accounts, profile, the year's summary and reservations (admin and mail have their own
# tests).
TRAVELLER_PATHS = (r"^/api/v1/(me(/summary/\{year\})?|reservations(/\{reservation_id\})?"
                   r"|auth/(signup|login|refresh|logout))$")
# Trips as their sharing sees them: the caller's trips (so stateful chains make one and follow its Location),
# its public links and its shares with people, and the trips others shared with the caller.
SHARING_PATHS = (r"^/api/v1/(trips(/\{trip_id\}(/(links|shares)(/\{(link_id|share_id)\})?)?)?"
                 r"|shared-trips(/\{owner_id\}/\{trip_id\})?)$")
# Not the "coverage" phase: it enumerates boundary values, ~7,000 requests here (every time zone of the enum),
# 215 s on this machine. Run it by hand: the same command with --phases coverage.
PHASES = ("examples", "fuzzing", "stateful")
CHECKS = ("not_a_server_error", "status_code_conformance", "content_type_conformance",
          "response_schema_conformance", "response_headers_conformance")


async def test_the_traveller_api_answers_as_its_openapi_document_says(worker, http, tmp_path):
    assert await _contract_run(worker, http, tmp_path, TRAVELLER_PATHS) == ""


async def test_trips_links_and_shares_answer_as_the_openapi_document_says(worker, http, tmp_path):
    api = Api(http, worker.url)
    await api.sign_up_and_log_in()
    status, booking, _ = await api.call("POST", "/api/v1/reservations", flight())   # a trip to share from the start
    assert status == 201, booking
    assert await _contract_run(worker, http, tmp_path, SHARING_PATHS, api) == ""


async def _contract_run(worker, http, tmp_path, paths: str, api: Api | None = None) -> str:
    """Schemathesis against the worker as a signed-in traveller: "" when every check passed, else its report."""
    if api is None:
        api = Api(http, worker.url)
        await api.sign_up_and_log_in()
    run = subprocess.run(
        [sys.executable, "-m", "schemathesis.cli", "run", f"{worker.url}/api/openapi.json",
         "--header", f"Authorization: Bearer {api.token}",
         "--include-path-regex", paths,
         "--checks", ",".join(CHECKS), "--phases", ",".join(PHASES),
         "--max-examples", "30", "--seed", "20261123", "--request-timeout", "10", "--no-color"],
        capture_output=True, text=True, timeout=600, cwd=tmp_path)  # its example database stays out of the repo
    return "" if run.returncode == 0 else run.stdout[-6000:] + run.stderr[-2000:]
