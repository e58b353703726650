"""Share roles against every action, public-link tokens, and the public view that lets nothing else out."""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.reservations.fields import SUB_FIELDS, TOP_FIELDS, TYPES, check
from domain.trips import sharing
from domain.trips.sharing import (
    ACTIONS,
    ADD_RESERVATION,
    CHANGE_RESERVATION,
    DELETE,
    EDITOR,
    EXPIRED_LINK,
    FOLLOW,
    LEAVE,
    LINK_HOLDER,
    MERGE_OR_SPLIT,
    OWNER,
    PUBLIC_DETAILS,
    PUBLIC_RESERVATION_FIELDS,
    PUBLIC_TRIP_FIELDS,
    REMOVE_RESERVATION,
    RENAME,
    REVOKED_LINK,
    ROLES,
    SET_PRIVATE,
    SHARE,
    STRANGER,
    VIEW,
    VIEW_CONFIRMATIONS,
    VIEW_PUBLIC,
    VIEWER,
    WITHDRAW,
    link_state,
    may,
    new_link,
    public_view,
    role_of,
    token_digest,
)

# Who may do each action on a trip that is not private; every other role may not.
ALLOWED = {
    VIEW: {OWNER, EDITOR, VIEWER},
    VIEW_CONFIRMATIONS: {OWNER, EDITOR},
    VIEW_PUBLIC: {OWNER, EDITOR, VIEWER, LINK_HOLDER},
    FOLLOW: {OWNER, EDITOR, VIEWER},
    RENAME: {OWNER, EDITOR},
    ADD_RESERVATION: {OWNER, EDITOR},
    CHANGE_RESERVATION: {OWNER, EDITOR},
    REMOVE_RESERVATION: {OWNER, EDITOR},
    MERGE_OR_SPLIT: {OWNER},
    SET_PRIVATE: {OWNER},
    SHARE: {OWNER},
    WITHDRAW: {OWNER},
    LEAVE: {EDITOR, VIEWER},
    DELETE: {OWNER},
}
NOW = datetime(2025, 7, 1, 12, tzinfo=UTC)


def test_the_table_names_every_action_and_role():
    assert set(ALLOWED) == set(ACTIONS)
    assert set(ROLES) == {OWNER, EDITOR, VIEWER, LINK_HOLDER, EXPIRED_LINK, REVOKED_LINK, STRANGER}


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", ROLES)
def test_each_role_may_do_exactly_what_the_table_says(role, action):
    assert may(role, action) is (role in ALLOWED[action])


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", ROLES)
def test_a_private_trip_is_its_owners_alone_and_nothing_shares_it(role, action):
    expected = role == OWNER and role in ALLOWED[action] and action not in (SHARE, VIEW_PUBLIC)
    assert may(role, action, private=True) is expected


def test_unknown_roles_and_actions_may_nothing():
    assert not may("admin", VIEW) and not may(OWNER, "transfer") and not may(None, VIEW)


def trip_with(*links: dict) -> dict:
    return {"owner_id": "o", "links": list(links), "shares": [
        {"user_id": "e", "email": "e@example.com", "role": EDITOR},
        {"user_id": "v", "email": "v@example.com", "role": VIEWER},
        {"user_id": None, "email": "invited@example.com", "role": EDITOR},
        {"user_id": "odd", "email": "odd@example.com", "role": OWNER}]}


def test_people_get_their_role_from_the_trip_and_its_shares():
    trip = trip_with()
    assert [role_of(trip, NOW, user_id=u) for u in ("o", "e", "v", "x", None)] == \
        [OWNER, EDITOR, VIEWER, STRANGER, STRANGER]
    assert role_of(trip, NOW, user_id="odd") == STRANGER  # a share gives viewer or editor, nothing else
    withdrawn = {**trip, "shares": [s for s in trip["shares"] if s["user_id"] != "v"]}
    assert role_of(withdrawn, NOW, user_id="v") == STRANGER


def test_a_link_gives_the_holder_role_until_it_expires_or_is_revoked():
    token, link = new_link("2025-06-01T00:00:00Z", expires_at="2025-07-01T12:00:00Z")
    other_token, other = new_link("2025-06-01T00:00:00Z")
    trip = trip_with(other, link)
    assert role_of(trip, datetime(2025, 7, 1, 11, 59, 59, tzinfo=UTC), token=token) == LINK_HOLDER
    assert role_of(trip, NOW, token=token) == EXPIRED_LINK
    assert role_of(trip, NOW, token=other_token) == LINK_HOLDER
    revoked = trip_with({**other, "revoked_at": "2025-06-02T00:00:00Z"})
    assert role_of(revoked, datetime(2025, 1, 1, tzinfo=UTC), token=other_token) == REVOKED_LINK
    assert role_of(trip, NOW, token=other_token[:-1] + "x") == STRANGER
    assert role_of(trip, NOW, token="") == role_of(trip, NOW) == STRANGER


def test_a_person_with_a_share_keeps_it_when_they_also_hold_a_link():
    token, link = new_link("2025-06-01T00:00:00Z")
    trip = trip_with(link)
    assert role_of(trip, NOW, user_id="e", token=token) == EDITOR
    assert role_of(trip, NOW, user_id="o", token=token) == OWNER
    assert role_of(trip, NOW, user_id="x", token=token) == LINK_HOLDER


def test_link_state_reads_the_records_expiry_and_revocation():
    _, link = new_link("2025-06-01T00:00:00Z", expires_at="2025-07-01T14:00:00+02:00")
    assert link_state(link, NOW) == EXPIRED_LINK
    assert link_state({**link, "expires_at": None}, NOW) == LINK_HOLDER
    assert link_state({**link, "revoked_at": "2025-06-02T00:00:00Z", "expires_at": None}, NOW) == REVOKED_LINK


def test_tokens_are_256_random_bits_urlsafe_and_only_their_digest_is_kept():
    tokens = [new_link("2025-06-01T00:00:00Z") for _ in range(50)]
    for token, record in tokens:
        assert len(base64.urlsafe_b64decode(token + "=")) == 32 and token.isascii()
        assert set(token) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        assert record["digest"] == hashlib.sha256(token.encode()).hexdigest() == token_digest(token)
        assert token not in json.dumps(record)
        assert set(record) == {"id", "digest", "created_at", "expires_at", "revoked_at"}
    assert len({token for token, _ in tokens}) == len({record["id"] for _, record in tokens}) == 50


def test_a_token_is_compared_in_constant_time_with_every_link(monkeypatch):
    compared = []

    def compare_digest(a, b):
        compared.append(b)
        return a == b

    monkeypatch.setattr(sharing.hmac, "compare_digest", compare_digest)
    token, link = new_link("2025-06-01T00:00:00Z")
    links = [new_link("2025-06-01T00:00:00Z")[1], link, new_link("2025-06-01T00:00:00Z")[1]]
    assert role_of(trip_with(*links), NOW, token=token) == LINK_HOLDER
    assert compared == [record["digest"] for record in links]


def test_the_public_view_shows_the_trip_without_its_secrets():
    flight = {"id": "2" * 32, "user_id": "o", "version": 3, **check({
        "type": "flight", "confirmation": "ABC123", "travellers": ["Ada Lovelace", "Charles Babbage"],
        "start": "2025-07-01T10:00", "end": "2025-07-01T12:30", "notes": "ada@example.com", "provider": "amadeus",
        "flight": {"airline": "AF", "number": "22", "from": "CDG", "to": "JFK", "seat": "12A",
                   "arrival_terminal": "1"}})}
    hotel = {"id": "1" * 32, "price": "420 EUR", **check({
        "type": "hotel", "start": "2025-07-01T15:00", "end": "2025-07-03T11:00", "start_time_zone": "America/New_York",
        "hotel": {"name": "The Standard", "address": "848 Washington St", "phone": "+1 212 645 4646"}})}
    trip = {"id": "t" * 32, "owner_id": "o", "owner_email": "ada@example.com", "name": "New York",
            "start": flight["start"], "start_time_zone": "Europe/Paris", "end": hotel["end"],
            "end_time_zone": "America/New_York", "shares": [{"user_id": "v", "email": "v@example.com"}],
            "links": [new_link("2025-06-01T00:00:00Z")[1]], "private": False}
    assert public_view(trip, [hotel, flight]) == {
        "name": "New York", "start": "2025-07-01T10:00:00+02:00", "start_time_zone": "Europe/Paris",
        "end": "2025-07-03T11:00:00-04:00", "end_time_zone": "America/New_York",
        "reservations": [
            {"type": "flight", "status": "confirmed", "start": "2025-07-01T10:00:00+02:00",
             "start_time_zone": "Europe/Paris", "end": "2025-07-01T12:30:00-04:00",
             "end_time_zone": "America/New_York",
             "flight": {"airline": "AF", "number": "22", "from": "CDG", "to": "JFK", "arrival_terminal": "1"}},
            {"type": "hotel", "status": "confirmed", "start": "2025-07-01T15:00:00-04:00",
             "start_time_zone": "America/New_York", "end": "2025-07-03T11:00:00-04:00",
             "end_time_zone": "America/New_York", "hotel": {"name": "The Standard"}},
        ]}


SECRET = "SECRET"
secret_text = st.integers(0, 10**6).map(lambda n: f"{SECRET}-{n}")
# Values that are not text hide anything inside, even under a public field's name.
secret_structures = st.recursive(st.lists(secret_text, max_size=2) | st.dictionaries(st.text(max_size=6), secret_text,
                                                                                     max_size=2),
                                 lambda inner: st.lists(inner, max_size=2) | st.dictionaries(st.text(max_size=6),
                                                                                              inner, max_size=2),
                                 max_leaves=6)
secret_values = secret_text | secret_structures
public_or_hidden = st.integers(0, 10**6).map(lambda n: f"PUBLIC-{n}") | secret_structures
extra_names = st.lists(st.text(min_size=1, max_size=12), max_size=4)


@st.composite
def leaky(draw, public: tuple[str, ...], known: tuple[str, ...]) -> dict:
    """An object with a secret in every known field and in unknown ones, and public-or-hidden public fields."""
    record = {name: draw(secret_values) for name in (*known, *draw(extra_names))}
    record.update({name: draw(public_or_hidden) for name in public})
    return record


@st.composite
def leaky_reservation(draw, n: int) -> dict:
    kind = draw(st.sampled_from(TYPES))
    reservation = draw(leaky(PUBLIC_RESERVATION_FIELDS, tuple(TOP_FIELDS) + ("user_id", "price", "email")))
    reservation.update({"id": f"{n:032x}", "type": kind, "start": "2025-07-01T10:00:00+02:00"})
    reservation[kind] = draw(leaky(PUBLIC_DETAILS[kind], tuple(SUB_FIELDS[kind])))
    return reservation


def paths(value: object, prefix: str = "") -> set[str]:
    if isinstance(value, dict):
        return {p for key, inner in value.items() for p in paths(inner, f"{prefix}.{key}" if prefix else key)}
    if isinstance(value, list):
        return {p for inner in value for p in paths(inner, f"{prefix}[]")}
    return {prefix}


ALLOWED_PATHS = ({*PUBLIC_TRIP_FIELDS} | {f"reservations[].{name}" for name in PUBLIC_RESERVATION_FIELDS}
                 | {f"reservations[].{kind}.{name}" for kind, names in PUBLIC_DETAILS.items() for name in names})


@given(leaky(PUBLIC_TRIP_FIELDS, ("id", "owner_id", "owner_email", "shares", "links", "private", "user")),
       st.integers(0, 4).flatmap(lambda size: st.tuples(*(leaky_reservation(n) for n in range(size)))))
def test_nothing_but_the_named_fields_reaches_the_public_view(trip, reservations):
    view = public_view(trip, list(reservations))
    shown = json.dumps(view, ensure_ascii=False)
    assert SECRET not in shown
    assert all(r["id"] not in shown for r in reservations)
    assert paths(view) - {"reservations"} <= ALLOWED_PATHS
    assert len(view["reservations"]) == len(reservations)
    published = [value for value in trip.values() if isinstance(value, str) and value.startswith("PUBLIC-")]
    assert all(f'"{value}"' in shown for value in published)
