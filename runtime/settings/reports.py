"""Reports (agents/reports/): the key that turns user IDs into the analytics topics' pseudonyms."""

from __future__ import annotations

from dataclasses import dataclass

from runtime.settings.fields import setting
from runtime.settings.secret import Secret, generated, token


@dataclass(frozen=True)
class Reports:
    """A traveller's pseudonym on traveller-year-stats is an HMAC of their user ID under this key."""

    analytics_pseudonym_key: Secret = setting(
        "ROADWARRIOR_ANALYTICS_PSEUDONYM_KEY", generated("analytics-pseudonym-key", token), Secret.given,
        doc="HMAC-SHA256 key of the pseudonyms on the analytics topics; the same on every worker, and kept: a "
            "new key gives every traveller a new pseudonym")
