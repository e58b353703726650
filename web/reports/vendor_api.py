"""GET /api/v1/support/vendor-reports?month=YYYY-MM (role support or admin), as JSON or CSV."""

from __future__ import annotations

from datetime import UTC, datetime

from aiohttp import web
from faust import web as faust_web

from domain.reports.vendor_keys import valid_month
from domain.reports.vendor_report import COLUMNS, SORTABLE, month_rows, sort_rows, to_csv
from tables.vendor_reports import vendor_reports
from web.apidoc import STR, nullable, op, param, ref
from web.auth import require_role
from web.problems import ProblemError, json_response, problem

blueprint = faust_web.Blueprint("vendor_reports")


@blueprint.route("/support/vendor-reports", name="collection")
class VendorReports(faust_web.View):
    async def get(self, request: web.Request) -> web.Response:
        require_role(request, "support", "admin")
        month = requested_month(request.query.get("month"))
        # A GlobalTable: every worker holds every vendor-month's published row, whichever worker owns its key.
        rows = report(month, request.query.get("sort", "vendor"), request.query.get("dir", "asc"))
        if wants_csv(request):
            return web.Response(text=to_csv(rows), content_type="text/csv", charset="utf-8", headers={
                "Content-Disposition": f'attachment; filename="vendor-report-{month}.csv"'})
        return json_response({"month": month, "items": rows})


def requested_month(text: str | None) -> str:
    """The month asked for (this UTC month when none); a 400 problem for anything but YYYY-MM."""
    if text is None or text == "":
        now = datetime.now(UTC)
        return f"{now.year:04d}-{now.month:02d}"
    if not valid_month(text):
        raise ProblemError(problem(400, "validation-error", "The month must be YYYY-MM.",
                                   errors=[{"field": "month", "message": "expected YYYY-MM"}]))
    return text


def report(month: str, sort: str, direction: str) -> list[dict]:
    column = sort if sort in SORTABLE else "vendor"
    return sort_rows(month_rows(month, vendor_reports.items()), column, descending=direction == "desc")


def wants_csv(request: web.Request) -> bool:
    return request.query.get("format") == "csv" or "text/csv" in request.headers.get("Accept", "")


_P = {"p50": nullable({"type": "number"}), "p90": nullable({"type": "number"}), "p99": nullable({"type": "number"}),
      "max": nullable({"type": "number"})}
_INT = {"type": "integer"}
ROW = {"type": "object", "description": "schemas/vendor-month-stats.json without schema_version and updated_at",
       "properties": {
           "kind": {"enum": ["airline", "hotel", "car"]}, "vendor": STR, "month": STR, "provider": nullable(STR),
           "reservations": _INT, "travellers": _INT,
           "changes": {"type": "object", "properties": {"total": _INT, "by_kind": {"type": "object"},
                                                        "by_severity": {"type": "object"}}},
           "changes_per_reservation": nullable({"type": "number"}),
           "delay_minutes": {"type": "object", "properties": _P}, "cancellations": _INT, "diversions": _INT,
           "api": {"type": "object", "properties": {"calls": _INT, "errors": _INT,
                                                    "error_rate": nullable({"type": "number"}),
                                                    "latency_ms": {"type": "object", "properties": _P}}},
           "freshness_s": {"type": "object", "properties": _P}, "closed": {"type": "boolean"}}}
OPENAPI = {
    "schemas": {"VendorReportRow": ROW},
    "paths": {"/api/v1/support/vendor-reports": {"get": op(
        "The month's vendor report (support, admin); CSV with Accept: text/csv or format=csv",
        {"200": {"description": "OK", "content": {
            "application/json": {"schema": {"type": "object", "properties": {
                "month": STR, "items": {"type": "array", "items": ref("VendorReportRow")}}}},
            "text/csv": {"schema": {"type": "string", "description": "header row: " + ",".join(COLUMNS)}}}}},
        params=[param("month", schema={"type": "string", "pattern": r"^\d{4}-\d{2}$"}),
                param("format", schema={"enum": ["json", "csv"]}), param("sort", schema={"enum": list(SORTABLE)}),
                param("dir", schema={"enum": ["asc", "desc"]})],
        errors=(400, 403))}},
}
