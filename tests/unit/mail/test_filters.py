"""Sender filters: normalization, validation for the API, and which senders' mail is read."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.common.errors import ValidationError
from domain.mail.filters import (
    DEFAULT_FILTERS,
    DEFAULT_WHITELIST,
    MAX_ENTRIES,
    allow_entries,
    allowed,
    normalize_entry,
    sender_address,
    validate,
)


@pytest.mark.parametrize(("entry", "normal"), [
    ("Lufthansa.COM", "lufthansa.com"),
    ("  @united.com ", "united.com"),
    ("*.hilton.com", "hilton.com"),
    ("booking@Lufthansa.com.", "booking@lufthansa.com"),
    ("reservas@aerolíneas.example", "reservas@xn--aerolneas-k5a.example"),
    ("no-reply+trip@mail.expedia.com", "no-reply+trip@mail.expedia.com"),
])
def test_entries_are_normalized(entry, normal):
    assert normalize_entry(entry) == normal


@pytest.mark.parametrize("entry", ["localhost", "united", "1.2.3.4", "a b.com", "x@@y.com", "-bad.com", "bad-.com",
                                   "träveller@x.com", "@", "", "a" * 64 + ".com", "x<y>@z.com", "united.com/path"])
def test_malformed_entries_are_rejected(entry):
    assert normalize_entry(entry) is None


def test_the_defaults_are_about_sixty_real_travel_domains_in_normal_form():
    assert 55 <= len(DEFAULT_WHITELIST) <= 80 and len(set(DEFAULT_WHITELIST)) == len(DEFAULT_WHITELIST)
    assert all(normalize_entry(domain) == domain and "@" not in domain for domain in DEFAULT_WHITELIST)
    assert {"lufthansa.com", "united.com", "marriott.com", "hertz.com", "booking.com", "tripit.com"} <= set(
        DEFAULT_WHITELIST)


def test_validate_normalizes_dedupes_and_fills_defaults():
    assert validate({"allow": ["United.com", "united.com", "trips@Corp.example"]}) == {
        "allow": ["united.com", "trips@corp.example"], "block": [], "use_defaults": True}
    assert validate({}) == DEFAULT_FILTERS


def test_validate_reports_every_bad_field_at_once():
    with pytest.raises(ValidationError) as raised:
        validate({"allow": ["ok.com", "nope", 7], "block": "x.com", "use_defaults": "yes", "colour": "red"})
    assert raised.value.errors == [
        {"field": "colour", "message": "unknown field"},
        {"field": "use_defaults", "message": "must be true or false"},
        {"field": "allow[1]", "message": "must be an e-mail address or a domain"},
        {"field": "allow[2]", "message": "must be an e-mail address or a domain"},
        {"field": "block", "message": "must be a list"},
    ]


def test_validate_refuses_non_objects_too_many_entries_and_contradictions():
    with pytest.raises(ValidationError):
        validate(["united.com"])
    with pytest.raises(ValidationError) as raised:
        validate({"allow": [f"d{n}.com" for n in range(MAX_ENTRIES + 1)]})
    assert raised.value.errors == [{"field": "allow", "message": f"at most {MAX_ENTRIES} entries"}]
    with pytest.raises(ValidationError) as raised:
        validate({"allow": ["united.com"], "block": ["UNITED.com"]})
    assert raised.value.errors == [{"field": "block", "message": "united.com is also in allow"}]


FILTERS = validate({"allow": ["trips@corp.example", "news.corp.example"], "block": ["marketing.hilton.com",
                                                                                    "spam@united.com", "corp.example"]})


@pytest.mark.parametrize(("sender", "expected"), [
    ("Lufthansa <booking@lufthansa.com>", True),  # a default
    ("noreply@mail.united.com", True),  # subdomains of a default
    ("UNITED <Receipts@United.COM>", True),
    ("deals@notlufthansa.com", False),  # a lookalike is not a subdomain
    ("x@lufthansa.com.evil.test", False),
    ("friend@example.org", False),
    ("offers@marketing.hilton.com", False),  # blocked subdomain of an allowed domain
    ("offers@eu.marketing.hilton.com", False),
    ("stays@hilton.com", True),
    ("spam@united.com", False),  # a blocked address beats its allowed domain
    ("trips@corp.example", True),  # an allowed address beats its blocked domain
    ("other@corp.example", False),
    ("digest@news.corp.example", True),  # the more specific domain decides
    ("a@united.com, b@united.com", False),  # one From, one sender
    ("undisclosed-recipients:;", False),
    ("", False),
])
def test_allowed(sender, expected):
    assert allowed(sender, FILTERS) is expected


def test_without_defaults_only_the_users_list_counts():
    filters = validate({"allow": ["united.com"], "use_defaults": False})
    assert allowed("a@united.com", filters) and not allowed("a@lufthansa.com", filters)
    assert allow_entries(filters) == ["united.com"]
    assert allow_entries(FILTERS)[:2] == ["trips@corp.example", "news.corp.example"]
    assert len(allow_entries(FILTERS)) == 2 + len(DEFAULT_WHITELIST)


def test_sender_address_reads_display_names_and_refuses_garbage():
    assert sender_address('"Delta, Air Lines" <DeltaAirLines@e.delta.com>') == "deltaairlines@e.delta.com"
    assert sender_address("no address here") is None


@given(st.text(max_size=80))
def test_any_header_gets_an_answer_and_normal_forms_are_fixed_points(text):
    assert allowed(text, FILTERS) in (True, False)
    normal = normalize_entry(text)
    assert normal is None or normalize_entry(normal) == normal
