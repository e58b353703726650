"""Vendor reports (agents/reports/): when a month closes, how often open rows and call summaries go out."""

from __future__ import annotations

from dataclasses import dataclass

from runtime.settings.fields import number, setting


@dataclass(frozen=True)
class VendorReports:
    """A month closes by itself its grace period after it ends (UTC); open rows are published throttled."""

    grace_s: float = setting(
        "ROADWARRIOR_VENDOR_REPORTS_GRACE_S", 3600.0, number,
        doc="how long after a month ends (UTC) its vendor report still takes changes, then closes for good")
    publish_s: float = setting(
        "ROADWARRIOR_VENDOR_REPORTS_PUBLISH_S", 30.0, number,
        doc="an open month's row is published to `vendor-month-stats` at most this often per vendor")
    tick_s: float = setting(
        "ROADWARRIOR_VENDOR_REPORTS_TICK_S", 5.0, number,
        doc="how often each worker sends its provider-call summaries and looks for months to close or publish")
