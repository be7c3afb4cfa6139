"""Strip the HTML a reader never sees, and say what was stripped when it matters.

``strip_hidden_html`` removes comments, ``<template>``, closed ``<dialog>`` and elements hidden by
the ``hidden`` attribute, by inline styles or by the page's ``<style>`` rules (see
:mod:`bot.ingest.stylesheet`), with a linear tokenizer that leaves every other byte of the page
as it was. It never raises; on any surprise it only strips comments.

Warnings are for what a moderator should know: instruction-like text in anything removed, and
hidden text that reads like an article (see ``_article_like``). Routine markup (comments,
tracking code, menus, cookie notices, skip links, screen-reader labels) is removed silently.
"""

from __future__ import annotations

import contextlib
import html as htmllib
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from bot.ingest.css import (
    FAINT,
    INVISIBLE_CONTRAST,
    TINY_PX,
    Color,
    background,
    blend,
    box_reason,
    contrast,
    font_px,
    font_size_value,
    parse_declarations,
)
from bot.ingest.css import color as css_color
from bot.ingest.injection import INVISIBLE, excerpt, has_instruction, instruction_phrases
from bot.ingest.stylesheet import Element, Rule, Stylesheet

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
_TAGS = re.compile(r"<(/?)([a-zA-Z][^\s/>]*)?[^>]*>?")
_NOT_LETTERS = re.compile(r"[\W\d_]+")
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
    "tr": frozenset(["tr"]), "td": _CELLS, "th": _CELLS, "rp": frozenset(["rp", "rt"]),
    "rt": frozenset(["rp", "rt"]), **dict.fromkeys(_HEADINGS, _HEADINGS)}
_CLOSERS = frozenset().union(*_CLOSED_BY.values())
_NEVER_HIDDEN = frozenset(["html", "head", "body"])  # anti-flicker styles there are JS-revealed
_UA_HIDDEN = {"template": "template", "datalist": "datalist", "rp": "ruby fallback"}
_LINK_BLUE: Color = (0.0, 0.0, 238.0, 1.0)  # what a browser paints a link without author colour
_WHITE = (255.0, 255.0, 255.0)
_ROUTINE = frozenset(["HTML comment", "template", "datalist", "ruby fallback"])
_COMMENT, _START, _END = 0, 1, 2
# Elements that start a new line of text (inline ones join their words).
_BREAKS = _BLOCKS | _CELLS | frozenset(["br", "li", "dd", "dt", "option", "caption", "summary",
                                        "legend", "button", "label", "body", "html", "img"])


@dataclass(frozen=True, slots=True)
class _State:
    """What an element passes on to its text and children: the inherited properties that can
    hide text, and why its own text is hidden (None when it can be seen)."""

    invisible: bool = False  # visibility:hidden
    px: float = 16.0
    color: Color | None = None  # None: not set, or not readable
    backdrop: tuple[float, float, float] | None = None  # the opaque colour behind the text
    hidden: str | None = None


_PLAIN = _State()


@dataclass(slots=True)
class _Open:
    """An open element of the walk."""

    name: str
    start: int
    tag_end: int
    reason: str | None  # why it is hidden as a whole (a candidate, for inherited reasons)
    inherited: bool  # hidden by visibility, font size or colour: a descendant may show itself
    mark: int  # how many removals were recorded before it
    state: _State
    element: Element
    revealed: bool = False


_NO_ELEMENT = Element("", {})


def _attributes(attrs: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for match in _ATTR.finditer(attrs):
        value = match.group(2) or ""
        if value[:1] in "\"'":
            value = value[1:-1] if len(value) > 1 and value[-1] == value[0] else value[1:]
        found.setdefault(match.group(1).lower(), htmllib.unescape(value) if "&" in value
                         else value)
    return found


def _scan(page: str) -> tuple[list[tuple[int, int, int, str, str]], Stylesheet]:
    """The page's comments, start and end tags as (kind, start, end, name, attributes), and the
    rules of its ``<style>`` elements, in one linear pass."""
    events: list[tuple[int, int, int, str, str]] = []
    sheet = Stylesheet()
    templates = 0  # a <style> inside a <template> is inert
    pos, size = 0, len(page)
    while (i := page.find("<", pos)) >= 0:
        after = page[i + 1:i + 2]
        if after == "!" and page.startswith("<!--", i):
            short = 5 if page.startswith("<!-->", i) else 6 if page.startswith("<!--->", i) else 0
            match = None if short else _COMMENT_END.search(page, i + 4)
            pos = i + short if short else match.end() if match else size
            events.append((_COMMENT, i, pos, "", ""))
        elif after == "/" and (match := _END_TAG.match(page, i)):
            name, pos = match.group(1).lower(), match.end()
            if name == "template" and templates:
                templates -= 1
            events.append((_END, i, pos, name, ""))
        elif match := _START_TAG.match(page, i):
            name, attrs, pos = match.group(1).lower(), match.group(2), match.end()
            events.append((_START, i, pos, name, attrs))
            if name == "template":
                templates += 1
            elif name == "link" and "stylesheet" in attrs.lower():
                sheet.external = True
            if name in _RAW:  # raw text: jump to its end tag, which the loop reads next
                close = re.compile(rf"</{re.escape(name)}(?=[{_WS}/>]|\Z)", re.I)
                found = None if name == "plaintext" else close.search(page, pos)
                end = found.start() if found else size
                if name == "style" and not templates:
                    with contextlib.suppress(Exception):  # one unreadable block, not the page
                        sheet.add_css(page[pos:end], _attributes(attrs).get("media"))
                pos = end
        else:
            pos = i + 1
    return events, sheet


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


def _inherit(parent: _State, values: dict[str, str], name: str, attrs: dict[str, str],
             external: bool) -> _State:
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
    if name in _NEVER_HIDDEN:
        invisible, px = False, max(px, 16.0) if px < TINY_PX else px
    if color and backdrop and (name in _NEVER_HIDDEN or color is _LINK_BLUE) and _faint(
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
    elif color is not None and backdrop is not None and _faint(color, backdrop):
        hidden = "text coloured like its background"
    return _State(invisible, px, color, backdrop, hidden)


def _faint(color: Color, backdrop: tuple[float, float, float]) -> bool:
    return contrast(blend(color, backdrop), backdrop) < INVISIBLE_CONTRAST


_DECIDED_BY = {"visibility:hidden": ("visibility",), "font-size:0": ("font-size", "font"),
               "transparent text": ("color",),
               "text coloured like its background": ("color", "background-color", "background")}


def _label(reason: str, props: tuple[str, ...], decls: dict[str, tuple[str, str]]) -> str:
    """The reason, naming the style rule that decided it (inline styles go unnamed)."""
    origin = next((decls[p][1] for p in props if p in decls), "")
    return f"{reason}, by {origin}" if origin else reason


def _tokenize(page: str) -> tuple[list[tuple[int, int, str]], Stylesheet]:
    """The (start, end, reason) ranges to remove, in document order, and the page's rules."""
    events, sheet = _scan(page)
    removals: list[tuple[int, int, str]] = []
    stack: list[_Open] = []
    elements: list[Element] = []  # the open elements, for selectors
    hide_starts: list[int] = []  # open elements whose text a descendant may show again
    counts: dict[str, int] = {}
    open_keys: dict[str, int] = {}  # how many open elements have each selector key
    root = -1  # the outermost open element that is hidden for sure; nothing inside is recorded
    base = _PLAIN if sheet.external else _State(backdrop=_WHITE)  # a browser's blank canvas
    state, text_from, raw = base, 0, False

    def pop_to(k: int, end_of_k: int, end_of_rest: int) -> None:
        nonlocal root, state
        for idx in range(len(stack) - 1, k - 1, -1):
            entry = stack.pop()
            elements.pop()
            counts[entry.name] -= 1
            for key in entry.element.keys:
                open_keys[key] -= 1
            end = end_of_k if idx == k else end_of_rest
            if entry.reason is None:
                continue
            if idx == root:
                root = -1
            elif entry.inherited:
                hide_starts.pop()
                if entry.revealed:
                    continue  # a descendant shows itself: only the hidden text runs go
            del removals[entry.mark:]  # the whole element supersedes what was removed inside it
            removals.append((entry.start, end, entry.reason))
        state = stack[-1].state if stack else base

    for kind, i, pos, name, attrs in events:
        if state.hidden and root == -1 and not raw and page[text_from:i].strip():
            removals.append((text_from, i, state.hidden))  # text whose colour or size hides it
        text_from, raw = pos, False
        if kind == _COMMENT:
            if root == -1:
                removals.append((i, pos, "HTML comment"))
        elif kind == _END:
            if stack and stack[-1].name == name and stack[-1].reason is None:  # the usual case
                pop_to(len(stack) - 1, pos, pos)
            elif counts.get(name):
                pop_to(next(k for k in range(len(stack) - 1, -1, -1) if stack[k].name == name),
                       pos, i)
        else:
            if name in _CLOSERS:  # look past inline elements only, and not too deep
                for k in range(len(stack) - 1, max(-1, len(stack) - 65), -1):
                    if name in _CLOSED_BY.get(stack[k].name, ()):
                        pop_to(k, i, i)
                        break
                    if stack[k].name not in _PHRASING:
                        break
            raw = name in _RAW
            reason, inherited, child, element = None, False, state, _NO_ELEMENT
            if root == -1:
                reason, inherited, child, element = _style(
                    name, attrs, state, sheet, elements, open_keys)
                if state.hidden and not child.hidden and hide_starts:
                    stack[hide_starts[-1]].revealed = True
            foreign = counts.get("svg", 0) + counts.get("math", 0)  # where "/>" does close
            if name in _VOID or (attrs.endswith("/") and foreign):
                if reason and not inherited:
                    removals.append((i, pos, reason))
                continue
            for key in element.keys:
                open_keys[key] = open_keys.get(key, 0) + 1
            stack.append(_Open(name, i, pos, reason, inherited, len(removals), child, element))
            elements.append(element)
            counts[name] = counts.get(name, 0) + 1
            if reason and inherited:
                hide_starts.append(len(stack) - 1)
            elif reason:
                root = len(stack) - 1
            state = child
    if state.hidden and root == -1 and not raw and page[text_from:].strip():
        removals.append((text_from, len(page), state.hidden))
    pop_to(0, len(page), len(page))
    return removals, sheet


def _plain(name: str, low: str, parent: _State, external: bool) -> bool:
    """Whether an element, without style rules, surely changes nothing: no attribute that can
    hide it, nothing it could reveal, no backdrop it could make unknown."""
    return ("hidden" not in low and "style" not in low and name not in _UA_HIDDEN
            and name != "dialog" and not (name == "a" and parent.color)
            and not (external and parent.backdrop and ("class" in low or "id" in low)))


def _style(name: str, attrs: str, parent: _State, sheet: Stylesheet,
           ancestors: list[Element], open_keys: dict[str, int]
           ) -> tuple[str | None, bool, _State, Element]:
    """(why the element is hidden, whether a descendant may undo it, its state, its element)."""
    if not sheet:
        return (*_inline_style(name, attrs, parent, sheet.external), _NO_ELEMENT)
    found = _attributes(attrs) if attrs else {}
    element = Element.make(name, found)
    rules = sheet.matching(element, ancestors, open_keys)
    if ancestors and ancestors[-1] is not _NO_ELEMENT:
        ancestors[-1].add_kid(element)
    if not rules:
        return (*_inline_style(name, attrs, parent, sheet.external), element)
    return (*_decide(name, found, parent, sheet.external, rules), element)


@lru_cache(maxsize=4096)  # pages repeat the same tags with the same attributes
def _inline_style(name: str, attrs: str, parent: _State, external: bool
                  ) -> tuple[str | None, bool, _State]:
    """``_decide`` for an element that no style rule matches."""
    if _plain(name, attrs.lower(), parent, external):
        return None, False, parent  # the common case, decided without parsing
    return _decide(name, _attributes(attrs) if attrs else {}, parent, external, [])


def _decide(name: str, found: dict[str, str], parent: _State, external: bool,
            rules: list[Rule]) -> tuple[str | None, bool, _State]:
    """Why an element with attributes ``found`` and matching ``rules`` is hidden, whether a
    descendant may undo it, and the state it passes on."""
    inline = parse_declarations(found["style"]) if "style" in found else {}
    decls = _cascade(rules, inline) if rules else {p: (v, "") for p, (v, _) in inline.items()}
    values = {prop: value for prop, (value, _) in decls.items()}
    if name in _NEVER_HIDDEN:
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


def _visible_text(chunk: str) -> str:
    """The text of an HTML chunk as a browser lays it out: a line per block, inline markup
    joined without a space (so "Ig<b>nore</b>" reads "Ignore")."""
    chunk = _COMMENTS.sub("\n", _RAW_BLOCKS.sub("\n", chunk))
    chunk = _TAGS.sub(lambda m: "\n" if (m.group(2) or "").lower() in _BREAKS else "", chunk)
    lines = INVISIBLE.sub("", htmllib.unescape(chunk)).splitlines()
    return "\n".join(" ".join(line.split()) for line in lines if line.strip())


def _letters(text: str) -> int:
    return len(_NOT_LETTERS.sub("", text))


# Where a sentence ends: terminal punctuation before a space, a quote or the end; CJK's own
# full stops need no space. Splitting at these points is linear, unlike matching sentences.
_SENTENCE_END = re.compile(r"(?<=[.!?؟।…])(?=[\s\"'»”’)\]]|$)|(?<=[。！？])")
_WIDE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\u0e00-\u0e7f\uf900-\ufaff]")
_CODE = re.compile(r"[{}<>=;\[\]|\\]|https?:|www\.")
_NOTICE = re.compile(r"cookie|クッキー|쿠키|куки", re.I)  # consent notices name them everywhere


def _article_like(text: str) -> bool:
    """Whether hidden text reads like an article: three sentences of six words or more, 40
    words in them (a character of a script written without spaces counts as half a word).

    That is one news paragraph (40 to 80 words). Labels, teasers, newsletter and paywall
    notices are shorter; menus have no sentences; scripts, CSS and tracking code no sentences
    of words; cookie notices are long prose, but they name cookies in every language.
    """
    text = text[:20_000]
    if len(text) < 150 or _NOTICE.search(text):
        return False
    sentences = words = 0
    for sentence in _SENTENCE_END.split(text):
        tokens = sentence.split()
        if not tokens or sentence.rstrip()[-1:] not in ".!?؟।…。！？":
            continue
        wordy = sum(1 for t in tokens if 2 * _letters(t) >= len(t) and not _CODE.search(t))
        count = wordy + len(_WIDE.findall(sentence)) // 2
        if count >= 6 and wordy >= 0.7 * len(tokens):
            sentences, words = sentences + 1, words + count
    return sentences >= 3 and words >= 40


def _mostly_links(chunk: str) -> bool:
    """Whether most of the letters of an HTML chunk are link text (a menu, a list of teasers)."""
    inside = outside = depth = 0
    pos = 0
    for match in _TAGS.finditer(chunk):
        letters = _letters(chunk[pos:match.start()])
        inside, outside = (inside + letters, outside) if depth else (inside, outside + letters)
        if (match.group(2) or "").lower() == "a":
            depth = max(0, depth + (-1 if match.group(1) else 1))
        pos = match.end()
    outside += _letters(chunk[pos:])
    return inside > outside


def _review(page: str, removals: list[tuple[int, int, str]]
            ) -> tuple[list[tuple[int, int]], list[str]]:
    """The ranges to cut and the findings to report."""
    # One text of everything removed, a line break between the parts: an order split over
    # several hidden parts is still read, and parts do not run into each other.
    every = "\n<br>\n".join(page[start:end] for start, end, _ in removals)
    any_hit = has_instruction(_visible_text(_COMMENT_MARKS.sub(" ", every)))
    texts: dict[int, str] = {}
    injections: list[str] = []
    for count, (start, end, reason) in enumerate(removals):
        if any_hit and count < 2000:
            texts[count] = text = _visible_text(_COMMENT_MARKS.sub(" ", page[start:end]))
            injections += [f"instruction aimed at AI models in hidden HTML ({reason}, removed; "
                           f'{tag}): "{quote}"' for tag, quote in instruction_phrases(text)[:1]]
    if any_hit and not injections:  # an order split over several hidden parts
        joined = _visible_text(_COMMENT_MARKS.sub(" ", every))
        injections = [f"instruction aimed at AI models in hidden HTML (several hidden parts, "
                      f'removed; {tag}): "{quote}"' for tag, quote in instruction_phrases(joined)]
    kept = set() if injections else _script_revealed(page, removals)
    plain = [f'large hidden block kept, probably shown by a script ({reason}): '
             f'"{excerpt(text, 0, len(text))}"' for reason, text in kept]
    kept_reasons = {reason for reason, _ in kept}
    cuts: list[tuple[int, int]] = []
    for count, (start, end, reason) in enumerate(removals):
        if reason in kept_reasons:
            continue
        cuts.append((start, end))
        # A comment is a note to the page's developers, never shown: only orders in it matter.
        if len(plain) < 5 and end - start >= 150 and count < 2000 and reason != "HTML comment":
            chunk = page[start:end]
            text = texts.get(count) or _visible_text(_COMMENT_MARKS.sub(" ", chunk))
            if _article_like(text) and not _mostly_links(chunk):
                plain.append(f'hidden text removed ({reason}): "{excerpt(text, 0, len(text))}"')
    return cuts, injections[:5] + plain[:5]


def _script_revealed(page: str, removals: list[tuple[int, int, str]]) -> set[tuple[str, str]]:
    """(reason, text) of each kind of hiding whose article-like text holds a third of the
    page's letters or more: a script shows it (an article body revealed on load), so it is
    kept."""
    sizes: Counter[str] = Counter()
    for start, end, reason in removals:
        if reason not in _ROUTINE:
            sizes[reason] += end - start
    page_letters = -1
    kept: set[tuple[str, str]] = set()
    for reason, size in sizes.items():
        if size < 400:
            continue
        if page_letters < 0:
            page_letters = _letters(_visible_text(page))
        if size * 3 <= page_letters:
            continue  # even all markup, it cannot be a third of the page's letters
        text = " ".join(_visible_text(page[s:e]) for s, e, r in removals if r == reason)
        if _letters(text) * 3 > page_letters and _article_like(text):  # not a big menu
            kept.add((reason, text))
    return kept


def strip_hidden_html(html: str) -> tuple[str, list[str]]:
    """Remove what a reader of the page does not see but a model would; say what matters.

    Removed: comments, ``<template>``, ``<datalist>``, a closed ``<dialog>``, and elements hidden
    by the ``hidden`` attribute or by CSS, inline or from the page's ``<style>`` rules:
    display:none, visibility:hidden, opacity:0, font-size under 3 px, a zero-size box with
    hidden overflow, clip or clip-path to nothing, off-screen positions, scale(0), and text
    coloured like the background behind it. ``aria-hidden`` alone hides nothing from a sighted
    reader (icons, repeated headlines), so it is kept; screen-reader-only text (``.sr-only``,
    clipped to a 1 px box) is removed: it labels what the eye already sees, and the model reads
    what a reader sees. Kept: ``<noscript>`` and hidden text holding most of the page's letters
    (a script reveals it), unless it carries an injection. Every other character of the page is
    returned unchanged. Findings (at most ten, one line each) flag instructions aimed at AI
    models and hidden article-like prose. Never raises: on an internal error the page comes
    back with only its comments stripped.
    """
    try:
        removals, sheet = _tokenize(html)
        cuts, findings = _review(html, removals)
        if sheet.exhausted:
            findings.append("the page's style rules are too many to read in full: "
                            "text they hide may remain")
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
