"""Our IDs: users, reservations, mailboxes and devices are ``uuid4().hex`` or ``uuid5(...).hex``, one pattern."""

from __future__ import annotations

import re

# 32 lower-case hex digits. Check with fullmatch: `$` also matches before a trailing newline. The OpenAPI
# document publishes HEX_ID.pattern (JSON Schema patterns have no \Z).
HEX_ID = re.compile(r"^[0-9a-f]{32}$")
