"""Attempt limits (web/accounts/attempts.py): sign-in, sign-up and password-reset rates, and who the client is."""

from __future__ import annotations

from dataclasses import dataclass

from domain.accounts.limits import Rate
from runtime.settings.fields import integer, setting

_RATE = "BURST/SECONDS: BURST at once, then one more every SECONDS"


@dataclass(frozen=True)
class Limits:
    """Shared through `ROADWARRIOR_REDIS_URL` by every worker (else counted in each worker alone)."""

    trusted_proxy_hops: int = setting(
        "ROADWARRIOR_TRUSTED_PROXY_HOPS", 0, integer,
        doc="how many proxies in front of the workers append to `X-Forwarded-For`; the client is the address the "
            "outermost of them saw. 0: the peer's address, and `X-Forwarded-For` is ignored (a client can forge it)")
    login_account_client: Rate = setting(
        "ROADWARRIOR_LIMIT_LOGIN_ACCOUNT_CLIENT", Rate(5, 60.0), Rate.parse,
        doc=f"failed sign-ins to one account from one address ({_RATE}); a success clears it")
    login_account: Rate = setting(
        "ROADWARRIOR_LIMIT_LOGIN_ACCOUNT", Rate(20, 60.0), Rate.parse,
        doc="failed sign-ins to one account from every address; a success clears it")
    login_client: Rate = setting(
        "ROADWARRIOR_LIMIT_LOGIN_CLIENT", Rate(50, 10.0), Rate.parse,
        doc="failed sign-ins from one address (an IPv6 /64) to any account")
    signup_account: Rate = setting(
        "ROADWARRIOR_LIMIT_SIGNUP_ACCOUNT", Rate(5, 300.0), Rate.parse, doc="sign-ups with one e-mail address")
    signup_client: Rate = setting(
        "ROADWARRIOR_LIMIT_SIGNUP_CLIENT", Rate(10, 360.0), Rate.parse, doc="sign-ups from one address")
    reset_account: Rate = setting(
        "ROADWARRIOR_LIMIT_RESET_ACCOUNT", Rate(3, 600.0), Rate.parse,
        doc="password-reset requests for one e-mail address (each may send a mail)")
    reset_client: Rate = setting(
        "ROADWARRIOR_LIMIT_RESET_CLIENT", Rate(10, 360.0), Rate.parse, doc="password-reset requests from one address")

    def rates(self) -> dict[str, Rate]:
        """Every rate by its ``<kind>_<scope>`` name (domain/accounts/limits.py's counters)."""
        return {name: value for name, value in vars(self).items() if isinstance(value, Rate)}
