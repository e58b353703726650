"""Share-intent URLs: the documented format of each network, and values that survive any title."""

from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.trips.intents import NETWORKS, share_intents

URL = "https://roadwarrior.example/t/abc-DEF_123"


def test_each_network_gets_its_documented_format():
    assert share_intents(URL, "Tokyo trip") == {
        "x": "https://x.com/intent/tweet?text=Tokyo%20trip&url=https%3A%2F%2Froadwarrior.example%2Ft%2Fabc-DEF_123",
        "facebook": "https://www.facebook.com/sharer/sharer.php?u=https%3A%2F%2Froadwarrior.example%2Ft%2Fabc-DEF_123",
        "linkedin": ("https://www.linkedin.com/sharing/share-offsite/"
                     "?url=https%3A%2F%2Froadwarrior.example%2Ft%2Fabc-DEF_123"),
        "whatsapp": "https://wa.me/?text=Tokyo%20trip%20https%3A%2F%2Froadwarrior.example%2Ft%2Fabc-DEF_123",
        "telegram": "https://t.me/share/url?url=https%3A%2F%2Froadwarrior.example%2Ft%2Fabc-DEF_123&text=Tokyo%20trip",
        "email": ("mailto:?subject=Tokyo%20trip"
                  "&body=Tokyo%20trip%0D%0Ahttps%3A%2F%2Froadwarrior.example%2Ft%2Fabc-DEF_123"),
    }
    assert tuple(share_intents(URL, "x")) == NETWORKS


def params(intent: str) -> dict[str, str]:
    query = parse_qs(urlsplit(intent).query, keep_blank_values=True)
    assert all(len(values) == 1 for values in query.values())
    return {name: values[0] for name, values in query.items()}


@given(st.text(min_size=1, max_size=60))
def test_any_title_comes_back_whole_and_adds_no_parameter(title):
    intents = share_intents(URL + "?lang=ja#top", title)
    expected = {
        "x": {"text": title, "url": URL + "?lang=ja#top"},
        "facebook": {"u": URL + "?lang=ja#top"},
        "linkedin": {"url": URL + "?lang=ja#top"},
        "whatsapp": {"text": f"{title} {URL}?lang=ja#top"},
        "telegram": {"url": URL + "?lang=ja#top", "text": title},
        "email": {"subject": title, "body": f"{title}\r\n{URL}?lang=ja#top"},
    }
    for network, intent in intents.items():
        assert "#" not in intent and " " not in intent and "+" not in intent
        query = urlsplit(intent).query
        decoded = {name: unquote(value) for name, value in (pair.split("=", 1) for pair in query.split("&"))}
        assert decoded == expected[network], network


def test_a_japanese_title_is_utf8_percent_encoded():
    assert params(share_intents(URL, "東京 & 京都")["x"])["text"] == "東京 & 京都"
    assert "text=%E6%9D%B1%E4%BA%AC%20%26%20%E4%BA%AC%E9%83%BD" in share_intents(URL, "東京 & 京都")["x"]


@pytest.mark.parametrize("url", ["/t/abc", "javascript:alert(1)", "ftp://example.com/t", "https:///t", ""])
def test_only_an_absolute_web_url_is_shared(url):
    with pytest.raises(ValueError):
        share_intents(url, "Trip")
