"""CSS selectors: read one, and test it against an element and its open ancestors.

Read: type, ``.class``, ``#id``, ``*``, attribute tests (``[a]``, ``[a=v]``, ``~=``, ``^=``,
``$=``, ``*=``, ``|=``, with ``i``), compounds of these, ``:root``, ``:not()``, ``:is()`` and
``:where()`` of compounds, ``:link``, ``:empty`` and the four combinators. Other pseudo-classes
(``:hover``, ``:checked``, ``:nth-child``…) make a selector *conditional*: it applies to some
readers at some moments only, and the caller lets such a rule reveal text, never hide it.
Pseudo-elements and namespaces are not read (``Unsupported``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

_IDENT = re.compile(r"-?(?:[_a-zA-Z\u0080-\U0010ffff]|\\[0-9a-fA-F]{1,6}\s?|\\[^\n0-9a-fA-F])"
                    r"(?:[\w\-\u0080-\U0010ffff]|\\[0-9a-fA-F]{1,6}\s?|\\[^\n0-9a-fA-F])*")
_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})\s?|\\(.)", re.S)
_ATTRIBUTE = re.compile(r"\s*([^\s~|^$*=\]]+)\s*(?:([~|^$*]?=)\s*(\"[^\"]*\"|'[^']*'|[^\s\]]+)"
                        r"\s*([is])?\s*)?", re.I)
_PSEUDO_ELEMENTS = frozenset(["before", "after", "first-line", "first-letter", "selection",
                              "placeholder", "marker", "backdrop", "file-selector-button",
                              "cue", "part", "slotted", "spelling-error", "grammar-error"])
_LISTS = frozenset(["is", "where", "matches", "-webkit-any", "-moz-any", "not"])
_MAX_DEPTH = 256  # ancestors looked at when matching one selector
_MAX_SIBLINGS = 32  # earlier siblings looked at for one "~"
Parts = tuple[tuple[str, "Compound"], ...]  # right to left: ("", subject), (combinator, …)…


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
        return cls(tag, attrs, *lookup_keys(tag, attrs))


def lookup_keys(tag: str, attrs: dict[str, str]) -> tuple[frozenset[str], frozenset[str]]:
    """(classes, lookup keys) of the element ``<tag attrs…>``: the keys are what
    :meth:`Compound.key` may name (tag, ``*``, ``.class``, ``[attribute``, ``#id``)."""
    classes = frozenset(attrs.get("class", "").split())
    keys = {tag, "*", *("." + c for c in classes), *("[" + a for a in attrs)}
    if attrs.get("id"):
        keys.add("#" + attrs["id"])
    return classes, frozenset(keys)


@dataclass(slots=True)
class Budget:
    """How many more compound tests a page may cost; matching stops when it runs out."""

    left: int


def split_list(text: str) -> list[str]:
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


def parse_selector(text: str) -> tuple[Parts, int, bool]:
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
        for part in split_list(argument):
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


def matches(parts: Parts, i: int, element: Element, ancestors: Sequence[Element], top: int,
            budget: Budget) -> bool:
    """Whether parts[i:] match ``element``, whose ancestors are ``ancestors[:top + 1]``.

    Greedy: the nearest ancestor that fits a descendant combinator is taken (exact for chains
    of descendants, which is what pages write).
    """
    budget.left -= 1
    if not _compound_matches(parts[i][1], element):
        return False
    if i + 1 == len(parts):
        return True
    combinator = parts[i + 1][0]
    if combinator in (" ", ">"):
        low = max(-1, top - _MAX_DEPTH) if combinator == " " else top - 1
        for k in range(top, low, -1):
            if _compound_matches(parts[i + 1][1], ancestors[k]):
                return matches(parts, i + 1, ancestors[k], ancestors, k - 1, budget)
        return False
    if top < 0:
        return False
    parent = ancestors[top]
    if combinator == "+":
        before = [parent.last_kid] if parent.last_kid else []
    else:  # the latest earlier siblings that have the key the compound needs
        before = parent.kids_by_key.get(parts[i + 1][1].key(), [])[-_MAX_SIBLINGS:][::-1]
    return any(matches(parts, i + 1, sibling, ancestors, top, budget) for sibling in before)
