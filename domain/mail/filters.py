"""Which senders' mail we read: a per-user allow list and block list of addresses and domains, over our defaults."""

from __future__ import annotations

import re
from email.utils import getaddresses

from domain.common.errors import FieldErrors

MAX_ENTRIES = 200  # per list; a search with more terms than this stops being a filter
FIELDS = ("allow", "block", "use_defaults")
DEFAULT_FILTERS: dict = {"allow": [], "block": [], "use_defaults": True}  # a traveller who never set any

# Senders of booking confirmations; a domain covers its subdomains (e.g. mail.united.com, luv.southwest.com).
DEFAULT_WHITELIST: tuple[str, ...] = (
    # airlines
    "aa.com", "aeromexico.com", "aircanada.ca", "aircanada.com", "airfrance.com", "airfrance.fr", "alaskaair.com",
    "ana.co.jp", "austrian.com", "ba.com", "britishairways.com", "cathaypacific.com", "delta.com", "easyjet.com",
    "emirates.com", "etihad.com", "eurowings.com", "finnair.com", "flysas.com", "flytap.com", "iberia.com",
    "jal.com", "jetblue.com", "klm.com", "latam.com", "lufthansa.com", "norwegian.com", "qantas.com",
    "qatarairways.com", "ryanair.com", "singaporeair.com", "southwest.com", "swiss.com", "turkishairlines.com",
    "united.com", "virginatlantic.com", "vueling.com", "wizzair.com",
    # hotels
    "accor.com", "bestwestern.com", "choicehotels.com", "fourseasons.com", "hilton.com", "hyatt.com", "ihg.com",
    "marriott.com", "radissonhotels.com", "wyndhamhotels.com",
    # car rental
    "alamo.com", "avis.com", "budget.com", "enterprise.com", "europcar.com", "hertz.com", "nationalcar.com",
    "sixt.com", "thrifty.com",
    # agencies, booking tools and distribution systems
    "agoda.com", "airbnb.com", "amadeus.com", "amexgbt.com", "booking.com", "concursolutions.com", "egencia.com",
    "expedia.com", "hotels.com", "kayak.com", "priceline.com", "sabre.com", "travelport.com", "trip.com",
    "tripit.com",
)

_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_LOCAL = re.compile(r"^[a-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}$")  # ASCII only: entries become IMAP search terms


def normalize_entry(entry: str) -> str | None:
    """``user@domain`` or ``domain`` in canonical form (lowercase, punycode), or None when it is neither."""
    text = entry.strip().lower().removeprefix("*.").removeprefix("@").rstrip(".")
    local, at, domain = text.rpartition("@")
    if at and not _LOCAL.match(local):
        return None
    domain = _to_ascii(domain)
    if domain is None:
        return None
    return f"{local}@{domain}" if at else domain


def _to_ascii(domain: str) -> str | None:
    try:
        ascii_domain = domain.encode("idna").decode("ascii")
    except (UnicodeError, ValueError):
        return None
    labels = ascii_domain.split(".")
    if len(ascii_domain) > 253 or len(labels) < 2 or labels[-1].isdigit():
        return None
    return ascii_domain if all(_LABEL.match(label) for label in labels) else None


def validate(user_filters: object) -> dict:
    """The filters a traveller PUT, normalized and deduplicated; raises ValidationError listing every bad field."""
    errors = FieldErrors()
    if not isinstance(user_filters, dict):
        errors.add("", "must be an object")
        errors.raise_if_any()
    for name in sorted(set(user_filters) - set(FIELDS)):
        errors.add(name, "unknown field")
    use_defaults = user_filters.get("use_defaults", True)
    if not isinstance(use_defaults, bool):
        errors.add("use_defaults", "must be true or false")
    allow = _entries(user_filters.get("allow", []), "allow", errors)
    block = _entries(user_filters.get("block", []), "block", errors)
    for entry in sorted(set(allow) & set(block)):
        errors.add("block", f"{entry} is also in allow")
    errors.raise_if_any("The e-mail filters have invalid fields.")
    return {"allow": allow, "block": block, "use_defaults": use_defaults}


def _entries(value: object, field: str, errors: FieldErrors) -> list[str]:
    if not isinstance(value, list):
        errors.add(field, "must be a list")
        return []
    if len(value) > MAX_ENTRIES:
        errors.add(field, f"at most {MAX_ENTRIES} entries")
    entries: list[str] = []
    for index, item in enumerate(value):
        entry = normalize_entry(item) if isinstance(item, str) and len(item) <= 320 else None
        if entry is None:
            errors.add(f"{field}[{index}]", "must be an e-mail address or a domain")
        elif entry not in entries:
            entries.append(entry)
    return entries


def allow_entries(filters: dict) -> list[str]:
    """Every address and domain whose mail is wanted: the search terms for servers that can filter by sender."""
    defaults = DEFAULT_WHITELIST if filters.get("use_defaults", True) else ()
    return list(dict.fromkeys([*filters.get("allow", ()), *defaults]))


def sender_address(from_header: str) -> str | None:
    """The one address in a From header, normalized; None for none, several, or a malformed one."""
    addresses = [address for _, address in getaddresses([from_header]) if address]
    if len(addresses) != 1 or "@" not in addresses[0]:
        return None
    return normalize_entry(addresses[0])


def allowed(sender: str, filters: dict) -> bool:
    """Whether mail from ``sender`` (a From header or a bare address) is read.

    An address entry beats any domain entry; otherwise the most specific matching domain decides,
    and where one domain is on both lists the block list wins.
    """
    address = sender_address(sender)
    if address is None:
        return False
    block, allow = set(filters.get("block", ())), set(allow_entries(filters))
    if address in block or address in allow:
        return address not in block
    labels = address.rpartition("@")[2].split(".")
    for start in range(len(labels) - 1):
        domain = ".".join(labels[start:])
        if domain in block:
            return False
        if domain in allow:
            return True
    return False
