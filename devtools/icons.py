"""`python -m devtools.icons`: draws the app's icons (web/static/icons/) — our own art, kept in git."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

OUT = Path(__file__).resolve().parents[1] / "web" / "static" / "icons"
BRAND, INK = (11, 79, 108), (255, 255, 255)
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"


def icon(size: int, maskable: bool) -> Image.Image:
    """A white "RW" on the brand colour; maskable icons keep the mark inside the 80% safe zone."""
    image = Image.new("RGB", (size, size), BRAND)
    draw = ImageDraw.Draw(image)
    scale = 0.34 if maskable else 0.42
    font = ImageFont.truetype(FONT, int(size * scale))
    draw.text((size / 2, size / 2), "RW", font=font, fill=INK, anchor="mm")
    return image


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for size in (192, 512):
        icon(size, False).save(OUT / f"icon-{size}.png", optimize=True)
        icon(size, True).save(OUT / f"maskable-{size}.png", optimize=True)


if __name__ == "__main__":
    main()
