"""The notification centre and the notification settings, rendered from hand-made data; the form's PUT body."""

from __future__ import annotations

from lxml import html
from multidict import MultiDict, MultiDictProxy

from domain.notify.locales import SUPPORTED as LANGUAGES
from domain.notify.prefs import CHANNELS, DEFAULTS, SEVERITIES
from web.accounts.settings_pages import LANGUAGE_NAMES
from web.notify.pages import preferences_from
from web.pages import environment

XSS = "<img src=x onerror=alert(1)>"
PROFILE = {"id": "u1", "locale": "en", "time_zone": "Europe/Berlin"}
BASE = {"csrf_token": "tok", "signed_in": True, "profile": PROFILE, "rendered_at": "2026-12-07T10:00:00+00:00"}


def render(template, language="en", **context):
    text = environment(language).get_template(template).render(**(BASE | context))
    return text, html.fromstring(text)


def notification(n, read=False, **extra):
    return {"id": f"00000000-0000-0000-0000-{n:012d}", "seq": n, "reservation_id": f"r{n}", "severity": "major",
            "title": f"LH 400 to JFK delayed {n}", "summary": "Now leaves 09:15 CET", "read": read,
            "created_at": "2026-12-07T08:00:00+00:00", **extra}


def centre(feed, language="en"):
    return render("notify/centre.html", language, path="/notifications", feed=feed)


def test_the_centre_lists_notifications_with_read_marks_and_the_unread_count():
    feed = {"items": [notification(2), notification(1, read=True)], "unread_count": 1, "next_cursor": "abc=="}
    _, doc = centre(feed)
    assert doc.xpath("normalize-space(//p[@class='unread-count'])") == "1 unread notification"
    items = doc.xpath("//ol[@class='notifications']/li")
    assert [li.get("class").split()[-1] for li in items] == ["unread", "severity-major"]
    assert items[0].xpath("form/@action") == ["/notifications/00000000-0000-0000-0000-000000000002/read"]
    assert items[1].xpath("form") == []                 # read: nothing to mark
    assert doc.xpath("//form[@action='/notifications/read-all']")
    assert doc.xpath("//a[contains(@href, 'cursor=')]/@href") == ["/notifications?cursor=abc%3D%3D"]
    assert items[0].xpath("string(.//time)") == "Mon, Dec 7, 9:00\u202fAM CET"


def test_with_nothing_unread_there_is_no_mark_all_button():
    _, doc = centre({"items": [notification(1, read=True)], "unread_count": 0, "next_cursor": None})
    assert not doc.xpath("//form[@action='/notifications/read-all']")
    assert doc.xpath("normalize-space(//p[@class='unread-count'])") == "0 unread notifications"


def test_notification_text_renders_as_text():
    text, doc = centre({"items": [notification(1, title=XSS, summary=XSS)], "unread_count": 1, "next_cursor": None})
    assert "<img" not in text and not doc.xpath("//img")
    assert doc.xpath("string(//li//h2)").endswith(XSS)


def settings_page(prefs=DEFAULTS, devices=(), errors=None, message=None):
    return render("notify/settings.html", path="/settings/notifications", prefs=prefs, devices=list(devices),
                  errors=errors or {}, message=message, saved=False, channels=CHANNELS, severities=SEVERITIES,
                  languages=LANGUAGES, language_names=LANGUAGE_NAMES, quiet_on=prefs["quiet_hours"] is not None)


def test_the_preferences_show_every_channel_and_severity_as_labelled_boxes():
    _, doc = settings_page()
    boxes = doc.xpath("//table[@class='prefs']//input[@type='checkbox']")
    assert len(boxes) == len(CHANNELS) * len(SEVERITIES)
    ticked = {b.get("name") for b in boxes if b.get("checked") is not None}
    assert ticked == {f"{c}.{s}" for c in CHANNELS for s in SEVERITIES if DEFAULTS["channels"][c][s]}
    for box in boxes:   # named by its row and column headers
        assert all(doc.xpath(f"//th[@id='{ref}']") for ref in box.get("aria-labelledby").split())
    assert doc.xpath("//input[@id='f-quiet_start']/@value") == ["22:00"]
    assert doc.xpath("//input[@id='f-quiet']/@checked")


def test_devices_are_listed_with_a_remove_form_and_the_push_button_waits_for_script():
    devices = [{"id": "d1" * 16, "kind": "webpush", "name": XSS, "created_at": "2026-12-01T08:00:00+00:00"},
               {"id": "d2" * 16, "kind": "fcm", "name": None, "created_at": "2026-12-02T08:00:00+00:00"}]
    text, doc = settings_page(devices=devices)
    assert "<img" not in text
    assert doc.xpath("//ul[@class='rows']/li/form/@action") == [f"/settings/devices/{'d1' * 16}/delete",
                                                                f"/settings/devices/{'d2' * 16}/delete"]
    assert doc.xpath("string(//ul[@class='rows']/li[2]//strong)") == "Android app"
    button = doc.xpath("//button[@data-push-subscribe]")[0]
    assert button.get("hidden") is not None and button.get("type") == "button"
    assert button.text_content() == "Enable notifications in this browser"


def test_a_refused_quiet_hour_is_told_next_to_it():
    prefs = {**DEFAULTS, "quiet_hours": {"start": "25:00", "end": "07:00"}}
    _, doc = settings_page(prefs, errors={"start": "must be a 24-hour time HH:MM"}, message="Invalid fields.")
    assert doc.xpath("//p[@id='e-quiet_start']/text()") == ["must be a 24-hour time HH:MM"]
    assert doc.xpath("//input[@id='f-quiet_start']/@value") == ["25:00"]


def test_the_form_stands_for_every_box_and_quiet_hours():
    form = MultiDictProxy(MultiDict([("web.critical", "on"), ("email.major", "on"), ("quiet", "on"),
                                     ("quiet_start", "23:00"), ("quiet_end", "06:30"), ("locale", "")]))
    body = preferences_from(form)
    assert body["channels"]["web"] == {"critical": True, "major": False, "info": False}
    assert body["channels"]["email"] == {"critical": False, "major": True, "info": False}
    assert body["channels"]["webpush"] == {"critical": False, "major": False, "info": False}
    assert body["quiet_hours"] == {"start": "23:00", "end": "06:30"}
    assert body["locale"] is None


def test_without_the_quiet_box_there_are_no_quiet_hours():
    body = preferences_from(MultiDictProxy(MultiDict([("quiet_start", "23:00"), ("locale", "pt")])))
    assert body["quiet_hours"] is None and body["locale"] == "pt"
