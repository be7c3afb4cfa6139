"""What to say about hidden text: orders to a model, and prose that reads like an article.

Everything else that is hidden (comments, menus, cookie notices, screen-reader labels, tracking
code) is routine markup, removed without a word.
"""

from __future__ import annotations

import html as htmllib
import re
from collections import Counter

from bot.ingest.injection import INVISIBLE, excerpt, has_instruction, instruction_phrases
from bot.ingest.visibility import ROUTINE

_COMMENTS = re.compile(r"<!--.*?(?:--!?>|\Z)", re.S)
_COMMENT_MARKS = re.compile(r"<!--|--!?>")  # dropped to read what a hidden comment says
_RAW_BLOCKS = re.compile(r"<(script|style|textarea|xmp|iframe|noembed|noframes|noscript)\b.*?"
                         r"(?:</\1\s*>|\Z)", re.S | re.I)
_TAGS = re.compile(r"<(/?)([a-zA-Z][^\s/>]*)?[^>]*>?")
_NOT_LETTERS = re.compile(r"[\W\d_]+")
# Elements that start a new line of text (inline ones join their words).
_BREAKS = frozenset([
    "address", "article", "aside", "blockquote", "body", "br", "button", "caption", "dd",
    "details", "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form",
    "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html", "img", "label", "legend",
    "li", "main", "menu", "nav", "ol", "option", "p", "pre", "section", "summary", "table", "td",
    "th", "tr", "ul"])


def review(page: str, removals: list[tuple[int, int, str]]
            ) -> tuple[list[tuple[int, int]], list[str]]:
    """The ranges of ``removals`` to cut from ``page`` and the findings to report (at most ten):
    instruction-like text in anything removed, hidden article-like prose, and hidden text
    that holds most of the page (kept: a script shows it)."""
    # One text of everything removed, a line break between the parts: an order split over
    # several hidden parts is still read, and parts do not run into each other.
    every = "\n<br>\n".join(page[start:end] for start, end, _ in removals)
    any_hit = has_instruction(visible_text(_COMMENT_MARKS.sub(" ", every)))
    texts: dict[int, str] = {}
    injections: list[str] = []
    for count, (start, end, reason) in enumerate(removals):
        if any_hit and count < 2000:
            texts[count] = text = visible_text(_COMMENT_MARKS.sub(" ", page[start:end]))
            injections += [f"instruction aimed at AI models in hidden HTML ({reason}, removed; "
                           f'{tag}): "{quote}"' for tag, quote in instruction_phrases(text)[:1]]
    if any_hit and not injections:  # an order split over several hidden parts
        joined = visible_text(_COMMENT_MARKS.sub(" ", every))
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
            text = texts.get(count) or visible_text(_COMMENT_MARKS.sub(" ", chunk))
            if _article_like(text) and not _mostly_links(chunk):
                plain.append(f'hidden text removed ({reason}): "{excerpt(text, 0, len(text))}"')
    return cuts, injections[:5] + plain[:5]


def _script_revealed(page: str, removals: list[tuple[int, int, str]]) -> set[tuple[str, str]]:
    """(reason, text) of each kind of hiding whose article-like text holds a third of the
    page's letters or more: a script shows it (an article body revealed on load), so it is
    kept."""
    sizes: Counter[str] = Counter()
    for start, end, reason in removals:
        if reason not in ROUTINE:
            sizes[reason] += end - start
    page_letters = -1
    kept: set[tuple[str, str]] = set()
    for reason, size in sizes.items():
        if size < 400:
            continue
        if page_letters < 0:
            page_letters = _letters(visible_text(page))
        if size * 3 <= page_letters:
            continue  # even all markup, it cannot be a third of the page's letters
        text = " ".join(visible_text(page[s:e]) for s, e, r in removals if r == reason)
        if _letters(text) * 3 > page_letters and _article_like(text):  # not a big menu
            kept.add((reason, text))
    return kept


def visible_text(chunk: str) -> str:
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
