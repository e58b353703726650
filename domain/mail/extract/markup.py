"""schema.org items out of HTML (JSON-LD scripts and microdata, read with extruct) and out of bare JSON-LD."""

from __future__ import annotations

import json

import extruct
import lxml.etree
from extruct.jsonld import JsonLdExtractor
from extruct.utils import parse_html

MAX_JSONLD_CHARS = 1_000_000  # one script; real reservation markup is a few kB
MAX_ITEMS = 200  # items kept from one HTML part
# libxml2 silently drops what lies deeper than 256 levels; past this depth we say so in ``skipped``.
MAX_HTML_DEPTH = 250
JSONLD_TYPES = ("application/ld+json", "application/json+ld")
# extruct reads nested items recursively; a RecursionError inside it can leave one of its class-level lxml
# XPath objects locked, and the next mail then hangs. So deeply nested microdata is never handed to it.
MAX_ITEMSCOPE_DEPTH = 16


def html_items(html: str) -> tuple[list, list[str]]:
    """The schema.org items of an HTML document and the reasons parts of it were dropped."""
    reasons: list[str] = []
    try:
        tree = parse_html(html.encode("utf-8", "replace"), "utf-8")
    except (lxml.etree.LxmlError, ValueError) as exc:
        return [], [f"HTML part could not be parsed: {exc}"]
    if _depth(tree) >= MAX_HTML_DEPTH:
        reasons.append(f"HTML nested more than {MAX_HTML_DEPTH} levels deep: deeper content was dropped")
    items = _jsonld_items(tree, reasons) + _microdata_items(tree, reasons)
    if len(items) > MAX_ITEMS:
        reasons.append(f"HTML part has {len(items)} markup items: only the first {MAX_ITEMS} were read")
    return items[:MAX_ITEMS], reasons


def jsonld_items(content: str) -> tuple[list, list[str]]:
    """The items of a bare JSON-LD document (an application/ld+json part or file)."""
    if len(content) > MAX_JSONLD_CHARS:
        return [], [f"JSON-LD of {len(content)} characters is over the {MAX_JSONLD_CHARS} limit"]
    try:
        data = json.loads(content, strict=False)
    except (ValueError, RecursionError) as exc:
        return [], [f"invalid JSON-LD: {_short(exc)}"]
    items = data if isinstance(data, list) else [data]
    return [i for i in items if isinstance(i, dict)][:MAX_ITEMS], []


def _jsonld_items(tree: lxml.etree._Element, reasons: list[str]) -> list:
    # Script by script, so one broken or truncated block does not hide the others.
    items: list = []
    scripts = [s for s in tree.iter("script") if (s.get("type") or "").strip().lower() in JSONLD_TYPES]
    for number, script in enumerate(scripts, 1):
        size = len(script.text or "")
        if size > MAX_JSONLD_CHARS:
            reasons.append(f"JSON-LD script {number} has {size} characters, over the {MAX_JSONLD_CHARS} limit")
            continue
        try:
            items.extend(JsonLdExtractor().extract_items(script))
        except Exception as exc:  # noqa: BLE001 - json, jstyleson and recursion errors alike mean bad markup
            reasons.append(f"invalid JSON-LD in script {number}: {_short(exc)}")
    return items


def _microdata_items(tree: lxml.etree._Element, reasons: list[str]) -> list:
    if tree.find(".//*[@itemscope]") is None:
        return []
    if _itemscope_depth(tree) > MAX_ITEMSCOPE_DEPTH:
        reasons.append(f"microdata items nested more than {MAX_ITEMSCOPE_DEPTH} deep were not read")
        return []
    try:
        return extruct.extract(tree, syntaxes=["microdata"], uniform=True)["microdata"]
    except Exception as exc:  # noqa: BLE001 - whatever extruct trips over is bad markup, not our failure
        reasons.append(f"microdata could not be read: {_short(exc)}")
        return []


def _itemscope_depth(tree: lxml.etree._Element) -> int:
    depth = deepest = 0
    for event, element in lxml.etree.iterwalk(tree, events=("start", "end")):
        if element.get("itemscope") is not None:
            depth += 1 if event == "start" else -1
            deepest = max(deepest, depth)
    return deepest


def _depth(tree: lxml.etree._Element) -> int:
    depth = deepest = 0
    for event, _ in lxml.etree.iterwalk(tree, events=("start", "end")):
        depth += 1 if event == "start" else -1
        deepest = max(deepest, depth)
    return deepest


def _short(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {str(exc)[:120]}"
