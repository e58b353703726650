"""What the vendor reports measure: inputs that came after their month closed, and rows published."""

from __future__ import annotations

from prometheus_client import Counter

LATE_INPUTS = Counter("roadwarrior_vendor_reports_late_inputs_total",
                      "Vendor report inputs ignored because their month had closed, by input kind.",
                      ["kind"], registry=None)
PUBLISHED = Counter("roadwarrior_vendor_reports_published_total",
                    "Vendor-month rows published to vendor-month-stats, by closed (true/false).",
                    ["closed"], registry=None)

ALL = (LATE_INPUTS, PUBLISHED)
