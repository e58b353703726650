"""Text on the app's PNG cards (a shared trip's, a traveller's year): Debian's fonts, CJK-safe, cut to fit."""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

# Debian's fonts (Makefile's APT_PACKAGES): DejaVu for Latin, Greek and Cyrillic; Droid Sans Fallback
# (7 MB, against 91 MB for Noto CJK) for the Japanese, Chinese and Korean a trip's name may be in.
FONTS = Path("/usr/share/fonts/truetype")
LATIN, LATIN_BOLD = FONTS / "dejavu/DejaVuSans.ttf", FONTS / "dejavu/DejaVuSans-Bold.ttf"
CJK = FONTS / "droid/DroidSansFallbackFull.ttf"
CARD_SIZE = (1200, 630)   # what Open Graph and Twitter's large card show uncropped
BACKGROUND, INK, MUTED, ACCENT = (16, 42, 84), (255, 255, 255), (176, 196, 230), (255, 196, 61)
ELLIPSIS = "…"


def blank() -> tuple[Image.Image, ImageDraw.ImageDraw]:
    """An empty card in the app's colours, and its pen."""
    image = Image.new("RGB", CARD_SIZE, BACKGROUND)
    return image, ImageDraw.Draw(image)


def png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")  # no timestamp or other metadata: deterministic
    return buffer.getvalue()


def fit(text: str, width: int, size: int, *, bold: bool = False) -> str:
    """``text`` if it fits in ``width`` pixels at ``size``, else its longest beginning that fits with an ellipsis."""
    if text_width(text, size, bold) <= width:
        return text
    low, high = 0, len(text)
    while low < high:  # the longest prefix that fits with the ellipsis
        middle = (low + high + 1) // 2
        if text_width(text[:middle].rstrip() + ELLIPSIS, size, bold) <= width:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + ELLIPSIS


def draw_text(draw: ImageDraw.ImageDraw, at: tuple[float, float], text: str, size: int, fill: tuple, *,
              bold: bool = False) -> None:
    """``text`` from ``at`` (its left end on the baseline), each script in a font that has it."""
    x, baseline = at
    for run in _runs(text):
        font = _font(run, size, bold)
        draw.text((x, baseline), run, font=font, fill=fill, anchor="ls")
        x += font.getlength(run)


def text_width(text: str, size: int, bold: bool = False) -> float:
    return sum(_font(run, size, bold).getlength(run) for run in _runs(text))


def _runs(text: str) -> list[str]:
    """``text`` cut where it changes between CJK and other scripts: the CJK font has no Latin digits, and
    DejaVu no kanji, so "7月1日(火)" takes both."""
    runs: list[str] = []
    for char in text:
        if runs and _is_cjk(runs[-1][-1]) == _is_cjk(char):
            runs[-1] += char
        else:
            runs.append(char)
    return runs


def _font(run: str, size: int, bold: bool) -> ImageFont.FreeTypeFont:
    return _load(CJK if _is_cjk(run[:1]) else LATIN_BOLD if bold else LATIN, size)


@lru_cache(maxsize=32)
def _load(path: Path, size: int) -> ImageFont.FreeTypeFont:
    try:
        return ImageFont.truetype(str(path), size)
    except OSError as exc:
        raise OSError(f"font {path} missing: install fonts-dejavu-core and fonts-droid-fallback") from exc


def _is_cjk(char: str) -> bool:
    """Whether ``char`` is CJK punctuation, kana, an ideograph, Hangul or a fullwidth form."""
    code = ord(char)
    return 0x2E80 <= code <= 0x9FFF or 0xAC00 <= code <= 0xD7AF or 0xF900 <= code <= 0xFAFF or 0xFF00 <= code <= 0xFFEF
