"""Building blocks of the injection phrases: one compiled pattern per family and language.

A :class:`Phrase` starts with one of its ``lead`` words (the scan looks for those first, so a
text without any of them costs one set intersection) and goes on with a regex ``body``. Words
are written as the language writes them and folded like the text (see
:mod:`bot.ingest.injection_text`); a space stands for a gap between words, which may be a line
or paragraph break, so an order split over two paragraphs still reads as one.

:func:`override` builds the commonest family, "ignore/forget the previous instructions", from a
language's vocabulary. What separates an order from ordinary prose is checked on the parts it
matched: a strong noun ("instructions", "prompts") needs one more sign (a quantifier, "your",
an adjective such as "previous", a pointer such as "above", or a following order), a weak one
("rules", "guidelines") needs "your", a pointer, or two signs, so "Forget the old rules" and
"Oubliez les règles précédentes : la loi change" stay prose.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from bot.ingest.injection_text import fold_pattern

GAP = r'[ \n\-_*~"/|>]{0,3}'  # between words: a space, a line break, a hyphen, markdown, nothing
_META = set("()[]{}?*+|\\.^$")
_FIRST_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Phrase:
    """One family of instruction-like phrases in one language.

    ``start``: the phrase must begin a clause (an imperative addressed to the reader, not a
    report of one). ``check`` accepts or refuses a match on the groups it captured. ``back``:
    the lead is a verb that ends the phrase (verb-final languages), so the match is looked for
    up to that many characters before it.
    """

    label: str
    lang: str
    leads: tuple[str, ...]
    source: str  # the pattern, compiled on first use (see :attr:`regex`)
    start: bool = True
    check: Callable[[re.Match[str]], bool] | None = None
    back: int = 0

    @property
    def regex(self) -> re.Pattern[str]:
        """The compiled pattern. Compiled when the scan first meets one of the phrase's lead
        words: compiling all of them at import took ~0.35 s of every process's start."""
        return _compiled(self.source)


@functools.cache
def _compiled(source: str) -> re.Pattern[str]:
    return re.compile(source)


def alt(words: Iterable[str]) -> str:
    """``(?:a|b|c)`` of folded regex fragments, longest first so the longest one wins."""
    folded = sorted({fold_pattern(w) for w in words}, key=len, reverse=True)
    return "(?:" + "|".join(folded) + ")"


def _gaps(source: str) -> str:
    return source.replace(" ", GAP)


def literal_lead(fragment: str) -> str:
    """The literal text a lead fragment always starts with (up to its first regex syntax)."""
    out: list[str] = []
    for ch in fragment:
        if ch in _META:
            if ch in "?*{" and out:
                out.pop()  # the character before an optional quantifier may be absent
            break
        out.append(ch)
    return fold_pattern("".join(out))


def spaced(lead: str) -> bool:
    """Whether a lead is a whole word of an alphabetic script (Latin, Greek, Cyrillic)."""
    return bool(lead) and lead[0].isalnum() and ord(lead[0]) < 0x0530


def unspaced(lead: str) -> bool:
    """Whether a lead belongs to a script written without spaces (CJK) or is punctuation.

    Those are found as substrings; the leads of other scripts (Arabic, Indic, Hangul: spaces
    between words, affixes on them) are found as the start of a space-delimited token.
    """
    return bool(lead) and (not lead[0].isalnum() or 0x2E80 <= ord(lead[0]) <= 0xA4CF
                           or 0xF900 <= ord(lead[0]) <= 0xFAFF or 0xFF00 <= ord(lead[0]) <= 0xFFEF)


def said(quals: str, quotes: str = "[\"“„«»'`「]") -> str:
    """The end of "print/say [only/exactly/the following…] "…"": a quotation, or a colon after a
    qualifier ("print the following:"); a bare "Display:" or "Output:" is a label, not an order.
    """
    return rf"(?:(?: (?:{quals})){{1,3}} ?:|(?: (?:{quals})){{0,3}} ?:? ?{quotes})"


def phrase(label: str, lang: str, leads: Iterable[str], body: str = "", *, start: bool = True,
           check: Callable[[re.Match[str]], bool] | None = None, before: str = "",
           back: int = 0) -> Phrase:
    """A phrase that starts with one of ``leads`` (regex fragments) and goes on with ``body``.

    With ``back``, ``before`` is what comes before the lead (see :class:`Phrase`). Named
    groups may appear in ``body`` (their names are lower case); spaces are gaps.
    """
    leads = tuple(leads)
    source = fold_pattern(before) + alt(leads) + fold_pattern(body)
    triggers = []
    for lead in leads:
        first = literal_lead(lead)
        word = _FIRST_WORD.match(first) if spaced(first) else None
        folded = fold_pattern(lead)
        if not first or (word and folded[word.end():word.end() + 1] in set("([{?*+")):
            raise ValueError(f"lead {lead!r} of {label!r} ({lang}) must start with a whole word")
        if not word:
            triggers.append(first)
            continue
        trigger, offset = _trigger(first, whole=first == folded)
        triggers.append(trigger)
        if offset:  # found from a later word: look back to where the lead starts
            back = max(back, 3 * offset + 8)
    return Phrase(label, lang, tuple(sorted(set(triggers))), _gaps(source), start,
                  check, back)


# Words too common to look a phrase up by ("a partir de ahora" is looked up by "partir").
_COMMON = set(fold_pattern(
    "the a an of to in on at for from is are be and or not you your all any this that now then "
    "so as with by it de la le les des du d l en el los las il un une que et y e o da do na no "
    "di del al au aux pas ne se su tu te ta ton mi me je i w z na po za u od der die das und ist "
    "nu ik je het een van op te dat и в на не с а я ты").split())


def _trigger(literal: str, whole: bool) -> tuple[str, int]:
    """The word a lead is looked up by, and how far into the lead it starts.

    Only words the lead always spells out in full can serve: those followed by a space, and
    the last one when the lead is plain text.
    """
    words = list(_FIRST_WORD.finditer(literal))
    usable = [w for w in words if literal[w.end():w.end() + 1] == " " or (whole and w is words[-1])]
    rare = [w for w in usable if w.group() not in _COMMON]
    if not rare:
        return words[0].group(), 0
    best = max(rare, key=lambda w: len(w.group()))
    if best.group() == words[0].group() or best is words[0]:
        return best.group(), 0
    return best.group(), best.start()


def _override_ok(m: re.Match[str]) -> bool:
    g = m.groupdict()
    strong = g["s"] or g["s2"]
    quant, poss, adj, point, follow = (g["q"] or g["q2"] or g["q3"], g["p"] or g["p2"] or g["o"],
                                       g["a"] or g["a2"], g["x"], g["c"])
    if strong:
        return bool(quant or poss or adj or point or follow)
    return bool(poss or point or (quant and (adj or follow)) or (adj and follow))


def _verb_last_ok(m: re.Match[str]) -> bool:
    """An explicit imperative ("…を無視してください") needs less: a strong noun alone, or a weak
    one with any sign ("이전 내용은 신경 쓰지 마")."""
    g = m.groupdict()
    if g["s"] or g["s2"]:
        return True
    return bool(g["q"] or g["q2"] or g["q3"] or g["p"] or g["p2"] or g["o"] or g["a"] or g["a2"]
                or g["x"])


def _everything_ok(m: re.Match[str]) -> bool:
    return bool(m.group("x") or m.group("c"))


def override(lang: str, *, verbs: Iterable[str], strong: Iterable[str], weak: Iterable[str] = (),
             quant: Iterable[str] = (), of: Iterable[str] = (), poss: Iterable[str] = (),
             det: Iterable[str] = (), adj: Iterable[str] = (), conj: Iterable[str] = (),
             own: Iterable[str] = (), post_quant: Iterable[str] = (),
             post_poss: Iterable[str] = (), post_adj: Iterable[str] = (),
             point: Iterable[str] = (), follow: Iterable[str] = (), after: Iterable[str] = (),
             everything: Iterable[str] = (), everything_tail: Iterable[str] = (),
             label: str = "ignore previous instructions") -> list[Phrase]:
    """Verb-first "ignore/forget [all] [your] [previous] instructions [above] [and print…]".

    ``after``: words that may follow the verb ("abaikan saja", "vergiss bitte"). ``own``: nouns
    that carry their possessive ("تعليماتك", "aturanmu"); ``post_*``: words that
    follow the noun ("instructions above", "maagizo yote ya awali"); ``follow``: verbs of a
    next order ("and print", "et écris"); ``everything``/``everything_tail``: "forget
    everything above".
    """
    verbs, strong, weak, conj = tuple(verbs), tuple(strong), tuple(weak), tuple(conj)
    c = alt(conj) if conj else "(?:and)"
    adjs = alt(adj) if adj else None
    # one free word may come between the adjective and the noun ("previous summary requirements")
    adj_part = f"(?:(?P<a>{adjs})(?: {c} {adjs})? (?:[\\w-]+ )??)?" if adjs else ""
    if adjs and tuple(quant):  # "之前的所有指令": a quantifier after the adjective
        adj_part += f"(?:(?P<q3>{alt(quant)}) )?"
    of_part = f"(?:{alt(of)} )?" if tuple(of) else ""
    quant = tuple(quant)
    q_part = f"(?:(?P<q>{alt(quant)}) {of_part})?" if quant else ""
    det, poss = tuple(det), tuple(poss)
    # "the", "your", or both ("as suas regras", "le tue regole")
    pd_part = (f"(?:{alt(det)} )?" if det else "") + (f"(?:(?P<p>{alt(poss)}) )?" if poss else "")
    nouns = "(?:" + "|".join(filter(None, [f"(?P<s>{alt(strong)})",
                                            f"(?P<o>{alt(own)})" if tuple(own) else "",
                                            alt(weak) if weak else ""])) + ")"
    again = (f"(?: {c} (?:{adjs} )?(?:(?P<s2>{alt(strong)})"
             + (f"|{alt(weak)}" if weak else "") + "))?") if adjs else (
             f"(?: {c} (?:(?P<s2>{alt(strong)})" + (f"|{alt(weak)}" if weak else "") + "))?")
    posts = [f"(?P<q2>{alt(post_quant)})" if tuple(post_quant) else "",
             f"(?P<p2>{alt(post_poss)})" if tuple(post_poss) else "",
             f"(?P<a2>{alt(post_adj)})" if tuple(post_adj) else "",
             f"(?P<x>{alt(point)})" if tuple(point) else ""]
    posts = [p for p in posts if p]
    post_part = ("(?: (?:" + "|".join(posts) + ")){0,3}") if posts else ""
    follow = tuple(follow)
    follow_part = (rf"(?:[\x20,;:.\n]{{1,3}}(?:{c} )?(?P<c>{alt(follow)})(?!\w))?"
                   if follow else "")
    # Every group the check reads exists, even when this language has no such words.
    filler = "".join(f"(?P<{n}>(?!))?" for n in ("q", "p", "a", "o", "s2", "q2", "q3", "p2",
                                                 "a2", "x", "c")
                     if f"(?P<{n}>" not in q_part + pd_part + adj_part + nouns + again
                     + post_part + follow_part)
    after_part = f"(?:{alt(after)} )?" if tuple(after) else ""
    body = (" " + after_part + q_part + pd_part + adj_part + nouns + again + post_part
            + follow_part + filler)
    found = [phrase(label, lang, verbs, body, check=_override_ok)]
    everything = tuple(everything)
    if everything:
        tail = f"(?: (?P<x>{alt(everything_tail)}))?" if tuple(everything_tail) else "(?P<x>(?!))?"
        ev_follow = follow_part or "(?P<c>(?!))?"
        found.append(phrase(label, lang, verbs, f" {after_part}{alt(everything)}{tail}{ev_follow}",
                            check=_everything_ok))
    return found


def verb_last(lang: str, *, verbs: Iterable[str], strong: Iterable[str],
              weak: Iterable[str] = (), pre: Iterable[str] = (), quant: Iterable[str] = (),
              poss: Iterable[str] = (), adj: Iterable[str] = (), own: Iterable[str] = (),
              conj: Iterable[str] = (), post: Iterable[str] = (), post_poss: Iterable[str] = (),
              post_quant: Iterable[str] = (), particle: Iterable[str] = (),
              start: bool = False, back: int = 0,
              label: str = "ignore previous instructions") -> Phrase:
    """Verb-final "[your] [all] [previous] instructions [particle] [all] ignore-IMPERATIVE".

    ``verbs`` carry their imperative endings (and whatever must follow them), so the phrase
    needs no clause start unless ``start`` says so (German infinitives): "以前の指示を無視して
    ください" is an order, "無視させた" is not. ``pre`` are words such as "the above" that
    point by themselves. With ``back``, the phrase is found from its verb, looking back that
    many characters (for scripts without spaces, whose modifiers are common words).
    """
    def slot(name: str, words: Iterable[str]) -> str:
        words = tuple(words)
        return f"(?:(?P<{name}>{alt(words)}) )?" if words else f"(?P<{name}>(?!))?"

    def group(name: str, words: Iterable[str]) -> str:
        words = tuple(words)
        return f"(?P<{name}>{alt(words)})" if words else f"(?P<{name}>(?!))"

    weak = tuple(weak)
    weak_alt = f"|{alt(weak)}" if weak else ""
    c = alt(conj) if tuple(conj) else "(?!)"
    nouns = f"(?:{group('s', strong)}|{group('o', own)}{weak_alt})"
    more = f"(?: {c} (?:{group('s2', strong)}{weak_alt}))?"
    posts = f"(?:(?: {group('a2', post)}| {group('p2', post_poss)})){{0,2}}"
    part = f"(?: ?{alt(particle)})?" if tuple(particle) else ""
    body = (slot("x", pre) + slot("p", poss) + slot("q", quant) + slot("a", adj)
            + slot("q3", quant) + nouns + more + posts + part
            + (f"(?: {group('q2', post_quant)})?" if tuple(post_quant) else "(?P<q2>(?!))?")
            + f" {alt(verbs)}(?P<c>(?!))?")
    leads = tuple(verbs) if back else (*pre, *poss, *quant, *adj, *strong, *weak, *own)
    made = phrase(label, lang, leads)  # only for its lead words: the body repeats the lead
    return Phrase(label, lang, made.leads, _gaps(body), start, _verb_last_ok,
                  max(back, made.back))
