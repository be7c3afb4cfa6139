"""Strip the HTML a reader never sees, and say what was stripped.

``strip_hidden_html`` removes comments, ``<template>`` and elements hidden by ``hidden``,
``aria-hidden="true"`` or inline CSS, with a linear tokenizer that leaves every other byte of the
page as it was. Instruction-like phrases in what it removes are reported as injections. It never
raises; on any surprise it only strips comments.
"""

from __future__ import annotations

import html as htmllib
import re
from functools import lru_cache

from bot.ingest.injection import INVISIBLE, excerpt, has_instruction, instruction_phrases

_WS = "\t\n\f\r "
_ATTRS = rf"((?:[^>=]++|=[{_WS}]*+(?:\"[^\"]*+\"?|'[^']*+'?|[^{_WS}>]*+))*+)(?:>|\Z)"
# Both tag patterns always match once they start, so the scan never backtracks over the page.
_START_TAG = re.compile(rf"<([a-zA-Z][^{_WS}/>]*+)" + _ATTRS)
_END_TAG = re.compile(rf"</([a-zA-Z][^{_WS}/>]*+)" + _ATTRS)
_ATTR = re.compile(rf"([^{_WS}/>=]+)(?:[{_WS}]*=[{_WS}]*(\"[^\"]*\"?|'[^']*'?|[^{_WS}>]*))?")
_COMMENT_END = re.compile(r"--!?>")
_COMMENTS = re.compile(r"<!--.*?(?:--!?>|\Z)", re.S)
_COMMENT_MARKS = re.compile(r"<!--|--!?>")  # dropped to read what a hidden comment says
_RAW_BLOCKS = re.compile(r"<(script|style|textarea|xmp|iframe|noembed|noframes|noscript)\b.*?"
                         r"(?:</\1\s*>|\Z)", re.S | re.I)
_TAGS = re.compile(r"<[^>]*>?")
_NOT_LETTERS = re.compile(r"[\W\d_]+")
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_LENGTH = re.compile(r"(-?\d*\.?\d+)\s*(px|pt|em|rem|ex|ch|%|vw|vh|cm|mm|in|pc)?")
_COLOR = re.compile(r"#[0-9a-f]{3,8}\b|rgba?\([^)]*\)|\b(?:white|black|transparent)\b")
_VOID = frozenset(["area", "base", "br", "col", "embed", "hr", "img", "image", "input", "link",
                   "meta", "param", "source", "track", "wbr", "keygen", "frame"])
_RAW = frozenset(["script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes",
                  "noscript", "plaintext"])
_PHRASING = frozenset(["a", "abbr", "b", "bdi", "bdo", "big", "cite", "code", "data", "dfn", "em",
                       "font", "i", "kbd", "label", "mark", "nobr", "q", "s", "samp", "small",
                       "span", "strike", "strong", "sub", "sup", "time", "tt", "u", "var"])
_HEADINGS = frozenset(["h1", "h2", "h3", "h4", "h5", "h6"])
_BLOCKS = _HEADINGS | frozenset([
    "address", "article", "aside", "blockquote", "details", "dialog", "div", "dl", "fieldset",
    "figcaption", "figure", "footer", "form", "header", "hgroup", "hr", "main", "menu", "nav", "ol",
    "p", "pre", "section", "table", "ul"])
# Start tags that implicitly close an open element: a hidden <p> or <li> ends where a browser ends
# it, instead of swallowing the visible paragraphs after it.
_CELLS = frozenset(["td", "th", "tr"])
_CLOSED_BY: dict[str, frozenset[str]] = {
    "p": _BLOCKS, "li": frozenset(["li"]), "dt": frozenset(["dt", "dd"]),
    "dd": frozenset(["dt", "dd"]), "option": frozenset(["option", "optgroup"]),
    "tr": frozenset(["tr"]), "td": _CELLS, "th": _CELLS, **dict.fromkeys(_HEADINGS, _HEADINGS)}
_CLOSERS = frozenset().union(*_CLOSED_BY.values())
_NEVER_HIDDEN = frozenset(["html", "head", "body"])  # anti-flicker styles there are JS-revealed
_UNDO = {p: re.compile(rf"(?<![\w-]){p}\s*:", re.I) for p in ("visibility", "font-size", "color")}
_FAR = {"": -500, "px": -500, "pt": -400, "em": -50, "rem": -50, "%": -100, "vw": -100}


def _length(value: str | None) -> tuple[float, str] | None:
    match = _LENGTH.fullmatch(value.strip()) if value else None
    return (float(match.group(1)), match.group(2) or "") if match else None


def _color(value: str | None) -> str | None:
    """A comparable form of the first colour in ``value``: "#rrggbb", "transparent", or as is."""
    token = match.group() if value and (match := _COLOR.search(value)) else None
    if token and re.fullmatch(r"rgba\(.*[,/]\s*0*\.?0*%?\s*\)|#(?:...0|.{6}00)", token):
        return "transparent"
    if token and token.startswith("#") and len(token) == 4:
        return "#" + "".join(c * 2 for c in token[1:])
    return {"white": "#ffffff", "black": "#000000"}.get(token or "", token)


@lru_cache(maxsize=512)  # pages repeat the same few inline styles
def _style_reason(style: str) -> tuple[str, str | None] | None:
    """Why an inline style hides its element, and the property a descendant could undo it with."""
    decls: dict[str, str] = {}
    for part in _CSS_COMMENT.sub("", htmllib.unescape(style)).lower().split(";"):
        name, _, value = part.partition(":")
        decls[name.strip()] = value.replace("!important", "").strip()
    get = decls.get
    opacity, size = _length(get("opacity")), _length(get("font-size"))
    boxes = [_length(get(p)) for p in ("width", "height", "max-height")]
    offsets = [_length(get(p)) for p in ("left", "top", "right", "bottom", "margin-left")]
    color = _color(get("color"))
    if get("display") == "none":
        return "display:none", None
    if get("visibility") in ("hidden", "collapse"):
        return "visibility:hidden", "visibility"
    if opacity and opacity[0] <= (1 if opacity[1] == "%" else 0.01):
        return "opacity:0", None
    if size and (size[0] <= 0 or (size[1] in ("px", "pt") and size[0] <= 1)):
        return "font-size:0", "font-size"
    overflow = {get("overflow"), get("overflow-x"), get("overflow-y")} & {"hidden", "clip"}
    if overflow and any(box and box[0] <= 1 for box in boxes):
        return "zero-size box", None
    if re.fullmatch(r"rect\((?:\s*0(?:px)?\s*,?){4}\)", get("clip", "")):
        return "clipped to nothing", None
    positioned = get("position") in ("absolute", "fixed", "relative")
    far = [_length(get("text-indent"))] + (offsets if positioned else [])
    if any(x and x[0] <= _FAR.get(x[1], -1e9) for x in far):
        return "off-screen", None
    if color == "transparent":
        return "transparent text", "color"
    if color and color == _color(get("background-color") or get("background")):
        return "text coloured like its background", "color"
    return None


def _hidden_reason(name: str, attrs: str) -> tuple[str, str | None] | None:
    low = attrs.lower()
    if name in _NEVER_HIDDEN or ("hidden" not in low and "style" not in low):
        return None  # the common case, decided without parsing attributes
    found: dict[str, str] = {}
    for match in _ATTR.finditer(attrs):
        found.setdefault(match.group(1).lower(), (match.group(2) or "").strip("\"'"))
    if "hidden" in found:
        return "hidden attribute", None
    if found.get("aria-hidden", "").strip().lower() == "true":
        return "aria-hidden", None
    return _style_reason(found["style"]) if "style" in found else None


def _tokenize(page: str) -> list[tuple[int, int, str]]:
    """The (start, end, reason) ranges to remove, in document order, found in one linear pass."""
    removals: list[tuple[int, int, str]] = []
    # open elements: name, start, end of start tag, reason, property that undoes it, removals mark
    stack: list[tuple[str, int, int, str | None, str | None, int]] = []
    counts: dict[str, int] = {}
    root = -1  # the outermost open element that is hidden for sure; nothing inside is recorded
    pos, size = 0, len(page)

    def pop_to(k: int, end_of_k: int, end_of_rest: int) -> None:
        nonlocal root
        for idx in range(len(stack) - 1, k - 1, -1):
            name, start, tag_end, reason, undo, mark = stack.pop()
            counts[name] -= 1
            end = end_of_k if idx == k else end_of_rest
            if reason is None:
                continue
            if idx == root:
                root = -1
            elif undo and _UNDO[undo].search(page, tag_end, end):
                continue  # a descendant may show itself again (font-size:0 between inline blocks)
            del removals[mark:]  # the whole element supersedes what was removed inside it
            removals.append((start, end, reason))

    while (i := page.find("<", pos)) >= 0:
        after = page[i + 1:i + 2]
        if after == "!" and page.startswith("<!--", i):
            short = 5 if page.startswith("<!-->", i) else 6 if page.startswith("<!--->", i) else 0
            match = None if short else _COMMENT_END.search(page, i + 4)
            pos = i + short if short else match.end() if match else size
            if root == -1:
                removals.append((i, pos, "HTML comment"))
        elif after == "/" and (match := _END_TAG.match(page, i)):
            name, pos = match.group(1).lower(), match.end()
            if stack and stack[-1][0] == name and stack[-1][3] is None:  # the usual case
                stack.pop()
                counts[name] -= 1
            elif counts.get(name):
                pop_to(next(k for k in range(len(stack) - 1, -1, -1) if stack[k][0] == name),
                       pos, i)
        elif match := _START_TAG.match(page, i):
            name, attrs, pos = match.group(1).lower(), match.group(2), match.end()
            if name in _CLOSERS:  # look past inline elements only, and not too deep
                for k in range(len(stack) - 1, max(-1, len(stack) - 65), -1):
                    if name in _CLOSED_BY.get(stack[k][0], ()):
                        pop_to(k, i, i)
                        break
                    if stack[k][0] not in _PHRASING:
                        break
            hidden = None
            if root == -1:
                hidden = ("template", None) if name == "template" else _hidden_reason(name, attrs)
            foreign = counts.get("svg", 0) + counts.get("math", 0)  # where "/>" does close
            if name in _VOID or (attrs.endswith("/") and foreign):
                if hidden:
                    removals.append((i, pos, hidden[0]))
                continue
            stack.append((name, i, pos, *(hidden or (None, None)), len(removals)))
            counts[name] = counts.get(name, 0) + 1
            if hidden and hidden[1] is None:
                root = len(stack) - 1
            if name in _RAW:  # raw text: jump to its end tag, which the loop reads next
                close = re.compile(rf"</{re.escape(name)}(?=[{_WS}/>]|\Z)", re.I)
                found = None if name == "plaintext" else close.search(page, pos)
                pos = found.start() if found else size
        else:
            pos = i + 1
    pop_to(0, size, size)
    return removals


def _visible_text(chunk: str) -> str:
    chunk = _TAGS.sub(" ", _COMMENTS.sub(" ", _RAW_BLOCKS.sub(" ", chunk)))
    return " ".join(INVISIBLE.sub("", htmllib.unescape(chunk)).split())


def _letters(text: str) -> int:
    return len(_NOT_LETTERS.sub("", text))


def _review(page: str, removals: list[tuple[int, int, str]]
            ) -> tuple[list[tuple[int, int]], list[str]]:
    """The ranges to cut and the findings to report."""
    every = "\n".join(page[start:end] for start, end, _ in removals)
    any_hit = has_instruction(_visible_text(_COMMENT_MARKS.sub(" ", every)))
    cuts: list[tuple[int, int]] = []
    injections: list[str] = []
    plain: list[str] = []
    page_letters = -1
    for count, (start, end, reason) in enumerate(removals):
        chunk = page[start:end]
        big = end - start >= 400 and reason != "HTML comment"
        if not (any_hit or big or (count < 200 and len(plain) < 5)):
            cuts.append((start, end))
            continue  # a hostile page can hide 100 000 spans: read only what may be reported
        text = _visible_text(_COMMENT_MARKS.sub(" ", chunk))  # comments inside count as text
        hits = instruction_phrases(text)[:1] if any_hit else []
        injections += [f"instruction aimed at AI models in hidden HTML ({reason}, removed; {tag}): "
                       f'"{excerpt}"' for tag, excerpt in hits]
        if big and not hits and _letters(text) >= 400:
            page_letters = page_letters if page_letters >= 0 else _letters(_visible_text(page))
            if _letters(text) * 3 > page_letters:  # most of the page: a script shows it, keep it
                plain.append(f'large hidden block kept, probably shown by a script ({reason}): '
                             f'"{excerpt(text, 0, len(text))}"')
                continue
        cuts.append((start, end))
        # Comments and templates are routine markup; only prose in them is worth a word.
        prose = reason not in ("HTML comment", "template") or (
            len(text.split()) >= 4 and not re.search(r"[{}<>=;()\[\]]|https?:", text))
        if not hits and _letters(text) >= 20 and prose:
            plain.append(f'hidden text removed ({reason}): "{excerpt(text, 0, len(text))}"')
    return cuts, injections[:5] + plain[:5]


def strip_hidden_html(html: str) -> tuple[str, list[str]]:
    """Remove what a reader of the page does not see but a model would; say what was removed.

    Removed: comments, ``<template>``, and elements with ``hidden``, ``aria-hidden="true"`` or an
    inline style of display:none, visibility:hidden, opacity:0, font-size:0 (or 1px), a zero-size
    box with hidden overflow, off-screen positioning, or text coloured like its background. Kept:
    ``<noscript>`` (readers without JavaScript see it; trafilatura drops it anyway) and a hidden
    block holding most of the page's text (a script reveals it), unless it carries an injection.
    Every other character of the page is returned unchanged. Findings (at most ten, one line
    each) flag instructions aimed at AI models and name removed text of 20 letters or more.
    Never raises: on an internal error the page comes back with only its comments stripped.
    """
    try:
        cuts, findings = _review(html, _tokenize(html))
        parts, pos = [], 0
        for start, end in cuts:
            parts.append(html[pos:start])
            pos = end
        return "".join(parts) + html[pos:], findings
    except Exception:
        try:
            return _COMMENTS.sub("", html), []
        except Exception:
            return html, []
