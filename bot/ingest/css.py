"""CSS values that decide whether text can be seen: declarations, lengths, colours, boxes.

Only what hiding depends on is read; everything else in a declaration block is dropped. A
value this module cannot read (``var(--x)``, ``calc()``) counts as not hiding: a page loses no
text to a guess. Used by :mod:`bot.ingest.stylesheet` and :mod:`bot.ingest.hidden_html`.
"""

from __future__ import annotations

import colorsys
import html as htmllib
import re
from collections.abc import Mapping
from functools import lru_cache

# name -> (value, important); only the properties below are kept.
Declarations = dict[str, tuple[str, bool]]
Color = tuple[float, float, float, float]  # r, g, b in 0..255, alpha in 0..1

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
_HEX = re.compile(r"#([0-9a-f]{3,8})\b")
_IMAGE = re.compile(r"(?:url|[a-z-]*gradient|image-set|image|cross-fade|element)\(")
_FONT_KEYWORDS = {"xx-small": 9, "x-small": 10, "small": 13, "medium": 16, "large": 18,
                  "x-large": 24, "xx-large": 32, "xxx-large": 48}
TINY_PX = 3.0  # text below 3 px is unreadable: no reader sees it
FAINT = 0.1  # opacity or colour alpha below this: invisible
# Colour contrast (WCAG ratio) under which text does not stand out from its background:
# #f5f5f5 on white is 1.09; #eeeeee on white, pale but legible, is 1.16.
INVISIBLE_CONTRAST = 1.1

# The CSS named colours, as "name:hex" pairs.
_NAMES = (
    "aliceblue:f0f8ff antiquewhite:faebd7 aqua:00ffff aquamarine:7fffd4 azure:f0ffff "
    "beige:f5f5dc bisque:ffe4c4 black:000000 blanchedalmond:ffebcd blue:0000ff "
    "blueviolet:8a2be2 brown:a52a2a burlywood:deb887 cadetblue:5f9ea0 chartreuse:7fff00 "
    "chocolate:d2691e coral:ff7f50 cornflowerblue:6495ed cornsilk:fff8dc crimson:dc143c "
    "cyan:00ffff darkblue:00008b darkcyan:008b8b darkgoldenrod:b8860b darkgray:a9a9a9 "
    "darkgreen:006400 darkgrey:a9a9a9 darkkhaki:bdb76b darkmagenta:8b008b "
    "darkolivegreen:556b2f darkorange:ff8c00 darkorchid:9932cc darkred:8b0000 "
    "darksalmon:e9967a darkseagreen:8fbc8f darkslateblue:483d8b darkslategray:2f4f4f "
    "darkslategrey:2f4f4f darkturquoise:00ced1 darkviolet:9400d3 deeppink:ff1493 "
    "deepskyblue:00bfff dimgray:696969 dimgrey:696969 dodgerblue:1e90ff firebrick:b22222 "
    "floralwhite:fffaf0 forestgreen:228b22 fuchsia:ff00ff gainsboro:dcdcdc ghostwhite:f8f8ff "
    "gold:ffd700 goldenrod:daa520 gray:808080 green:008000 greenyellow:adff2f grey:808080 "
    "honeydew:f0fff0 hotpink:ff69b4 indianred:cd5c5c indigo:4b0082 ivory:fffff0 khaki:f0e68c "
    "lavender:e6e6fa lavenderblush:fff0f5 lawngreen:7cfc00 lemonchiffon:fffacd "
    "lightblue:add8e6 lightcoral:f08080 lightcyan:e0ffff lightgoldenrodyellow:fafad2 "
    "lightgray:d3d3d3 lightgreen:90ee90 lightgrey:d3d3d3 lightpink:ffb6c1 lightsalmon:ffa07a "
    "lightseagreen:20b2aa lightskyblue:87cefa lightslategray:778899 lightslategrey:778899 "
    "lightsteelblue:b0c4de lightyellow:ffffe0 lime:00ff00 limegreen:32cd32 linen:faf0e6 "
    "magenta:ff00ff maroon:800000 mediumaquamarine:66cdaa mediumblue:0000cd "
    "mediumorchid:ba55d3 mediumpurple:9370db mediumseagreen:3cb371 mediumslateblue:7b68ee "
    "mediumspringgreen:00fa9a mediumturquoise:48d1cc mediumvioletred:c71585 "
    "midnightblue:191970 mintcream:f5fffa mistyrose:ffe4e1 moccasin:ffe4b5 navajowhite:ffdead "
    "navy:000080 oldlace:fdf5e6 olive:808000 olivedrab:6b8e23 orange:ffa500 orangered:ff4500 "
    "orchid:da70d6 palegoldenrod:eee8aa palegreen:98fb98 paleturquoise:afeeee "
    "palevioletred:db7093 papayawhip:ffefd5 peachpuff:ffdab9 peru:cd853f pink:ffc0cb "
    "plum:dda0dd powderblue:b0e0e6 purple:800080 rebeccapurple:663399 red:ff0000 "
    "rosybrown:bc8f8f royalblue:4169e1 saddlebrown:8b4513 salmon:fa8072 sandybrown:f4a460 "
    "seagreen:2e8b57 seashell:fff5ee sienna:a0522d silver:c0c0c0 skyblue:87ceeb "
    "slateblue:6a5acd slategray:708090 slategrey:708090 snow:fffafa springgreen:00ff7f "
    "steelblue:4682b4 tan:d2b48c teal:008080 thistle:d8bfd8 tomato:ff6347 turquoise:40e0d0 "
    "violet:ee82ee wheat:f5deb3 white:ffffff whitesmoke:f5f5f5 yellow:ffff00 "
    "yellowgreen:9acd32")
_NAMED = dict(pair.split(":") for pair in _NAMES.split())
_NAMED_COLOR = re.compile(r"(?<![\w-])(" + "|".join(sorted(_NAMED, key=len, reverse=True))
                          + r"|transparent)(?![\w-])")


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


def color(value: str | None) -> Color | None:
    """The colour a value names, as (r, g, b, alpha); None for unknown or ``currentcolor``."""
    if not value:
        return None
    value = value.strip()
    if value == "transparent":
        return (0.0, 0.0, 0.0, 0.0)
    if value in _NAMED:
        value = "#" + _NAMED[value]
    if (hexed := _HEX.fullmatch(value)) and len(hexed.group(1)) in (3, 4, 6, 8):
        digits = hexed.group(1)
        if len(digits) < 6:
            digits = "".join(c * 2 for c in digits)
        channels = [int(digits[i:i + 2], 16) for i in range(0, len(digits), 2)]
        alpha = channels[3] / 255 if len(channels) == 4 else 1.0
        return (float(channels[0]), float(channels[1]), float(channels[2]), alpha)
    function = _FUNCTION.fullmatch(value)
    if function and function.group(1) in ("rgb", "rgba", "hsl", "hsla"):
        return _color_function(function.group(1), function.group(2))
    return None


def _color_function(name: str, args: str) -> Color | None:
    parts = [p for p in re.split(r"[\s,/]+", args.strip()) if p]
    if len(parts) not in (3, 4):
        return None
    try:
        numbers = [float(p.rstrip("%").removesuffix("deg")) for p in parts]
    except ValueError:
        return None
    alpha = 1.0
    if len(parts) == 4:
        alpha = numbers[3] / 100 if parts[3].endswith("%") else numbers[3]
    if name.startswith("rgb"):
        rgb = [n * 255 / 100 if p.endswith("%") else n
               for n, p in zip(numbers, parts, strict=False)]
    else:
        hue, sat, light = numbers[0] / 360 % 1, numbers[1] / 100, numbers[2] / 100
        rgb = [c * 255 for c in colorsys.hls_to_rgb(hue, light, sat)]
    clamp = [min(255.0, max(0.0, c)) for c in rgb[:3]]
    return (clamp[0], clamp[1], clamp[2], min(1.0, max(0.0, alpha)))


def background(decls: Mapping[str, str]) -> tuple[Color | None, bool]:
    """The background colour that ``decls`` set (None when none is set) and whether they set an
    image or gradient (text over a picture is not compared with a colour)."""
    image = decls.get("background-image", "")
    short = decls.get("background", "")
    has_image = ("url(" in image or "gradient(" in image or "url(" in short
                 or "gradient(" in short)
    found = color(decls.get("background-color"))
    if found is None and short:
        flat = _drop_images(short)
        token = _HEX.search(flat) or _FUNCTION.search(flat) or _NAMED_COLOR.search(flat)
        found = color(token.group()) if token else None
        if found is None and flat.strip() in ("none", "0"):
            found = (0.0, 0.0, 0.0, 0.0)
    return found, has_image


def _drop_images(value: str) -> str:
    """``value`` without its pictures: url(), gradients and image-set(), nested parentheses
    included (their colours are not the background colour)."""
    out, pos = [], 0
    for match in _IMAGE.finditer(value):
        if match.start() < pos:
            continue
        depth, end = 0, len(value)
        for i in range(match.end() - 1, len(value)):
            depth += {"(": 1, ")": -1}.get(value[i], 0)
            if depth == 0:
                end = i + 1
                break
        out.append(value[pos:match.start()])
        pos = end
    return " ".join(out) + " " + value[pos:]


def blend(top: Color, under: tuple[float, float, float]) -> tuple[float, float, float]:
    """``top`` painted over the opaque colour ``under``."""
    alpha = top[3]
    return (top[0] * alpha + under[0] * (1 - alpha), top[1] * alpha + under[1] * (1 - alpha),
            top[2] * alpha + under[2] * (1 - alpha))


def contrast(one: tuple[float, float, float], two: tuple[float, float, float]) -> float:
    """The WCAG contrast ratio of two opaque colours: 1 (the same) to 21 (black on white)."""
    def luminance(rgb: tuple[float, float, float]) -> float:
        linear = [c / 255 / 12.92 if c / 255 <= 0.04045 else ((c / 255 + 0.055) / 1.055) ** 2.4
                  for c in rgb]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(one), luminance(two)), reverse=True)
    return (high + 0.05) / (low + 0.05)


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
