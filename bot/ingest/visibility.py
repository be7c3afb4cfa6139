"""What one element hides, and what it passes on to its text and children.

An element is hidden as a whole (``display:none``, the ``hidden`` attribute, a zero box,
clipping, off-screen…: nothing inside can be seen), or its text is hidden by an inherited
property (``visibility``, a tiny font size, a colour lost on the background behind it) that a
descendant may undo. The background behind text is known only where every style that could
paint it is readable: on a page that links style sheets, an element with a class or an id may
be painted by them, and an unknown background never hides text.
"""

from __future__ import annotations

import html as htmllib
import re
from dataclasses import dataclass
from functools import lru_cache

from bot.ingest.css import TINY_PX, box_reason, font_px, font_size_value, parse_declarations
from bot.ingest.css_color import FAINT, RGB, Color, background, blend, faint
from bot.ingest.css_color import color as css_color
from bot.ingest.css_selectors import Element, lookup_keys
from bot.ingest.stylesheet import Rule, Stylesheet

_WS = "\t\n\f\r "
_ATTR = re.compile(rf"([^{_WS}/>=]+)(?:[{_WS}]*=[{_WS}]*(\"[^\"]*\"?|'[^']*'?|[^{_WS}>]*))?")
NEVER_HIDDEN = frozenset(["html", "head", "body"])  # anti-flicker styles there are JS-revealed
_UA_HIDDEN = {"template": "template", "datalist": "datalist", "rp": "ruby fallback"}
ROUTINE = frozenset(["HTML comment", "template", "datalist", "ruby fallback"])  # not news
_LINK_BLUE: Color = (0.0, 0.0, 238.0, 1.0)  # what a browser paints a link without author colour
_WHITE: RGB = (255.0, 255.0, 255.0)
NO_ELEMENT = Element("", {})


@dataclass(frozen=True, slots=True)
class State:
    """What an element passes on to its text and children: the inherited properties that can
    hide text, and why its own text is hidden (None when it can be seen)."""

    invisible: bool = False  # visibility:hidden
    px: float = 16.0
    color: Color | None = None  # None: not set, or not readable
    backdrop: RGB | None = None  # the opaque colour behind the text
    hidden: str | None = None


PLAIN = State()  # a page whose background is unknown
BLANK = State(backdrop=_WHITE)  # a browser's blank canvas, when every style sheet is readable


def attributes(attrs: str) -> dict[str, str]:
    """The attributes of a start tag, names lower-cased, values unquoted and decoded."""
    found: dict[str, str] = {}
    for match in _ATTR.finditer(attrs):
        value = match.group(2) or ""
        if value[:1] in "\"'":
            value = value[1:-1] if len(value) > 1 and value[-1] == value[0] else value[1:]
        found.setdefault(match.group(1).lower(), htmllib.unescape(value) if "&" in value
                         else value)
    return found


def style_of(name: str, attrs: str, parent: State, sheet: Stylesheet,
             ancestors: list[Element], open_keys: dict[str, int]
             ) -> tuple[str | None, bool, State, Element]:
    """For the start tag ``<name attrs>`` inside ``parent``, with open ``ancestors`` (parent
    last) holding ``open_keys``: why it is hidden (None: it is not), whether a descendant may
    undo that, the state it passes on, and the element as selectors see it."""
    if not sheet:
        return (*inline_style(name, attrs, parent, sheet.external), NO_ELEMENT)
    found, classes, keys = _described(name, attrs)
    if not sheet.concerns(keys):  # no rule names anything it has: selectors never see it
        return (*inline_style(name, attrs, parent, sheet.external), NO_ELEMENT)
    element = Element(name, found, classes, keys)
    rules = sheet.matching(element, ancestors, open_keys)
    if sheet.siblings and ancestors and ancestors[-1] is not NO_ELEMENT:
        ancestors[-1].add_kid(element)
    if not rules:
        return (*inline_style(name, attrs, parent, sheet.external), element)
    return (*_decide(name, dict(found), parent, sheet.external, rules), element)


@lru_cache(maxsize=4096)  # the same tag with the same attributes, over and over
def _described(name: str, attrs: str) -> tuple[dict[str, str], frozenset[str], frozenset[str]]:
    """The attributes of ``<name attrs>`` (shared: read, never written), its classes and its
    lookup keys."""
    found = attributes(attrs) if attrs else {}
    return found, *lookup_keys(name, found)


@lru_cache(maxsize=4096)  # pages repeat the same tags with the same attributes
def inline_style(name: str, attrs: str, parent: State, external: bool
                 ) -> tuple[str | None, bool, State]:
    """``_decide`` for an element that no style rule matches."""
    if _plain(name, attrs.lower(), parent, external):
        return None, False, parent  # the common case, decided without parsing
    return _decide(name, attributes(attrs) if attrs else {}, parent, external, [])


def _plain(name: str, low: str, parent: State, external: bool) -> bool:
    """Whether an element, without style rules, surely changes nothing: no attribute that can
    hide it, nothing it could reveal, no backdrop it could make unknown."""
    return ("hidden" not in low and "style" not in low and name not in _UA_HIDDEN
            and name != "dialog" and not (name == "a" and parent.color)
            and not (external and parent.backdrop and ("class" in low or "id" in low)))


def _decide(name: str, found: dict[str, str], parent: State, external: bool,
            rules: list[Rule]) -> tuple[str | None, bool, State]:
    """Why an element with attributes ``found`` and matching ``rules`` is hidden, whether a
    descendant may undo it, and the state it passes on."""
    inline = parse_declarations(found["style"]) if "style" in found else {}
    decls = _cascade(rules, inline) if rules else {p: (v, "") for p, (v, _) in inline.items()}
    values = {prop: value for prop, (value, _) in decls.items()}
    if name in NEVER_HIDDEN:
        return None, False, _inherit(parent, values, name, found, external)
    display = values.get("display", "none")
    if name in _UA_HIDDEN:
        return _UA_HIDDEN[name], False, parent
    if "hidden" in found and (display == "none" or found["hidden"].lower() == "until-found"):
        return "hidden attribute", False, parent
    if name == "dialog" and "open" not in found and display == "none":
        return "closed dialog", False, parent
    box = box_reason(values) if values else None
    if box:
        return _label(box[0], (box[1],), decls), False, parent
    child = _inherit(parent, values, name, found, external)
    if child.hidden and not parent.hidden:
        return _label(child.hidden, _DECIDED_BY[child.hidden], decls), True, child
    return None, False, child


def _cascade(rules: list[Rule], inline: dict[str, tuple[str, bool]]) -> dict[str, tuple[str, str]]:
    """property -> (value, where it came from): CSS's order of importance, specificity, order."""
    best: dict[str, tuple[tuple[bool, int, int, int], str, str]] = {}
    for rule in rules:
        for prop, (value, important) in rule.decls.items():
            rank = (important, 0, rule.specificity, rule.order)
            if prop not in best or rank > best[prop][0]:
                best[prop] = (rank, value, rule.text)
    for prop, (value, important) in inline.items():
        rank = (important, 1, 0, 0)
        if prop not in best or rank > best[prop][0]:
            best[prop] = (rank, value, "")
    return {prop: (value, origin) for prop, (_, value, origin) in best.items()}


def _inherit(parent: State, values: dict[str, str], name: str, attrs: dict[str, str],
             external: bool) -> State:
    """The state of an element with declared ``values`` and ``attrs`` inside ``parent``;
    ``external`` says whether style sheets this module cannot read apply to the page."""
    visibility = values.get("visibility", "inherit")
    invisible = parent.invisible if visibility in ("inherit", "unset") else visibility in (
        "hidden", "collapse")
    px = font_px(font_size_value(values), parent.px)
    declared = values.get("color")
    if declared is None:
        # A link is painted blue unless the author says otherwise: that can show text again.
        color = _LINK_BLUE if name == "a" and "href" in attrs and parent.color else parent.color
    elif declared in ("inherit", "unset", "currentcolor"):
        color = parent.color
    else:
        color = css_color("#000" if declared == "initial" else declared)
    fill, picture = background(values)
    if fill is not None and fill[3] > 0:
        backdrop = (blend(fill, parent.backdrop) if parent.backdrop else
                    fill[:3] if fill[3] >= 0.5 else None)
    elif picture or values.get("position") in ("absolute", "fixed") or (
            external and ("class" in attrs or "id" in attrs)):
        # Over a picture, laid over something else, or painted by a style sheet we cannot read:
        # the colour behind the text is unknown, and unknown never hides.
        backdrop = None
    else:
        backdrop = parent.backdrop
    if name in NEVER_HIDDEN:
        invisible, px = False, px if px >= TINY_PX else 16.0
    if color and backdrop and (name in NEVER_HIDDEN or color is _LINK_BLUE) and faint(
            color, backdrop):
        color = None  # a guess or an anti-flicker style must not hide the page
    if (invisible, px, color, backdrop) == (parent.invisible, parent.px, parent.color,
                                            parent.backdrop):
        return parent
    hidden = None
    if invisible:
        hidden = "visibility:hidden"
    elif px < TINY_PX:
        hidden = "font-size:0"
    elif color is not None and color[3] < FAINT:
        hidden = "transparent text"
    elif color is not None and backdrop is not None and faint(color, backdrop):
        hidden = "text coloured like its background"
    return State(invisible, px, color, backdrop, hidden)


_DECIDED_BY = {"visibility:hidden": ("visibility",), "font-size:0": ("font-size", "font"),
               "transparent text": ("color",),
               "text coloured like its background": ("color", "background-color", "background")}


def _label(reason: str, props: tuple[str, ...], decls: dict[str, tuple[str, str]]) -> str:
    """The reason, naming the style rule that decided it (inline styles go unnamed)."""
    origin = next((decls[p][1] for p in props if p in decls), "")
    return f"{reason}, by {origin}" if origin else reason
