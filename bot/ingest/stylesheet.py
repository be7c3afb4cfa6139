"""A page's ``<style>`` rules, matched against its elements: enough CSS to see what it hides.

Selectors: type, ``.class``, ``#id``, ``*``, attribute tests (``[a]``, ``[a=v]``, ``~=``, ``^=``,
``$=``, ``*=``, ``|=``), compounds of these, ``:root``, ``:not()``, ``:is()``/``:where()`` of
compounds, selector lists and the four combinators. A rule that applies only on some screens
(``@media (max-width: …)``), on interaction (``:hover``, ``:checked``…) or by position among
siblings (``:nth-child``…) may reveal text but never hides it: text that some reader sees at
some moment is the page's text. ``@media print``, pseudo-elements and ``@keyframes`` & co. are
ignored. Matching is bounded per page (see ``Stylesheet.budget``) so that a hostile stylesheet
cannot make it quadratic; past the bound, only inline styles count and ``exhausted`` says so.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from bot.ingest.css import Declarations, hides_alone, parse_declarations

_COMMENT = re.compile(r"/\*.*?(?:\*/|\Z)", re.S)
_TOKENS = re.compile(r'"(?:[^"\\\n]|\\.)*+"?|\'(?:[^\'\\\n]|\\.)*+\'?|[{};]', re.S)
_IDENT = re.compile(r"-?(?:[_a-zA-Z\u0080-\U0010ffff]|\\[0-9a-fA-F]{1,6}\s?|\\[^\n0-9a-fA-F])"
                    r"(?:[\w\-\u0080-\U0010ffff]|\\[0-9a-fA-F]{1,6}\s?|\\[^\n0-9a-fA-F])*")
_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})\s?|\\(.)", re.S)
_ATTRIBUTE = re.compile(r"\s*([^\s~|^$*=\]]+)\s*(?:([~|^$*]?=)\s*(\"[^\"]*\"|'[^']*'|[^\s\]]+)"
                        r"\s*([is])?\s*)?", re.I)
_PSEUDO_ELEMENTS = frozenset(["before", "after", "first-line", "first-letter", "selection",
                              "placeholder", "marker", "backdrop", "file-selector-button",
                              "cue", "part", "slotted", "spelling-error", "grammar-error"])
_LISTS = frozenset(["is", "where", "matches", "-webkit-any", "-moz-any", "not"])
_ALWAYS_MEDIA = re.compile(r"(?:only\s+)?(?:all|screen)|not\s+(?:print|speech)")
_MAX_RULES = 20_000
_MAX_DEPTH = 256  # ancestors looked at when matching one selector
_MAX_SIBLINGS = 32  # earlier siblings looked at for one "~"


class Unsupported(ValueError):
    """A selector this module does not read: its rule is left out."""


@dataclass(frozen=True, slots=True)
class Compound:
    """What one element must be: a simple-selector sequence such as ``div.note#x[hidden]``."""

    tag: str | None = None
    ids: tuple[str, ...] = ()
    classes: tuple[str, ...] = ()
    attrs: tuple[tuple[str, str, str, bool], ...] = ()  # name, operator, value, ignore case
    nots: tuple[Compound, ...] = ()
    anys: tuple[tuple[Compound, ...], ...] = ()
    never: bool = False  # :empty: an element without text has no text to hide

    def key(self) -> str:
        """The most selective name an element needs to match, for the rule index."""
        if self.ids:
            return "#" + self.ids[0]
        if self.classes:
            return "." + self.classes[0]
        if self.attrs:
            return "[" + self.attrs[0][0]
        return self.tag or "*"


@dataclass(slots=True)
class Element:
    """An element as selectors see it, with what sibling combinators need of its children."""

    tag: str
    attrs: dict[str, str]
    classes: frozenset[str] = frozenset()
    keys: frozenset[str] = frozenset()
    last_kid: Element | None = None
    kids_by_key: dict[str, list[Element]] = field(default_factory=dict)

    def add_kid(self, kid: Element) -> None:
        """Record ``kid`` as the latest child element (for ``+`` and ``~``)."""
        self.last_kid = kid
        for key in kid.keys:
            kids = self.kids_by_key.setdefault(key, [])
            kids.append(kid)
            if len(kids) > 2 * _MAX_SIBLINGS:
                del kids[:_MAX_SIBLINGS]

    @classmethod
    def make(cls, tag: str, attrs: dict[str, str]) -> Element:
        """The element ``<tag attrs…>`` with its lookup keys."""
        classes = frozenset(attrs.get("class", "").split())
        keys = {tag, "*", *("." + c for c in classes), *("[" + a for a in attrs)}
        if attrs.get("id"):
            keys.add("#" + attrs["id"])
        return cls(tag, attrs, classes, frozenset(keys))


@dataclass(frozen=True, slots=True)
class Rule:
    """One selector of a style rule with its declarations; ``text`` names it in findings."""

    parts: tuple[tuple[str, Compound], ...]  # right to left: ("", subject), (combinator, …)…
    specificity: int
    order: int
    decls: Declarations
    text: str
    ancestor_keys: frozenset[str]  # keys some open ancestor must have: a cheap first test


@dataclass(slots=True)
class Stylesheet:
    """The rules of a page, indexed by the most selective key of their subject."""

    index: dict[str, dict[object, Rule]] = field(default_factory=dict)
    budget: int = 400_000  # compound tests per page before matching stops
    exhausted: bool = False
    size: int = 0
    order: int = 0
    external: bool = False  # the page links or imports style sheets this one cannot see

    def __bool__(self) -> bool:
        return self.size > 0

    def add_css(self, css: str, media: str | None = None) -> None:
        """Read the rules of one ``<style>`` block (``media`` is its media attribute)."""
        base = _media_kind(media) if media and media.strip() else "always"
        self.external |= "@import" in css
        if base != "never":
            _Parser(self, base == "maybe").feed(_COMMENT.sub(" ", css))

    def add_rule(self, rule: Rule) -> None:
        """Index ``rule``; the same rule written again only moves to its later place."""
        rules = self.index.setdefault(rule.parts[0][1].key(), {})
        same = (rule.parts, tuple(rule.decls.items()))
        if same in rules:
            del rules[same]  # pages that repeat a block of CSS (one per widget) stay cheap
        elif self.size >= _MAX_RULES:
            return
        else:
            self.size += 1
        rules[same] = rule

    def matching(self, element: Element, ancestors: Sequence[Element],
                 open_keys: Mapping[str, int]) -> list[Rule]:
        """The rules that apply to ``element``, whose open ancestors are ``ancestors`` (parent
        last) holding ``open_keys``, in no particular order."""
        found: list[Rule] = []
        if self.exhausted:
            return found
        for key in element.keys:
            for rule in self.index.get(key, {}).values():
                self.budget -= 1
                if all(open_keys.get(k) for k in rule.ancestor_keys) and _matches(
                        rule.parts, 0, element, ancestors, len(ancestors) - 1, self):
                    found.append(rule)
        if self.budget < 0:
            self.exhausted = True
        return found


class _Parser:
    """Blocks and rules of CSS text, read in one pass over its braces."""

    def __init__(self, sheet: Stylesheet, conditional: bool) -> None:
        self.sheet = sheet
        # "always", "maybe" (a block that applies on some screens only), "rule", "skip"
        self.contexts = ["maybe" if conditional else "always"]

    def feed(self, css: str) -> None:
        start = body_start = 0
        selector, outer = "", "always"
        for match in _TOKENS.finditer(css):
            mark, context = match.group(), self.contexts[-1]
            if mark[0] in "\"'" or (context in ("rule", "skip") and mark == ";"):
                continue  # strings are text; ";" inside a block separates its declarations
            if mark == ";":
                start = match.end()  # @import, @charset: statements we do not read
            elif mark == "{":
                if context in ("rule", "skip"):
                    self.contexts.append("skip")  # CSS nesting, at-rule bodies: not read
                    continue
                prelude = css[start:match.start()].strip()
                kind = self._block(prelude, context)
                self.contexts.append(kind)
                if kind == "rule":
                    selector, outer, body_start = prelude, context, match.end()
                start = match.end()
            elif len(self.contexts) > 1:
                if self.contexts.pop() == "rule":
                    self._rule(selector, css[body_start:match.start()], outer)
                if self.contexts[-1] not in ("rule", "skip"):
                    start = match.end()

    @staticmethod
    def _block(prelude: str, context: str) -> str:
        """What the block opened after ``prelude`` holds."""
        if not prelude.startswith("@"):
            return "rule"
        at, _, rest = prelude[1:].partition(" ")
        at = at.lower().split("(")[0]
        if at == "media":
            kind = _media_kind(rest)
        elif at == "supports":
            kind = "maybe" if "not" in rest.lower() else "always"
        elif at in ("layer", "document", "-moz-document"):
            kind = "always"
        elif at in ("container", "scope"):
            kind = "maybe"
        else:
            kind = "never"  # @keyframes, @font-face, @page…
        if kind == "never":
            return "skip"
        return "maybe" if "maybe" in (kind, context) else "always"

    def _rule(self, prelude: str, body: str, context: str) -> None:
        decls = parse_declarations(body)
        if not decls or len(prelude) > 4000:
            return
        for text in _split_list(prelude):
            try:
                parts, specificity, conditional = parse_selector(text)
            except Unsupported:
                continue
            chosen = decls
            if conditional or context == "maybe":
                chosen = {k: v for k, v in decls.items() if not hides_alone(k, v[0])}
            if chosen:
                keys = frozenset(c.key() for comb, c in parts[1:] if comb in (" ", ">")
                                 and c.key() != "*" and _only_ancestors(parts, c))
                self.sheet.order += 1
                self.sheet.add_rule(Rule(parts, specificity, self.sheet.order, chosen,
                                         " ".join(text.split())[:60], keys))


def _only_ancestors(parts: tuple[tuple[str, Compound], ...], compound: Compound) -> bool:
    """Whether ``compound`` sits on the ancestor chain (no sibling combinator to its right)."""
    for comb, other in parts[1:]:
        if comb in ("+", "~"):
            return False
        if other is compound:
            return True
    return True


def _media_kind(query: str) -> str:
    """"always" (every screen), "never" (print or speech only) or "maybe" (some screens)."""
    kinds = set()
    for one in _split_list(query.lower()):
        one = " ".join(one.split())
        if not one or _ALWAYS_MEDIA.fullmatch(one):
            kinds.add("always")
        elif re.fullmatch(r"(?:only\s+)?(?:print|speech|aural|braille|embossed|tty|tv|"
                          r"projection|handheld)(?:\s+and\s+.*)?", one) or one.startswith("not "):
            kinds.add("never")
        else:
            kinds.add("maybe")
    return "always" if "always" in kinds else "maybe" if "maybe" in kinds else "never"


def _split_list(text: str) -> list[str]:
    """Split a comma-separated list at the top level (not inside parentheses or brackets)."""
    parts, depth, start = [], 0, 0
    for i, char in enumerate(text):
        if char in "([":
            depth += 1
        elif char in ")]":
            depth = max(0, depth - 1)
        elif char == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [p.strip() for p in parts]


def _unescape(ident: str) -> str:
    if "\\" not in ident:
        return ident
    return _ESCAPE.sub(lambda m: chr(min(int(m.group(1), 16), 0x10FFFF) or 0xFFFD)
                       if m.group(1) else m.group(2), ident)


def parse_selector(text: str) -> tuple[tuple[tuple[str, Compound], ...], int, bool]:
    """(parts right to left, specificity, conditional) of one complex selector.

    Raises Unsupported for what is not read (a pseudo-element, a namespace, a parse error).
    """
    if len(text) > 500:
        raise Unsupported(text[:40])
    compounds: list[tuple[str, Compound]] = []
    pos, combinator, specificity, conditional = 0, "", 0, False
    while pos < len(text):
        space = re.match(r"\s*([>+~])\s*|\s+", text[pos:])
        if space:
            pos += space.end()
            if compounds:
                combinator = space.group(1) or (combinator if combinator.strip() else " ")
            continue
        compound, pos, spec, cond = _compound(text, pos)
        compounds.append((combinator if compounds else "", compound))
        combinator = ""
        specificity += spec
        conditional |= cond
    if not compounds or combinator or len(compounds) > 12:
        raise Unsupported(text[:40])
    # stored right to left, each combinator kept with the compound on its left
    ordered = [("", compounds[-1][1])]
    for i in range(len(compounds) - 2, -1, -1):
        ordered.append((compounds[i + 1][0], compounds[i][1]))
    return tuple(ordered), specificity, conditional


def _compound(text: str, pos: int) -> tuple[Compound, int, int, bool]:
    tag, ids, classes, attrs, nots, anys = None, [], [], [], [], []
    spec, conditional, never, start = 0, False, False, pos
    while pos < len(text) and text[pos] not in " \t\n\r\f>+~":
        char = text[pos]
        if char == "*" and pos == start:
            pos += 1
        elif char in ".#":
            ident = _IDENT.match(text, pos + 1)
            if not ident:
                raise Unsupported(text)
            (ids if char == "#" else classes).append(_unescape(ident.group()))
            spec += 10000 if char == "#" else 100
            pos = ident.end()
        elif char == "[":
            end = text.find("]", pos)
            found = _ATTRIBUTE.fullmatch(text, pos + 1, end) if end > 0 else None
            if not found or "|" in found.group(1):
                raise Unsupported(text)
            value = (found.group(3) or "").strip("\"'")
            attrs.append((found.group(1).lower(), found.group(2) or "", value,
                          (found.group(4) or "").lower() == "i"))
            spec += 100
            pos = end + 1
        elif char == ":":
            pos, spec_add, cond, extra = _pseudo(text, pos)
            spec += spec_add
            conditional |= cond
            if extra == "never":
                never = True
            elif extra == "root":
                tag = tag or "html"
            elif extra == "link":
                attrs.append(("href", "", "", False))
            elif isinstance(extra, tuple):
                (nots if extra[0] == "not" else anys).append(extra[1])
        elif (ident := _IDENT.match(text, pos)) and pos == start:
            tag = _unescape(ident.group()).lower()
            spec += 1
            pos = ident.end()
        else:
            raise Unsupported(text)
    flat_nots = tuple(c for group in nots for c in group)
    return (Compound(tag, tuple(ids), tuple(classes), tuple(attrs), flat_nots, tuple(anys),
                     never), pos, spec, conditional)


def _pseudo(text: str, pos: int) -> tuple[int, int, bool, object]:
    """Read a pseudo-class at ``pos``: (end, specificity, conditional, what it requires)."""
    element = text.startswith("::", pos)
    ident = _IDENT.match(text, pos + (2 if element else 1))
    if not ident:
        raise Unsupported(text)
    name, end = ident.group().lower(), ident.end()
    if element or name in _PSEUDO_ELEMENTS:
        raise Unsupported(text)  # generated content, not the element's text
    argument = None
    if end < len(text) and text[end] == "(":
        depth, close = 0, end
        for close in range(end, len(text)):
            depth += {"(": 1, ")": -1}.get(text[close], 0)
            if depth == 0:
                break
        else:
            raise Unsupported(text)
        argument, end = text[end + 1:close], close + 1
    if name == "root":
        return end, 100, False, "root"
    if name == "empty":
        return end, 100, False, "never"
    if name in ("link", "any-link"):
        return end, 100, False, "link"
    if name in _LISTS and argument is not None:
        group = []
        best = 0
        for part in _split_list(argument):
            compound, stop, spec, cond = _compound(part, 0)
            if stop != len(part) or cond:
                raise Unsupported(text)  # a complex or conditional argument
            group.append(compound)
            best = max(best, spec)
        kind = "not" if name == "not" else "any"
        return end, 0 if name == "where" else best, False, (kind, tuple(group))
    return end, 100, True, None  # :hover, :checked, :nth-child(…): only some of the time


def _compound_matches(compound: Compound, element: Element) -> bool:
    if compound.never or (compound.tag and compound.tag != element.tag):
        return False
    attrs = element.attrs
    if compound.ids and any(attrs.get("id") != i for i in compound.ids):
        return False
    if compound.classes and not element.classes.issuperset(compound.classes):
        return False
    for name, op, value, fold in compound.attrs:
        if name not in attrs:
            return False
        if op and not _attribute_test(op, attrs[name], value, fold):
            return False
    if any(_compound_matches(c, element) for c in compound.nots):
        return False
    return all(any(_compound_matches(c, element) for c in group) for group in compound.anys)


def _attribute_test(op: str, actual: str, value: str, fold: bool) -> bool:
    if fold:
        actual, value = actual.lower(), value.lower()
    if op == "=":
        return actual == value
    if op == "~=":
        return value in actual.split()
    if op == "|=":
        return actual == value or actual.startswith(value + "-")
    if not value:
        return False
    return {"^=": actual.startswith, "$=": actual.endswith, "*=": actual.__contains__}[op](value)


def _matches(parts: tuple[tuple[str, Compound], ...], i: int, element: Element,
             ancestors: Sequence[Element], top: int, sheet: Stylesheet) -> bool:
    """Whether parts[i:] match ``element``, whose ancestors are ``ancestors[:top + 1]``.

    Greedy: the nearest ancestor that fits a descendant combinator is taken (exact for chains
    of descendants, which is what pages write).
    """
    sheet.budget -= 1
    if not _compound_matches(parts[i][1], element):
        return False
    if i + 1 == len(parts):
        return True
    combinator = parts[i + 1][0]
    if combinator in (" ", ">"):
        low = max(-1, top - _MAX_DEPTH) if combinator == " " else top - 1
        for k in range(top, low, -1):
            if _compound_matches(parts[i + 1][1], ancestors[k]):
                return _matches(parts, i + 1, ancestors[k], ancestors, k - 1, sheet)
        return False
    if top < 0:
        return False
    parent = ancestors[top]
    if combinator == "+":
        before = [parent.last_kid] if parent.last_kid else []
    else:  # the latest earlier siblings that have the key the compound needs
        before = parent.kids_by_key.get(parts[i + 1][1].key(), [])[-_MAX_SIBLINGS:][::-1]
    return any(_matches(parts, i + 1, sibling, ancestors, top, sheet) for sibling in before)
