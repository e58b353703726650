"""Outlook and Microsoft 365 mail through Microsoft Graph: the inbox's delta query, then each message's MIME."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import aiohttp
from yarl import URL

from domain.common.timestamps import utc_iso
from integrations.mail.errors import MailGone, MailProtocolError, MessageTooLarge
from integrations.mail.http import call, same_origin
from integrations.mail.message import (
    LOOKBACK_DAYS,
    MAX_MESSAGE_BYTES,
    MAX_MESSAGES,
    MailMessage,
    lookback_start,
    over_limit,
    wanted,
)
from integrations.mail.oauth import TokenSource

log = logging.getLogger(__name__)
PROVIDER = "graph"
GRAPH_API = "https://graph.microsoft.com/v1.0"
PAGE_SIZE = 50
MAX_PAGES = 20  # per poll; the state keeps the nextLink and the next poll goes on from there


class GraphClient:
    """State is ``{"link": url}``: the deltaLink of the last finished round, or the nextLink of an unfinished one."""

    provider = PROVIDER

    def __init__(self, session: aiohttp.ClientSession, tokens: TokenSource, filters: dict, *,
                 base_url: str = GRAPH_API, timeout_s: float = 20.0, max_bytes: int = MAX_MESSAGE_BYTES,
                 max_messages: int = MAX_MESSAGES, lookback_days: int = LOOKBACK_DAYS,
                 clock: Callable[[], float] = time.time) -> None:
        self.session = session
        self.tokens = tokens
        self.filters = filters
        self.base_url = base_url.rstrip("/")
        self.timeout_s = timeout_s
        self.max_bytes = max_bytes
        self.max_messages = max_messages
        self.lookback_days = lookback_days
        self.clock = clock

    async def fetch_new(self, state: dict | None) -> tuple[list[MailMessage], dict]:
        link = (state or {}).get("link")
        if link and not same_origin(link, self.base_url):
            raise MailProtocolError("graph: the saved delta link points elsewhere", provider=PROVIDER)
        try:
            ids, link = await self._delta(link or self._first_link())
        except MailGone:
            if not link:
                raise
            log.info("graph: delta link expired, starting a new round")  # 410: the sync state is gone
            ids, link = await self._delta(self._first_link())
        messages = [message for mid in ids if (message := await self._message(mid)) is not None]
        log.info("graph: %d new of %d candidates", len(messages), len(ids))
        return messages, {"link": link}

    def _first_link(self) -> str:
        since = utc_iso(lookback_start(self.clock(), self.lookback_days))
        # changeType=created: a message read or flagged later would otherwise come back as a change.
        query = {"changeType": "created", "$select": "from,receivedDateTime,internetMessageId",
                 "$filter": f"receivedDateTime ge {since}"}
        return str(URL(f"{self.base_url}/me/mailFolders/inbox/messages/delta").with_query(query))

    async def _delta(self, link: str) -> tuple[list[str], str]:
        ids: list[str] = []
        for _ in range(MAX_PAGES):
            page = await call(self.session, self.tokens, URL(link, encoded=True), provider=PROVIDER,
                              timeout_s=self.timeout_s, headers={"Prefer": f"odata.maxpagesize={PAGE_SIZE}"})
            ids += [item["id"] for item in _items(page) if self._wanted(item)]
            next_link, delta_link = page.get("@odata.nextLink"), page.get("@odata.deltaLink")
            link = next_link or delta_link
            if not isinstance(link, str) or not same_origin(link, self.base_url):
                raise MailProtocolError("graph: a delta page has no usable next or delta link", provider=PROVIDER)
            if delta_link or len(ids) >= self.max_messages:
                break
        return ids, link

    def _wanted(self, item: dict) -> bool:
        if "@removed" in item or not isinstance(item.get("id"), str):
            return False
        sender = item.get("from") or {}
        address = (sender.get("emailAddress") or {}).get("address") if isinstance(sender, dict) else None
        return isinstance(address, str) and wanted(address, self.filters)

    async def _message(self, mid: str) -> MailMessage | None:
        url = URL(f"{self.base_url}/me/messages/{quote(mid, safe='')}/$value", encoded=True)
        try:
            raw = await call(self.session, self.tokens, url, provider=PROVIDER, timeout_s=self.timeout_s,
                             max_bytes=self.max_bytes, as_json=False)
        except MessageTooLarge as exc:
            return MailMessage(mid, exc.size, None, over_limit(self.max_bytes))
        except MailGone:  # deleted between the delta and the download
            return None
        return MailMessage(mid, len(raw), raw)


def _items(page: Any) -> list[dict]:
    value = page.get("value") if isinstance(page, dict) else None
    if not isinstance(value, list):
        raise MailProtocolError("graph: a delta page has no value list", provider=PROVIDER)
    return [item for item in value if isinstance(item, dict)]
