"""CSS colours: every spelling read as one value, the background behind text, and contrast.

``color`` reads names, hex, ``rgb()`` and ``hsl()`` in their old and new syntaxes; what it
cannot read (``var()``, ``currentcolor``) is None, and None never hides text. ``contrast`` is
the WCAG ratio, which says when text no longer stands out from what is behind it.
"""

from __future__ import annotations

import colorsys
import re
from collections.abc import Mapping

Color = tuple[float, float, float, float]  # r, g, b in 0..255, alpha in 0..1
RGB = tuple[float, float, float]

FAINT = 0.1  # opacity or colour alpha below this: invisible
# Colour contrast (WCAG ratio) under which text does not stand out from its background:
# #f5f5f5 on white is 1.09; #eeeeee on white, pale but legible, is 1.16.
INVISIBLE_CONTRAST = 1.1
_FUNCTION = re.compile(r"([a-z-]+)\(([^()]*)\)")
_HEX = re.compile(r"#([0-9a-f]{3,8})\b")
_IMAGE = re.compile(r"(?:url|[a-z-]*gradient|image-set|image|cross-fade|element)\(")

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


def blend(top: Color, under: RGB) -> RGB:
    """``top`` painted over the opaque colour ``under``."""
    alpha = top[3]
    return (top[0] * alpha + under[0] * (1 - alpha), top[1] * alpha + under[1] * (1 - alpha),
            top[2] * alpha + under[2] * (1 - alpha))


def contrast(one: RGB, two: RGB) -> float:
    """The WCAG contrast ratio of two opaque colours: 1 (the same) to 21 (black on white)."""
    def luminance(rgb: RGB) -> float:
        linear = [c / 255 / 12.92 if c / 255 <= 0.04045 else ((c / 255 + 0.055) / 1.055) ** 2.4
                  for c in rgb]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(one), luminance(two)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def faint(text: Color, backdrop: RGB) -> bool:
    """Whether text of colour ``text`` is lost on ``backdrop`` (it may be see-through)."""
    return contrast(blend(text, backdrop), backdrop) < INVISIBLE_CONTRAST
