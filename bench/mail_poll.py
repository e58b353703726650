"""Prints how many messages/second one mailbox poll reads end to end: IMAP fetch from a local Dovecot + extraction.

Run: python -m bench.mail_poll [--messages 100]. Needs dovecot-imapd (the tests' runner starts it on loopback).
"""

from __future__ import annotations

import argparse
import asyncio
import time

from agents.mail.read_mail import poll
from domain.mail.filters import validate
from integrations.mail.imap import ImapAccount, ImapClient
from tests.unit.mail.fixtures import dovecot_server
from tests.unit.mail.test_bookings import confirmation_mail

FILTERS = validate({"allow": ["non-existing-airline.com"], "use_defaults": False})


async def measure(messages: int) -> None:
    with dovecot_server(mailboxes=1) as server:
        user, password = server.users[0]
        for n in range(messages):
            server.deliver(user, password, confirmation_mail(confirmation=f"BK{n:04d}", message_id=f"<{n}@bench>"))
        client = ImapClient(ImapAccount(user, password, host=server.host, port=server.port), FILTERS,
                            ssl_context=server.client_context(), max_messages=messages)
        started = time.perf_counter()
        result = await poll(client, None, timeout_s=300)
        elapsed = time.perf_counter() - started
    found = sum(len(item.get("extracted", ())) for item in result["found"])
    print(f"one IMAP poll of {result['messages']} confirmation mails ({found} reservations): {elapsed:.2f} s, "
          f"{result['messages'] / elapsed:.0f} messages/second")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=100, help="mails in the mailbox (one poll reads them all)")
    asyncio.run(measure(parser.parse_args().messages))


if __name__ == "__main__":
    main()
