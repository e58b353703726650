"""IMAP mailboxes (iCloud Mail and others) over TLS with an app-specific password, polled by UID."""

from __future__ import annotations

import logging
import re
import ssl
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from email.parser import BytesHeaderParser
from email.policy import compat32

import aioimaplib

from domain.mail.filters import allow_entries
from integrations.mail.errors import MailCredentialsRejected, MailError, MailProtocolError, MailUnavailable
from integrations.mail.imap_wire import fetch_items, imap_date, response_code, search_terms
from integrations.mail.message import (
    LOOKBACK_DAYS,
    MAX_MESSAGE_BYTES,
    MAX_MESSAGES,
    MailMessage,
    lookback_start,
    too_large,
    wanted,
)

log = logging.getLogger(__name__)
PROVIDER = "imap"
ICLOUD_HOST = "imap.mail.me.com"
HEADERS = "BODY.PEEK[HEADER.FIELDS (FROM DATE MESSAGE-ID)]"  # PEEK: reading must not mark mail as seen


def _quiet_wire(record: logging.LogRecord) -> bool:
    # aioimaplib logs whole protocol lines below WARNING: login names, headers, message bodies.
    return record.levelno >= logging.WARNING


logging.getLogger("aioimaplib.aioimaplib").addFilter(_quiet_wire)


@dataclass(frozen=True)
class ImapAccount:
    username: str
    password: str = field(repr=False)
    host: str = ICLOUD_HOST
    port: int = 993


class ImapClient:
    """New mail from allowed senders in one mailbox; state is ``{"uidvalidity": int, "last_uid": int}``."""

    provider = PROVIDER

    def __init__(self, account: ImapAccount, filters: dict, *, ssl_context: ssl.SSLContext | None = None,
                 timeout_s: float = 30.0, max_bytes: int = MAX_MESSAGE_BYTES, max_messages: int = MAX_MESSAGES,
                 lookback_days: int = LOOKBACK_DAYS, mailbox: str = "INBOX",
                 clock: Callable[[], float] = time.time) -> None:
        self.account = account
        self.filters = filters
        self.ssl_context = ssl_context or ssl.create_default_context()
        self.timeout_s = timeout_s
        self.max_bytes = max_bytes
        self.max_messages = max_messages
        self.lookback_days = lookback_days
        self.mailbox = mailbox
        self.clock = clock

    async def fetch_new(self, state: dict | None) -> tuple[list[MailMessage], dict]:
        state = state or {}
        async with self._connected() as imap:
            uidvalidity, uidnext = await self._select(imap)
            known = state.get("uidvalidity") == uidvalidity
            # A new UIDVALIDITY renumbered the mailbox: old UIDs mean nothing, so look back by date instead.
            first = int(state.get("last_uid", 0)) + 1 if known else 1
            if first >= uidnext:
                return [], {"uidvalidity": uidvalidity, "last_uid": first - 1}
            uids = await self._search(imap, first, uidnext - 1, since=not known)
            batch = uids[: self.max_messages]
            last_uid = batch[-1] if len(uids) > len(batch) else uidnext - 1
            messages = await self._fetch(imap, uidvalidity, batch)
        log.info("imap: %d new of %d candidates, %d skipped", len(messages), len(batch),
                 sum(m.raw is None for m in messages))
        return messages, {"uidvalidity": uidvalidity, "last_uid": last_uid}

    @asynccontextmanager
    async def _connected(self) -> AsyncIterator[aioimaplib.IMAP4_SSL]:
        imap = None
        try:
            imap = aioimaplib.IMAP4_SSL(self.account.host, self.account.port, timeout=self.timeout_s,
                                        ssl_context=self.ssl_context)
            await imap.wait_hello_from_server()
            await self._login(imap)
            yield imap
            await _logout(imap)
        except MailError:
            raise
        except ssl.SSLCertVerificationError:
            raise MailProtocolError("imap: the server's TLS certificate was rejected", provider=PROVIDER) from None
        except (OSError, TimeoutError, aioimaplib.CommandTimeout) as exc:
            raise MailUnavailable(f"imap: connection failed: {type(exc).__name__}", provider=PROVIDER) from None
        except aioimaplib.AioImapException as exc:
            raise MailProtocolError(f"imap: {type(exc).__name__}", provider=PROVIDER) from None
        finally:
            _close(imap)

    async def _login(self, imap: aioimaplib.IMAP4_SSL) -> None:
        try:
            response = await imap.login(aioimaplib.quoted(self.account.username), self.account.password)
        except ValueError:  # a control character in the name or password
            raise MailCredentialsRejected("imap: the credentials cannot be sent", provider=PROVIDER) from None
        if response.result == "OK":
            return
        code = response_code(response.lines)
        if response.result == "NO" and code in ("UNAVAILABLE", "INUSE", "LIMIT", "SERVERBUG"):
            raise MailUnavailable(f"imap: login deferred ({code})", provider=PROVIDER)
        if response.result == "NO":
            raise MailCredentialsRejected(f"imap: login refused ({code or 'no code'})", provider=PROVIDER)
        raise MailProtocolError(f"imap: login answered {response.result}", provider=PROVIDER)

    async def _select(self, imap: aioimaplib.IMAP4_SSL) -> tuple[int, int]:
        response = await imap.select(self.mailbox)
        _check(response, "SELECT")
        text = b" ".join(line for line in response.lines if isinstance(line, bytes))
        uidvalidity = re.search(rb"\[UIDVALIDITY (\d+)\]", text)
        uidnext = re.search(rb"\[UIDNEXT (\d+)\]", text)
        if not uidvalidity or not uidnext:
            raise MailProtocolError("imap: SELECT gave no UIDVALIDITY or UIDNEXT", provider=PROVIDER)
        return int(uidvalidity.group(1)), int(uidnext.group(1))

    async def _search(self, imap: aioimaplib.IMAP4_SSL, first: int, last: int, *, since: bool) -> list[int]:
        """UIDs in ``first:last`` whose From contains an allowed entry; one SEARCH per chunk of entries."""
        criteria = f"UID {first}:{last}"
        if since:
            start = lookback_start(self.clock(), self.lookback_days)
            criteria += f" SINCE {imap_date(start.year, start.month, start.day)}"
        found: set[int] = set()
        for terms in search_terms(allow_entries(self.filters)):
            response = await imap.uid_search(f"{criteria} {terms}", charset=None)
            _check(response, "SEARCH")
            for line in response.lines[:-1]:
                found.update(int(uid) for uid in line.split() if uid.isdigit())
        # "n:m" may still answer a UID outside it when the range is empty, hence the bounds check.
        return sorted(uid for uid in found if first <= uid <= last)

    async def _fetch(self, imap: aioimaplib.IMAP4_SSL, uidvalidity: int, uids: list[int]) -> list[MailMessage]:
        if not uids:
            return []
        response = await imap.uid("fetch", ",".join(map(str, uids)), f"(UID RFC822.SIZE {HEADERS})")
        _check(response, "FETCH headers")
        messages = []
        for item in sorted(fetch_items(response.lines), key=lambda i: i.uid):
            if item.literal is None:
                continue
            headers = BytesHeaderParser(policy=compat32).parsebytes(item.literal)
            if not wanted(str(headers.get("From", "")), self.filters):  # str: 8-bit headers parse as Header
                continue
            ref = f"{uidvalidity}:{item.uid}"
            reason = too_large(item.size or 0, self.max_bytes)
            raw = None if reason else await self._body(imap, item.uid)
            if reason or raw is not None:  # None: expunged since the header fetch
                messages.append(MailMessage(ref, item.size or len(raw or b""), raw, reason))
        return messages

    async def _body(self, imap: aioimaplib.IMAP4_SSL, uid: int) -> bytes | None:
        response = await imap.uid("fetch", str(uid), "(UID BODY.PEEK[])")
        _check(response, "FETCH body")
        return next((item.literal for item in fetch_items(response.lines)
                     if item.uid == uid and item.literal is not None), None)


def _check(response: aioimaplib.Response, step: str) -> None:
    if response.result != "OK":
        code = response_code(response.lines)
        cls = MailUnavailable if code in ("UNAVAILABLE", "INUSE", "LIMIT") else MailProtocolError
        raise cls(f"imap: {step} answered {response.result} {code or ''}".strip(), provider=PROVIDER)


async def _logout(imap: aioimaplib.IMAP4_SSL) -> None:
    try:
        await imap.logout()
    except (OSError, TimeoutError, aioimaplib.AioImapException):
        pass  # the poll's work is done; a failed goodbye changes nothing


def _close(imap: aioimaplib.IMAP4_SSL | None) -> None:
    # aioimaplib never closes its transport itself, and after a failure we don't wait for a LOGOUT.
    transport = imap.protocol.transport if imap is not None else None
    if transport is not None:
        transport.close()
