"""What the attempt limits measure: refusals, and checks the shared store could not answer."""

from __future__ import annotations

from prometheus_client import Counter

REFUSED = Counter("roadwarrior_attempts_refused_total",
                  "Sign-in, sign-up and reset attempts refused with 429, by kind.", ["kind"], registry=None)
STORE_UNAVAILABLE = Counter("roadwarrior_attempt_limits_unavailable_total",
                            "Attempt checks let through because the limit store (Redis) did not answer.",
                            registry=None)
ALL = (REFUSED, STORE_UNAVAILABLE)
