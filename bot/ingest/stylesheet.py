"""A page's ``<style>`` rules, matched against its elements: enough CSS to see what it hides.

Selectors are :mod:`bot.ingest.css_selectors`'. A rule that applies only on some screens
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
from bot.ingest.css_selectors import (
    Budget,
    Element,
    Parts,
    Unsupported,
    matches,
    parse_selector,
    split_list,
)

_COMMENT = re.compile(r"/\*.*?(?:\*/|\Z)", re.S)
_TOKENS = re.compile(r'"(?:[^"\\\n]|\\.)*+"?|\'(?:[^\'\\\n]|\\.)*+\'?|[{};]', re.S)
_ALWAYS_MEDIA = re.compile(r"(?:only\s+)?(?:all|screen)|not\s+(?:print|speech)")
_MAX_RULES = 20_000




@dataclass(frozen=True, slots=True)
class Rule:
    """One selector of a style rule with its declarations; ``text`` names it in findings."""

    parts: Parts
    specificity: int
    order: int
    decls: Declarations
    text: str
    ancestor_keys: frozenset[str]  # keys some open ancestor must have: a cheap first test


@dataclass(slots=True)
class Stylesheet:
    """The rules of a page, indexed by the most selective key of their subject."""

    index: dict[str, dict[object, Rule]] = field(default_factory=dict)
    budget: Budget = field(default_factory=lambda: Budget(400_000))  # compound tests per page
    exhausted: bool = False
    size: int = 0
    order: int = 0
    external: bool = False  # the page links or imports style sheets this one cannot see
    # The key of every compound of every rule, subject or not: an element holding none of them
    # matches no compound, so selectors never need to see it (see ``concerns``).
    keys: set[str] = field(default_factory=set)
    siblings: bool = False  # some rule has "+" or "~": elements keep their children for it

    def __bool__(self) -> bool:
        return self.size > 0

    def add_css(self, css: str, media: str | None = None) -> None:
        """Read the rules of one ``<style>`` block (``media`` is its media attribute)."""
        base = _media_kind(media) if media and media.strip() else "always"
        self.external |= "@import" in css
        if base != "never":
            _Parser(self, base == "maybe").feed(_COMMENT.sub(" ", css))

    def concerns(self, keys: frozenset[str]) -> bool:
        """Whether an element with these lookup keys may matter to some rule: as its subject,
        as an ancestor, or as a sibling (a parent's children are kept only for "+" and "~",
        so with those every element matters)."""
        return self.siblings or "*" in self.keys or not self.keys.isdisjoint(keys)

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
        for combinator, compound in rule.parts:
            self.keys.add(compound.key())
            self.siblings |= combinator in ("+", "~")

    def matching(self, element: Element, ancestors: Sequence[Element],
                 open_keys: Mapping[str, int]) -> list[Rule]:
        """The rules that apply to ``element``, whose open ancestors are ``ancestors`` (parent
        last) holding ``open_keys``, in no particular order."""
        found: list[Rule] = []
        if self.exhausted:
            return found
        for key in element.keys:
            for rule in self.index.get(key, {}).values():
                self.budget.left -= 1
                if all(open_keys.get(k) for k in rule.ancestor_keys) and matches(
                        rule.parts, 0, element, ancestors, len(ancestors) - 1, self.budget):
                    found.append(rule)
        if self.budget.left < 0:
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
        for text in split_list(prelude):
            try:
                parts, specificity, conditional = parse_selector(text)
            except Unsupported:
                continue
            chosen = decls
            if conditional or context == "maybe":
                chosen = {k: v for k, v in decls.items() if not hides_alone(k, v[0])}
            if chosen:
                # compounds before " " or ">" are ancestors (a sibling's are the subject's too)
                keys = frozenset(c.key() for comb, c in parts[1:]
                                 if comb in (" ", ">") and c.key() != "*")
                self.sheet.order += 1
                self.sheet.add_rule(Rule(parts, specificity, self.sheet.order, chosen,
                                         " ".join(text.split())[:60], keys))




def _media_kind(query: str) -> str:
    """"always" (every screen), "never" (print or speech only) or "maybe" (some screens)."""
    kinds = set()
    for one in split_list(query.lower()):
        one = " ".join(one.split())
        if not one or _ALWAYS_MEDIA.fullmatch(one):
            kinds.add("always")
        elif re.fullmatch(r"(?:only\s+)?(?:print|speech|aural|braille|embossed|tty|tv|"
                          r"projection|handheld)(?:\s+and\s+.*)?", one) or one.startswith("not "):
            kinds.add("never")
        else:
            kinds.add("maybe")
    return "always" if "always" in kinds else "maybe" if "maybe" in kinds else "never"




