"""The attempt-limit policy: rates, GCRA's rule, the counters an attempt touches, client addresses."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.accounts.limits import Counter, Rate, client_key, counters, gcra, retry_after

RATES = {"login_account_client": Rate(5, 60), "login_account": Rate(20, 60), "login_client": Rate(50, 10),
         "signup_client": Rate(10, 360)}


def test_a_rate_is_written_burst_slash_seconds():
    assert Rate.parse("5/60") == Rate(5, 60.0) and str(Rate(5, 60.0)) == "5/60" and str(Rate(3, 0.5)) == "3/0.5"
    for bad in ("5", "five/60", "0/60", "5/0", "5/-1"):
        with pytest.raises(ValueError):
            Rate.parse(bad)


def test_five_failures_then_one_a_minute_and_all_back_after_five_idle_minutes():
    rate, tat, now = Rate(5, 60), None, 1000.0
    for _ in range(5):
        tat, wait = gcra(tat, now, rate)
        assert wait == 0
    held, wait = gcra(tat, now, rate)
    assert held == tat and wait == 60             # refused: the refusal itself is not counted
    tat, wait = gcra(tat, now + 60, rate)
    assert wait == 0                               # one more a minute later
    assert gcra(tat, now + 60, rate)[1] == 60
    for _ in range(5):                             # idle long enough, the whole burst is back
        tat, wait = gcra(tat, now + 60 + 360, rate)
        assert wait == 0


@given(st.lists(st.floats(min_value=0, max_value=10_000), min_size=1, max_size=60),
       st.integers(min_value=1, max_value=10), st.floats(min_value=0.1, max_value=600))
def test_never_more_than_the_burst_plus_the_refill_in_any_window(offsets, burst, every_s):
    rate, tat, admitted = Rate(burst, every_s), None, []
    for now in sorted(offsets):
        tat, wait = gcra(tat, now, rate)
        if wait == 0:
            admitted.append(now)
        else:
            assert 0 < wait <= every_s + 1e-6   # never longer than one interval
    first, last = admitted[0], admitted[-1]
    assert len(admitted) <= burst + (last - first) / every_s + 1e-6


def test_an_ipv6_client_is_its_slash_64_and_nonsense_is_one_unknown_client():
    assert client_key("2001:db8:1:2:aaaa::1") == client_key("2001:db8:1:2:ffff::9") == "2001:db8:1:2::/64"
    assert client_key("2001:db8:1:3::1") != client_key("2001:db8:1:2::1")
    assert client_key("::ffff:192.0.2.7") == "192.0.2.7" and client_key(" 192.0.2.7 ") == "192.0.2.7"
    assert client_key(None) == client_key("not an address") == "unknown"


def test_a_login_counts_per_account_and_address_per_account_and_per_address():
    assert counters("login", "ann@example.com", "192.0.2.7", RATES) == [
        Counter("login:account_client:ann@example.com|192.0.2.7", Rate(5, 60)),
        Counter("login:account:ann@example.com", Rate(20, 60)),
        Counter("login:client:192.0.2.7", Rate(50, 10))]
    # Only the scopes a rate is configured for; a sign-up here has only a per-address one.
    assert counters("signup", "ann@example.com", "192.0.2.7", RATES) == [
        Counter("signup:client:192.0.2.7", Rate(10, 360))]
    assert [c.key for c in counters("login", None, "192.0.2.7", RATES)] == ["login:client:192.0.2.7"]


def test_retry_after_is_whole_seconds_and_never_zero():
    assert (retry_after(0.01), retry_after(1.0), retry_after(59.2)) == (1, 1, 60)
