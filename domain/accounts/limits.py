"""Attempt limits on sign-in, sign-up and password reset: which counters an attempt touches, and GCRA's rule."""

from __future__ import annotations

import ipaddress
import math
from dataclasses import dataclass

KINDS = ("login", "signup", "reset")


@dataclass(frozen=True)
class Rate:
    """``burst`` attempts at once, then one more every ``every_s`` seconds: idle ``burst * every_s``, it is full."""

    burst: int
    every_s: float

    @classmethod
    def parse(cls, text: str) -> Rate:
        """``"5/60"``: 5 at once, then one a minute."""
        burst, _, every = text.partition("/")
        try:
            rate = cls(int(burst), float(every))
        except ValueError:
            raise ValueError("must be BURST/SECONDS, such as 5/60") from None
        if rate.burst < 1 or rate.every_s <= 0:
            raise ValueError("must have a burst of at least 1 and a positive number of seconds")
        return rate

    def __str__(self) -> str:
        return f"{self.burst}/{self.every_s:g}"


@dataclass(frozen=True)
class Counter:
    """One counter an attempt is checked against: its store key and its rate."""

    key: str
    rate: Rate


def client_key(address: str | None) -> str:
    """The client part of a key: an IPv4 address, or an IPv6 address's /64 (one home or phone gets a whole /64,
    so counting single IPv6 addresses would let a client walk through 2^64 of them)."""
    try:
        ip = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return "unknown"
    if ip.version == 6:
        mapped = ip.ipv4_mapped
        return str(mapped) if mapped else str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def counters(kind: str, account: str | None, client: str, rates: dict[str, Rate]) -> list[Counter]:
    """The counters an attempt of ``kind`` is checked against; ``rates`` by ``<kind>_<scope>`` name.

    A login counts per account *and address* (the strict one: a stranger's failures from elsewhere do not lock
    the traveller out at home), per account over every address (looser: slows a guessing run spread over many
    addresses) and per address over every account (looser still: many people share one NAT).
    """
    scopes = {"account_client": account and f"{account}|{client}", "account": account, "client": client}
    return [Counter(f"{kind}:{scope}:{value}", rates[f"{kind}_{scope}"]) for scope, value in scopes.items()
            if value is not None and f"{kind}_{scope}" in rates]


def gcra(tat: float | None, now: float, rate: Rate) -> tuple[float, float]:
    """(new theoretical arrival time, seconds to wait) for one more attempt; a wait above 0 means refused and the
    time stays as it was. The same rule runs inside Redis (integrations/limits/redis_store.py)."""
    start = max(tat or now, now)
    allowed_at = start - (rate.burst - 1) * rate.every_s
    if now < allowed_at:
        return start, allowed_at - now
    return start + rate.every_s, 0.0


def retry_after(wait_s: float) -> int:
    """The whole seconds a Retry-After header says (at least 1)."""
    return max(1, math.ceil(wait_s))
