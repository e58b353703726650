"""GDS adapter (SABRE/APOLLO-like): booking records (PNRs) over the standard interface, split by segment."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import aiohttp

from integrations.providers.errors import MalformedResponse
from integrations.providers.standard import ProviderInfo, StandardProvider


class GdsProvider:
    """Booking records ``pnr/<provider>/<locator>``; each segment has its own subject and snapshot."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        base_url: str,
        credentials: Mapping[str, str] | None = None,
        timeout_s: float = 10.0,
    ) -> None:
        self._standard = StandardProvider(session, base_url, credentials, timeout_s)

    def __repr__(self) -> str:
        return f"GdsProvider({self._standard!r})"

    @property
    def name(self) -> str:
        return self._standard.name

    @property
    def batch_size(self) -> int:
        return self._standard.batch_size

    async def info(self) -> ProviderInfo:
        return await self._standard.info()

    async def fetch_one(self, subject: str) -> dict:
        """Any subject the GDS serves: a whole record (``pnr/...``) or one segment."""
        return await self._standard.fetch_one(subject)

    async def fetch_batch(self, subjects: Sequence[str]) -> dict[str, dict | None]:
        return await self._standard.fetch_batch(subjects)

    async def fetch_record(self, subject: str) -> dict:
        """The PNR snapshot (kind ``pnr``, with ``segments``); UnknownSubject when the record is gone."""
        record = await self._standard.fetch_one(subject)
        if record["kind"] != "pnr":
            raise MalformedResponse(f"{self.name}: {subject} did not answer a booking record",
                                    provider=self.name)
        return record

    async def fetch_segments(self, subject: str) -> dict[str, dict]:
        """Segment snapshots of one record, by segment subject."""
        return segments_of(await self.fetch_record(subject))

    async def fetch_segments_batch(self, subjects: Sequence[str]) -> dict[str, dict[str, dict] | None]:
        """Segment snapshots of many records, by record subject (None = record not found)."""
        records = await self._standard.fetch_batch(subjects)
        return {subject: record and segments_of(record) for subject, record in records.items()}


def segments_of(record: dict) -> dict[str, dict]:
    """Per-segment snapshots keyed by segment subject.

    A cancelled record cancels every segment in it for the traveller, even though the flight itself
    still operates; a segment that does not say when it changed takes the record's time.
    """
    segments = {}
    for segment in record["segments"]:
        snapshot = dict(segment["snapshot"])
        if record["status"] == "cancelled":
            snapshot["status"] = "cancelled"
        if snapshot.get("provider_changed_at") is None:
            snapshot["provider_changed_at"] = record.get("provider_changed_at")
        segments[segment["subject"]] = snapshot
    return segments
