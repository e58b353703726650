"""Adapter kinds by name, so configuration can say which adapter speaks to which provider."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

import aiohttp

from integrations.providers.airline import AmadeusFlightStatus
from integrations.providers.standard import StandardProvider


class Provider(Protocol):
    """What the tracker needs of any adapter."""

    name: str
    batch_size: int

    async def fetch_one(self, subject: str) -> dict: ...

    async def fetch_batch(self, subjects: Sequence[str]) -> dict[str, dict | None]: ...


# A GDS speaks the standard interface, and each segment of a booking record is a subject of its own.
ADAPTERS: dict[str, type] = {"standard": StandardProvider, "amadeus": AmadeusFlightStatus, "gds": StandardProvider}


def adapter_for(
    kind: str,
    session: aiohttp.ClientSession,
    base_url: str,
    credentials: Mapping[str, str] | None = None,
    timeout_s: float = 10.0,
) -> Provider:
    """A new adapter of ``kind`` (standard, amadeus or gds); ValueError for an unknown kind."""
    try:
        adapter = ADAPTERS[kind]
    except KeyError:
        raise ValueError(f"unknown adapter kind {kind!r}; known: {', '.join(ADAPTERS)}") from None
    return adapter(session, base_url, credentials or {}, timeout_s)
