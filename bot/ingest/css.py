"""CSS declarations that decide whether text can be seen: lengths, font sizes, boxes.

Only what hiding depends on is read; everything else in a declaration block is dropped. A
value this module cannot read (``var(--x)``, ``calc()``) counts as not hiding: a page loses no
text to a guess. Colours are :mod:`bot.ingest.css_color`'s.
"""

from __future__ import annotations

import html as htmllib
import re
from collections.abc import Mapping
from functools import lru_cache

from bot.ingest.css_color import FAINT

# name -> (value, important); only the properties below are kept.
Declarations = dict[str, tuple[str, bool]]

RELEVANT = frozenset([
    "display", "visibility", "opacity", "font-size", "overflow", "overflow-x", "overflow-y",
    "width", "height", "max-width", "max-height", "clip", "clip-path", "position", "left", "top",
    "right", "bottom", "margin-left", "margin-top", "text-indent", "transform", "color",
    "background", "background-color", "background-image", "content-visibility", "font",
    "animation", "animation-name"])
# Positions far enough out that no screen shows them; a nudge of a few pixels is layout.
_FAR = {"": -500, "px": -500, "pt": -400, "em": -50, "rem": -50, "%": -100, "vw": -100}
_PX = {"": 1, "px": 1, "pt": 4 / 3, "pc": 16, "in": 96, "cm": 37.8, "mm": 3.78, "q": 0.945,
       "vw": 12.8, "vh": 8, "vmin": 8, "vmax": 12.8}  # vw/vh on a 1280x800 screen
_LENGTH = re.compile(r"([+-]?\d*\.?\d+(?:e[+-]?\d+)?)\s*([a-z%]*)")
_CSS_COMMENT = re.compile(r"/\*.*?(?:\*/|\Z)", re.S)
_FUNCTION = re.compile(r"([a-z-]+)\(([^()]*)\)")
_FONT_KEYWORDS = {"xx-small": 9, "x-small": 10, "small": 13, "medium": 16, "large": 18,
                  "x-large": 24, "xx-large": 32, "xxx-large": 48}
TINY_PX = 3.0  # text below 3 px is unreadable: no reader sees it


@lru_cache(maxsize=2048)  # pages repeat the same few inline styles
def parse_declarations(block: str) -> Declarations:
    """The relevant declarations of a style attribute or rule body, lower-cased; the last wins
    unless an earlier one is ``!important``. Entities are decoded (a style attribute's text)."""
    decls: Declarations = {}
    text = _CSS_COMMENT.sub("", htmllib.unescape(block) if "&" in block else block).lower()
    for part in text.split(";"):
        name, colon, value = part.partition(":")
        name = name.strip()
        if not colon or name not in RELEVANT:
            continue
        important = "!" in value and re.search(r"!\s*important\s*$", value) is not None
        value = re.sub(r"!\s*important\s*$", "", value).strip()
        if value and (important or not decls.get(name, ("", False))[1]):
            decls[name] = (value, important)
    return decls


def length(value: str | None) -> tuple[float, str] | None:
    """A CSS length as (number, unit), or None when it is not a plain length."""
    match = _LENGTH.fullmatch(value.strip()) if value else None
    return (float(match.group(1)), match.group(2)) if match else None


def font_px(value: str | None, parent_px: float) -> float:
    """The font size in pixels that ``value`` gives, from the parent's size."""
    if not value:
        return parent_px
    value = value.split("/")[0].strip()  # "font: 0/0 a" gives 0
    if value in _FONT_KEYWORDS:
        return _FONT_KEYWORDS[value]
    if value in ("smaller", "larger"):
        return parent_px * (0.83 if value == "smaller" else 1.2)
    size = length(value)
    if size is None:
        return parent_px  # inherit, calc(), var(): unknown, so as the parent
    number, unit = size
    if unit in ("em", "%", "ex", "ch"):
        factor = {"em": 1, "%": 0.01, "ex": 0.5, "ch": 0.5}[unit]
        return parent_px * number * factor
    if unit == "rem":
        return 16 * number
    return number * _PX[unit] if unit in _PX else parent_px


def font_size_value(decls: Mapping[str, str]) -> str | None:
    """The font size that a ``font-size`` or ``font`` declaration sets, if any."""
    if "font-size" in decls:
        return decls["font-size"]
    # "font: 0/0 a", "font: italic bold 12px/1.5 serif": the first size keyword or length with
    # a unit (a bare number is a weight, but a bare 0 is a size).
    for token in decls.get("font", "").replace(",", " ").split():
        head = token.split("/")[0]
        size = length(head)
        if head in _FONT_KEYWORDS or (size is not None and (size[1] or size[0] == 0)):
            return head
    return None


def _far(value: str | None) -> bool:
    size = length(value)
    return size is not None and size[0] <= _FAR.get(size[1], -1e9)


def _transform_hides(value: str) -> bool:
    for name, args in _FUNCTION.findall(value):
        numbers = [length(a.strip()) for a in args.split(",")]
        if name in ("scale", "scalex", "scaley", "scale3d") and any(
                n is not None and n[0] == 0 and not n[1] for n in numbers):
            return True
        if name.startswith("translate") and any(n and _far(f"{n[0]}{n[1]}") for n in numbers):
            return True
    return False


def _clip_hides(clip: str, clip_path: str) -> bool:
    rect = re.fullmatch(r"rect\(([^()]*)\)", clip)
    if rect:
        sides = [length(s) for s in re.split(r"[\s,]+", rect.group(1).strip())]
        if len(sides) == 4 and all(s is not None for s in sides):
            top, right, bottom, left = (s[0] for s in sides)  # type: ignore[index]
            if bottom <= top or right <= left:
                return True
    shape = _FUNCTION.match(clip_path)
    if shape and shape.group(1) == "inset":
        insets = [length(s) for s in shape.group(2).split("round")[0].split()]
        percents = [s[0] for s in insets if s and s[1] == "%"]
        if percents and len(percents) == len(insets) and min(percents) >= 50:
            return True
    if shape and shape.group(1) in ("circle", "ellipse"):
        radii = shape.group(2).split(" at ")[0].split()
        sizes = [length(r) for r in radii]
        if sizes and all(s is not None and s[0] <= 0 for s in sizes):
            return True
    return False


def box_reason(decls: Mapping[str, str]) -> tuple[str, str] | None:
    """Why ``decls`` hide their element and all it holds, and the property that decided; None
    when they do not. Inherited hiding (visibility, font size, colour) is decided by the caller,
    since a descendant can undo it."""
    get = decls.get
    if get("display") == "none":
        return "display:none", "display"
    if get("content-visibility") == "hidden":
        return "content-visibility:hidden", "content-visibility"
    # A fade-in or slide-in animation starts from nothing and shows the text by itself.
    animated = get("animation-name", get("animation", "none")) not in ("none", "")
    opacity = length(get("opacity"))
    if opacity and opacity[0] / (100 if opacity[1] == "%" else 1) < FAINT and not animated:
        return "opacity:0", "opacity"
    overflow = {get("overflow"), get("overflow-x"), get("overflow-y")} & {"hidden", "clip"}
    if overflow:
        for prop in ("width", "height", "max-width", "max-height"):
            box = length(get(prop))
            if box and box[0] <= 1 and box[1] in ("", "px", "em", "rem", "%", "pt"):
                return "zero-size box", prop
    if _clip_hides(get("clip", ""), get("clip-path", "")):
        return "clipped to nothing", "clip" if "clip" in decls else "clip-path"
    if _far(get("text-indent")):
        return "off-screen", "text-indent"
    if get("position") in ("absolute", "fixed", "relative"):
        for prop in ("left", "top", "right", "bottom", "margin-left", "margin-top"):
            if _far(get(prop)):
                return "off-screen", prop
    if _transform_hides(get("transform", "")) and not animated:
        return "off-screen" if "translate" in get("transform", "") else "scaled to nothing", \
            "transform"
    return None


def hides_alone(name: str, value: str) -> bool:
    """Whether one declaration can take part in hiding text (a rule that only applies on some
    screens or on interaction may reveal text, never hide it)."""
    if name in ("animation", "animation-name"):
        return False
    if name in ("color", "background", "background-color", "background-image", "position"):
        return name != "position" or value in ("absolute", "fixed", "relative")
    if name == "visibility":
        return value in ("hidden", "collapse")
    if name in ("font-size", "font"):
        size = font_size_value({name: value})
        return size is not None and font_px(size, 16) < TINY_PX
    if name.startswith("overflow"):
        return value in ("hidden", "clip")
    return box_reason({name: value, "overflow": "hidden", "position": "absolute"}) is not None
