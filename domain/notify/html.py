"""The HTML body of a notification e-mail: plain markup with inline styles, every value escaped."""

from __future__ import annotations

from html import escape

PAGE = """<!DOCTYPE html>
<html lang="{lang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>{title}</title></head>
<body style="margin:0;padding:24px;font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;color:#1a1a1a">
<h1 style="font-size:20px;margin:0 0 16px">{title}</h1>
{sentences}
<table role="presentation" style="border-collapse:collapse;margin:16px 0">
{details}
</table>
<p style="font-size:12px;color:#666">{footer}</p>
</body>
</html>
"""
SENTENCE = '<p style="font-size:16px;margin:0 0 8px">{}</p>'
DETAIL = ('<tr><th scope="row" style="text-align:start;padding:2px 16px 2px 0;color:#666;font-weight:normal">{}</th>'
          '<td style="padding:2px 0">{}</td></tr>')


def html_body(lang: str, title: str, sentences: list[str], details: list[tuple[str, str]], footer: str) -> str:
    """The e-mail's HTML; ``lang`` is a BCP 47 tag so mail clients pick the right fonts (ja, for one)."""
    return PAGE.format(
        lang=escape(lang),
        title=escape(title),
        sentences="\n".join(SENTENCE.format(escape(s)) for s in sentences),
        details="\n".join(DETAIL.format(escape(label), escape(value)) for label, value in details),
        footer=escape(footer),
    )
