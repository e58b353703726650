"""The mailbox settings page, rendered from hand-made data, and the form-to-API mapping."""

from __future__ import annotations

from lxml import html
from multidict import MultiDict

from domain.mail.filters import DEFAULT_WHITELIST
from web.mail.pages import connect_body, filter_errors, filters_body
from web.pages import Answer, environment

XSS = "<img src=x onerror=alert(1)>"
BASE = {"csrf_token": "tok", "signed_in": True, "profile": {"time_zone": "UTC"}, "path": "/settings/mailboxes",
        "rendered_at": "2026-12-07T10:00:00+00:00"}


def page(**context):
    defaults = {"saved": False, "mailboxes": [], "connect_errors": {}, "connect_message": None,
                "values": {"provider": "imap", "port": "993"},
                "filters": {"allow": [], "block": [], "use_defaults": True},
                "default_senders": list(DEFAULT_WHITELIST), "filter_errors": {}, "filter_message": None}
    text = environment("en").get_template("mail/mailboxes.html").render(**(BASE | defaults | context))
    return text, html.fromstring(text)


def mailbox(n, **extra):
    return {"id": f"{n:032x}", "provider": "imap", "account": f"ann{n}@example.com", "host": "imap.example.com",
            "port": 993, "status": "connected", "reservations_found": 2, **extra}


def test_mailboxes_are_listed_with_status_and_a_disconnect_form():
    _, doc = page(mailboxes=[mailbox(1), mailbox(2, provider="gmail", status="error: the token was revoked")])
    rows = doc.xpath("//ul[@class='rows']/li")
    assert "Connected" in rows[0].text_content() and "2 reservations found" in rows[0].text_content()
    assert "Error: the token was revoked" in rows[1].text_content()
    assert rows[1].xpath("form/@action") == [f"/settings/mailboxes/{2:032x}/remove"]
    assert rows[1].xpath("form/@data-confirm")


def test_gmail_and_outlook_connect_by_the_provider_s_consent_imap_by_form():
    _, doc = page()
    oauth = doc.xpath("//div[@class='oauth-connect']/form")
    assert [f.xpath("string(input[@name='provider']/@value)") for f in oauth] == ["gmail", "outlook"]
    imap = doc.xpath("//form[.//input[@name='app_password']]")[0]
    for name in ("username", "app_password", "host", "port"):
        assert imap.xpath(f".//label[@for='f-{name}']"), name
    assert imap.xpath(".//input[@name='app_password']/@type") == ["password"]


def test_filters_show_one_entry_a_line_and_the_api_s_message():
    _, doc = page(filters={"allow": ["corp.example", "trips@me.example"], "block": [], "use_defaults": False},
                  filter_errors={"block": "x: must be an e-mail address or a domain"})
    assert doc.xpath("//textarea[@id='f-allow']/text()") == ["corp.example\ntrips@me.example"]
    assert doc.xpath("//input[@id='f-use_defaults']/@checked") == []
    assert doc.xpath("//p[@id='e-block']/text()") == ["x: must be an e-mail address or a domain"]


def test_mailbox_text_renders_as_text():
    text, doc = page(mailboxes=[mailbox(1, account=XSS, status=f"error: {XSS}")], connect_message=XSS,
                     values={"provider": "imap", "username": XSS, "host": XSS, "port": "993"})
    assert "<img" not in text and not doc.xpath("//img")
    assert doc.xpath("//input[@id='f-username']/@value") == [XSS]


def test_the_consent_page_links_to_the_provider():
    text = environment("en").get_template("mail/consent.html").render(**BASE, consent={
        "provider": "gmail", "authorization_url": "https://accounts.example/auth?x=1&state=s", "expires_in": 600})
    doc = html.fromstring(text)
    assert doc.xpath("//a[@class='button primary']/@href") == ["https://accounts.example/auth?x=1&state=s"]
    assert doc.xpath("string(//h1)") == "Connect Gmail"
    assert "10 minutes" in text


def test_connect_bodies_by_provider():
    assert connect_body(MultiDict(provider="gmail", username="ignored")) == {"provider": "gmail"}
    assert connect_body(MultiDict(provider="imap", username=" ann ", app_password="pw", host="imap.x.org",
                                  port="143")) == {"provider": "imap", "username": "ann", "app_password": "pw",
                                                   "host": "imap.x.org", "port": 143}
    assert connect_body(MultiDict(provider="imap", username="a", app_password="p", host="h", port="x"))["port"] == "x"
    assert "host" not in connect_body(MultiDict(provider="icloud", username="a", app_password="p", host="h"))


def test_filters_body_and_errors_name_the_entry():
    body = filters_body(MultiDict(allow="corp.example\r\n trips@me.example, ", block="bad entry!"))
    assert body == {"allow": ["corp.example", "trips@me.example"], "block": ["bad", "entry!"], "use_defaults": False}
    answer = Answer(422, {"errors": [{"field": "block[1]", "message": "must be an e-mail address or a domain"},
                                     {"field": "use_defaults", "message": "must be true or false"}]})
    assert filter_errors(answer, body) == {"block": "entry!: must be an e-mail address or a domain",
                                           "use_defaults": "must be true or false"}
