"""Strip the HTML a reader never sees, and say what was stripped when it matters.

``strip_hidden_html`` removes comments, ``<template>``, closed ``<dialog>`` and elements hidden by
the ``hidden`` attribute, by inline styles or by the page's ``<style>`` rules, with a linear
tokenizer that leaves every other byte of the page as it was. It never raises; on any surprise
it only strips comments. What each element hides is :mod:`bot.ingest.visibility`'s to decide,
what is worth a warning :mod:`bot.ingest.hidden_findings`'.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass

from bot.ingest.css_selectors import Element
from bot.ingest.hidden_findings import review
from bot.ingest.stylesheet import Stylesheet
from bot.ingest.visibility import BLANK, NO_ELEMENT, PLAIN, State, attributes, style_of

_WS = "\t\n\f\r "
_ATTRS = rf"((?:[^>=]++|=[{_WS}]*+(?:\"[^\"]*+\"?|'[^']*+'?|[^{_WS}>]*+))*+)(?:>|\Z)"
# Both tag patterns always match once they start, so the scan never backtracks over the page.
_START_TAG = re.compile(rf"<([a-zA-Z][^{_WS}/>]*+)" + _ATTRS)
_END_TAG = re.compile(rf"</([a-zA-Z][^{_WS}/>]*+)" + _ATTRS)
_COMMENT_END = re.compile(r"--!?>")
_COMMENTS = re.compile(r"<!--.*?(?:--!?>|\Z)", re.S)
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
_COMMENT, _START, _END = 0, 1, 2


@dataclass(slots=True)
class _Open:
    """An open element of the walk."""

    name: str
    start: int
    tag_end: int
    reason: str | None  # why it is hidden as a whole (a candidate, for inherited reasons)
    inherited: bool  # hidden by visibility, font size or colour: a descendant may show itself
    mark: int  # how many removals were recorded before it
    state: State
    element: Element
    revealed: bool = False


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
                        sheet.add_css(page[pos:end], attributes(attrs).get("media"))
                pos = end
        else:
            pos = i + 1
    return events, sheet


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
    base = PLAIN if sheet.external else BLANK
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
            if stack and (top := stack[-1]).name == name and top.reason is None:
                # The usual case, pop_to's work for one plain element, inline: half the events.
                stack.pop()
                elements.pop()
                counts[name] -= 1
                for key in top.element.keys:
                    open_keys[key] -= 1
                state = stack[-1].state if stack else base
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
            reason, inherited, child, element = None, False, state, NO_ELEMENT
            if root == -1:
                reason, inherited, child, element = style_of(
                    name, attrs, state, sheet, elements, open_keys)
                if state.hidden and not child.hidden and hide_starts:
                    stack[hide_starts[-1]].revealed = True
            # "/>" closes an element inside <svg> or <math> only
            if name in _VOID or (attrs.endswith("/") and (counts.get("svg") or counts.get("math"))):
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
        cuts, findings = review(html, removals)
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
