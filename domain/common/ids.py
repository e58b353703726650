"""Our IDs: users, reservations, mailboxes and devices are ``uuid4().hex`` or ``uuid5(...).hex``, one pattern."""

from __future__ import annotations

import re

# 32 lower-case hex digits; web/openapi.py publishes HEX_ID.pattern as the path parameters' pattern.
HEX_ID = re.compile(r"^[0-9a-f]{32}$")
