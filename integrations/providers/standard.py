"""Client of the standard provider interface (schemas/provider-standard-interface.json)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote

import aiohttp
from yarl import URL

from integrations.providers.errors import MalformedResponse
from integrations.providers.http import request_json
from integrations.providers.shapes import check_snapshot, instant

DEFAULT_BATCH_SIZE = 100


class StandardProvider:
    """Any agency or travel system behind the standard interface; they differ only in ``base_url``."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        base_url: str,
        credentials: Mapping[str, str] | None = None,
        timeout_s: float = 10.0,
    ) -> None:
        self._session = session
        self._base = base_url.rstrip("/")
        api_key = (credentials or {}).get("api_key")
        self._headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._timeout_s = timeout_s
        self.name = URL(self._base).path.rstrip("/").rsplit("/", 1)[-1] or URL(self._base).host or "provider"
        self.batch_size = DEFAULT_BATCH_SIZE

    def __repr__(self) -> str:
        return f"StandardProvider({self._base!r})"

    async def fetch_one(self, subject: str) -> dict:
        """The subject's snapshot; UnknownSubject when the provider does not know it."""
        payload = await self._call("GET", "/v1/snapshots/" + quote(subject, safe=""))
        snapshot = self._guard(_to_results, {"results": [payload]}, [subject])[subject]
        if snapshot is None:
            raise MalformedResponse(f"{self.name}: single fetch of a subject answered found=false",
                                    provider=self.name)
        return snapshot

    async def fetch_batch(self, subjects: Sequence[str]) -> dict[str, dict | None]:
        """Snapshots by subject (None = not found), asking ``batch_size`` subjects per request."""
        found: dict[str, dict | None] = {}
        for start in range(0, len(subjects), self.batch_size):
            chunk = list(subjects[start:start + self.batch_size])
            payload = await self._call("POST", "/v1/snapshots/batch", json={"subjects": chunk})
            found.update(self._guard(_to_results, payload, chunk))
        return found

    async def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        url = URL(self._base + path, encoded=True)
        return await request_json(self._session, method, url, provider=self.name,
                                  timeout_s=self._timeout_s, headers=self._headers, **kwargs)

    def _guard(self, mapper: Any, *args: Any) -> Any:
        try:
            return mapper(*args)
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            raise MalformedResponse(f"{self.name}: {exc}", provider=self.name) from None


def _to_results(payload: Any, asked: Sequence[str]) -> dict[str, dict | None]:
    results = payload["results"]
    if not isinstance(results, list):
        raise TypeError("results: expected an array")
    found = {}
    for index, result in enumerate(results):
        subject = result["subject"]
        if subject not in asked:
            raise ValueError(f"results[{index}].subject: not asked for")
        found[subject] = _to_snapshot(result, f"results[{index}]")
    missing = [subject for subject in asked if subject not in found]
    if missing:
        raise ValueError(f"results: no answer for {len(missing)} subject(s), e.g. {missing[0]}")
    return found


def _to_snapshot(result: dict, path: str) -> dict | None:
    if result.get("found") is not True:
        if result.get("found") is False:
            return None
        raise ValueError(f"{path}.found: expected true or false")
    snapshot = check_snapshot(result.get("snapshot"), f"{path}.snapshot")
    if snapshot["provider_changed_at"] is None and result.get("changed_at"):
        snapshot["provider_changed_at"] = instant(result["changed_at"], f"{path}.changed_at")
    return snapshot
