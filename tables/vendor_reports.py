"""The vendor report tables: each vendor-month's aggregate, what each reservation gave it, the published rows."""

from faust_app import app

vendor_months = app.Table(
    "vendor-months",
    key_type=str,
    help=("row key <kind>/<vendor>/<YYYY-MM> -> aggregate (domain/reports/vendor_month.py), or api/<provider>/"
          "<YYYY-MM> -> API month (domain/reports/vendor_api.py), written by aggregate_vendor_months and "
          "aggregate_provider_calls"),
)
vendor_facts = app.Table(
    "vendor-facts",
    key_type=str,
    help=("<row key>|r|<reservation ID> -> what the reservation contributed; <row key>|u|<user ID> -> seen,"
          " written by aggregate_vendor_months"),
)
# A GlobalTable: every worker holds every published row, so any worker answers the report for all vendors
# (the rows live on the workers owning their keys; a few hundred rows a month is small to replicate).
vendor_reports = app.GlobalTable(
    "vendor-reports",
    key_type=str,
    help=("row key -> published vendor-month aggregate, api/<provider>/<YYYY-MM> -> API month, written by"
          " aggregate_vendor_months and aggregate_provider_calls"),
)
