"""Share-intent URLs: a trip's public link opened in the composer of each network, or in a new e-mail.

The formats are the ones each network documents for links without its SDK or an app ID (Facebook's
documented share dialog needs an app ID we don't have, so its long-standing sharer endpoint is used).
Every value is percent-encoded in full (space as %20, never +: a mailto body is not a form), so a title
with ``&``, ``#`` or ``?`` cannot end a parameter early or add one.
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit

NETWORKS = ("x", "facebook", "linkedin", "whatsapp", "telegram", "email")


def share_intents(url: str, title: str) -> dict[str, str]:
    """The intent URL of every network in NETWORKS for the public page at ``url`` titled ``title``.

    ``url`` must be absolute (http or https): the networks fetch it for its preview. Facebook and LinkedIn
    take only the URL and read the title from the page's Open Graph tags; WhatsApp has one text field, so
    the title and the URL go together in it.
    """
    link, text = _encoded(web_url(url)), _encoded(title)
    return {
        "x": f"https://x.com/intent/tweet?text={text}&url={link}",
        "facebook": f"https://www.facebook.com/sharer/sharer.php?u={link}",
        "linkedin": f"https://www.linkedin.com/sharing/share-offsite/?url={link}",
        "whatsapp": f"https://wa.me/?text={_encoded(f'{title} {url}')}",
        "telegram": f"https://t.me/share/url?url={link}&text={text}",
        # RFC 6068: no recipient (the sender picks one), and line breaks in a body are CRLF.
        "email": f"mailto:?subject={text}&body={_encoded(title + chr(13) + chr(10) + url)}",
    }


def web_url(url: str) -> str:
    """``url`` itself if it is absolute http(s), as a link fetched by someone else's server must be, else ValueError."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"not an absolute http(s) URL: {url!r}")
    return url


def _encoded(value: str) -> str:
    """Every character but the unreserved ones percent-encoded as UTF-8, like JavaScript's encodeURIComponent."""
    return quote(value, safe="")
