"""Gmail through the Gmail API: a sender query for the first poll, then the mailbox history since the last one."""

from __future__ import annotations

import base64
import binascii
import logging
from typing import Any
from urllib.parse import quote

import aiohttp

from domain.mail.filters import allow_entries
from integrations.mail.errors import MailGone, MailProtocolError, MessageTooLarge
from integrations.mail.http import call
from integrations.mail.message import (
    LOOKBACK_DAYS,
    MAX_MESSAGE_BYTES,
    MAX_MESSAGES,
    MailMessage,
    over_limit,
    too_large,
    wanted,
)
from integrations.mail.oauth import TokenSource

log = logging.getLogger(__name__)
PROVIDER = "gmail"
GMAIL_API = "https://gmail.googleapis.com/gmail/v1/users/me"
QUERY_CHUNK = 20  # from: terms per messages.list query
MAX_PAGES = 20  # per listing per poll; history resumes where it stopped
MAX_PENDING = 1000  # listed but not yet fetched, carried in the state
UNWANTED_LABELS = {"DRAFT", "SPAM", "TRASH"}
METADATA = [("format", "metadata"), ("metadataHeaders", "From"), ("metadataHeaders", "Date"),
            ("metadataHeaders", "Message-ID")]


class GmailClient:
    """State is ``{"history_id": str, "pending": [message ids]}``."""

    provider = PROVIDER

    def __init__(self, session: aiohttp.ClientSession, tokens: TokenSource, filters: dict, *,
                 base_url: str = GMAIL_API, timeout_s: float = 20.0, max_bytes: int = MAX_MESSAGE_BYTES,
                 max_messages: int = MAX_MESSAGES, lookback_days: int = LOOKBACK_DAYS) -> None:
        self.session = session
        self.tokens = tokens
        self.filters = filters
        self.base_url = base_url.rstrip("/")
        self.timeout_s = timeout_s
        self.max_bytes = max_bytes
        self.max_messages = max_messages
        self.lookback_days = lookback_days

    async def fetch_new(self, state: dict | None) -> tuple[list[MailMessage], dict]:
        state = state or {}
        found = None
        if state.get("history_id"):
            try:
                found, history_id = await self._history(state["history_id"])
            except MailGone:  # Gmail keeps history for about a week: older positions are forgotten
                log.info("gmail: history position expired, listing again")
        if found is None:
            found, history_id = await self._list()
        queue = list(dict.fromkeys([*state.get("pending", []), *found]))
        batch, rest = queue[: self.max_messages], queue[self.max_messages:]
        messages = [message for mid in batch if (message := await self._message(mid)) is not None]
        log.info("gmail: %d new of %d candidates, %d waiting", len(messages), len(batch), len(rest))
        return messages, {"history_id": history_id, "pending": rest[:MAX_PENDING]}

    async def _get(self, path: str, params: Any = None, **kwargs: Any) -> Any:
        return await call(self.session, self.tokens, f"{self.base_url}{path}", provider=PROVIDER,
                          timeout_s=self.timeout_s, params=params, **kwargs)

    async def _list(self) -> tuple[list[str], str]:
        # The profile's historyId first: whatever arrives while we list shows up in the next history.
        history_id = _field(await self._get("/profile"), "historyId")
        entries = allow_entries(self.filters)
        found: list[str] = []
        for start in range(0, len(entries), QUERY_CHUNK):
            terms = " OR ".join(entries[start:start + QUERY_CHUNK])
            query = f"from:({terms}) newer_than:{self.lookback_days}d"
            found += reversed(await self._pages("/messages", {"q": query, "maxResults": "100"}))
        return found, str(history_id)

    async def _pages(self, path: str, params: dict) -> list[str]:
        ids: list[str] = []
        for _ in range(MAX_PAGES):
            page = await self._get(path, params)
            ids += [_field(m, "id") for m in _list_field(page, "messages")]
            if not page.get("nextPageToken"):
                break
            params = {**params, "pageToken": page["nextPageToken"]}
        return ids

    async def _history(self, start: str) -> tuple[list[str], str]:
        params = {"startHistoryId": start, "historyTypes": "messageAdded", "maxResults": "500"}
        ids: list[str] = []
        last_record = start
        for _ in range(MAX_PAGES):
            page = await self._get("/history", params)
            records = _list_field(page, "history")
            last_record = str(records[-1].get("id", last_record)) if records else last_record
            ids += [_field(added.get("message", {}), "id")
                    for record in records for added in _list_field(record, "messagesAdded")]
            if not page.get("nextPageToken"):
                return ids, str(_field(page, "historyId"))
            params = {**params, "pageToken": page["nextPageToken"]}
        return ids, last_record  # out of pages: resume after the last record read

    async def _message(self, mid: str) -> MailMessage | None:
        try:
            meta = await self._get(f"/messages/{quote(mid, safe='')}", METADATA)
            headers = {h.get("name", "").lower(): h.get("value", "") for h in _headers(meta)}
            if UNWANTED_LABELS & set(meta.get("labelIds", [])) or not wanted(headers.get("from"), self.filters):
                return None
            size = int(meta.get("sizeEstimate", 0))
            if reason := too_large(size, self.max_bytes):
                return MailMessage(mid, size, None, reason)
            return await self._raw(mid, size)
        except MailGone:  # deleted between listing and fetching
            return None

    async def _raw(self, mid: str, size: int) -> MailMessage:
        try:  # base64url swells the message by a third, plus the JSON around it
            body = await self._get(f"/messages/{quote(mid, safe='')}", {"format": "raw"},
                                   max_bytes=self.max_bytes * 4 // 3 + 65536)
            raw = base64.urlsafe_b64decode(_field(body, "raw") + "=" * (-len(body["raw"]) % 4))
        except MessageTooLarge:
            return MailMessage(mid, size, None, over_limit(self.max_bytes))
        except (binascii.Error, ValueError, TypeError):
            raise MailProtocolError("gmail: a raw message was not base64url", provider=PROVIDER) from None
        reason = too_large(len(raw), self.max_bytes)  # sizeEstimate is only an estimate
        return MailMessage(mid, len(raw), None if reason else raw, reason)


def _field(item: Any, name: str) -> Any:
    if not isinstance(item, dict) or item.get(name) in (None, ""):
        raise MailProtocolError(f"gmail: a response lacks {name}", provider=PROVIDER)
    return item[name]


def _headers(meta: Any) -> list:
    payload = meta.get("payload") if isinstance(meta, dict) else None
    return _list_field(payload, "headers") if isinstance(payload, dict) else []


def _list_field(item: Any, name: str) -> list:
    value = item.get(name, []) if isinstance(item, dict) else None
    if not isinstance(value, list):
        raise MailProtocolError(f"gmail: {name} is not a list", provider=PROVIDER)
    return [entry for entry in value if isinstance(entry, dict)]
