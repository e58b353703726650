"""The vendor report page for support staff (/support/vendor-reports): the API's rows, sortable, with charts."""

from __future__ import annotations

from aiohttp import web
from faust import web as faust_web
from yarl import URL

from domain.reports.vendor_charts import bars, changes_total, delay_p90
from web.pages import call_api, login_first, profile_of, render

blueprint = faust_web.Blueprint("vendor_report_pages")
# (column as the API sorts by it, its heading); the headings are translated in the template.
COLUMNS = ("vendor", "kind", "reservations", "travellers", "changes_total", "changes_per_reservation",
           "delay_minutes_p50", "delay_minutes_p90", "delay_minutes_max", "cancellations", "diversions",
           "api_error_rate", "api_latency_ms_p50", "api_latency_ms_p99", "freshness_s_p50", "freshness_s_p99")


@blueprint.route("/support/vendor-reports", name="vendor_reports")
class VendorReportPage(faust_web.View):
    async def get(self, request: web.Request) -> web.Response:
        if (away := login_first(request)) is not None:
            return away
        sort = request.query.get("sort", "vendor")
        sort = sort if sort in COLUMNS else "vendor"
        direction = "desc" if request.query.get("dir") == "desc" else "asc"
        query = {"sort": sort, "dir": direction, **({"month": request.query["month"]}
                                                    if request.query.get("month") else {})}
        answer = await call_api(request, "GET", "/api/v1/support/vendor-reports", query=query)
        me = await profile_of(request)
        if not answer.ok:
            return render(request, "error.html", status=answer.status, profile=me, message=answer.title)
        month, rows = answer.body["month"], answer.body["items"]
        return render(request, "reports/vendor_reports.html", profile=me, month=month, rows=rows, sort=sort,
                      direction=direction, links=sort_links(month, sort, direction),
                      csv_url=str(URL("/api/v1/support/vendor-reports").with_query(month=month, format="csv")),
                      changes_chart=bars(rows, changes_total), delay_chart=bars(rows, delay_p90))


def sort_links(month: str, sort: str, direction: str) -> dict[str, str]:
    """Each column's link: sorted by it, descending first; the current column's link flips its direction."""
    links = {}
    for column in COLUMNS:
        flip = "asc" if column == sort and direction == "desc" else "desc"
        links[column] = str(URL("/support/vendor-reports").with_query(month=month, sort=column, dir=flip))
    return links
