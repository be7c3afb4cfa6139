"""Read Markdown and plain text: the article's text and title, without an HTML parser.

Markdown is stripped lightly (fences, rules, quotes, links and emphasis markup go; the words stay)
and its opening heading becomes the title; plain text only has its title line split off.
Neither raises on odd input.
"""

from __future__ import annotations

import bisect
import re

from bot.records import Extracted

# The title ends on a non-space (or is one character): the same match as "(.+?)", but the lazy
# group no longer retries the closing "\s+#+" from inside a long run of spaces (quadratic).
MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?\S|.)(?:\s+#+)?\s*$")
MAX_TITLE_CHARS = 200
_SENTENCE_END = ".!?…;:。！？؟۔।"
_CLOSERS = "\"'”’»)]›"
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_RULE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")
_SETEXT = re.compile(r"^\s{0,3}(=+|-{2,})\s*$")
_REF_DEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*\S+")
_QUOTE = re.compile(r"^\s{0,3}(>\s?)+")
# Inline markup, removed in this order. Read as regexes they would be (the reference):
#   <!--.*?-->                                                   comments go
#   !\[[^\]]*\]\([^)]*\)|!\[[^\]]*\]\[[^\]]*\]                         images go
#   \[([^\]]+)\]\([^)]*\)|\[([^\]]+)\]\[[^\]]*\]  ->  \1\2                links keep their text
#   <(https?://[^>\s]+)>  ->  \1
#   `([^`]+)`  ->  \1
#   (\*\*|__)(?=\S)(.+?)(?<=\S)\1  ->  \2
#   (?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?!\w)|(?<!\w)_(?=\S)(.+?)(?<=\S)_(?!\w)  ->  \1\2
#   ~~(.+?)~~  ->  \1
# but a regex retries an unclosed opener from every position, scanning to the end of the line
# each time: "**a " repeated over a 100 KB line took 90 s. The scanners below give the same
# result in linear time; the code and strikethrough regexes are linear as they are.
_CODE = re.compile(r"`([^`]+)`")
_STRIKE = re.compile(r"~~(.+?)~~")
_URL_STOP = re.compile(r"[>\s]")
_WORD_CHAR = re.compile(r"\w")



def extract_markdown(markdown: str) -> Extracted:
    """Markdown stripped lightly to text; the title from an opening or level-1 heading, else the
    front matter's ``title:``."""
    lines = markdown.splitlines()
    front_title = None
    if lines and lines[0].strip() == "---":  # YAML front matter: drop it, remember its title
        end = next(
            (i for i, line in enumerate(lines[1:60], 1) if line.strip() in ("---", "...")), 0
        )
        for line in lines[1:end]:
            if line.lower().startswith("title:"):
                front_title = clean(line[6:].strip().strip("\"'"))
        lines = lines[end + 1 :] if end else lines
    out: list[str] = []
    headings: list[tuple[int, int, str]] = []  # (index in out, level, text)
    fence: str | None = None
    for line in lines:
        marker = _FENCE.match(line)
        if marker and (fence is None or marker.group(1) == fence):
            fence = None if fence else marker.group(1)  # fences go, their code stays as text
            continue
        if fence:
            out.append(line)
        elif _SETEXT.match(line) and out and out[-1].strip():
            headings.append((len(out) - 1, 1 if "=" in line else 2, out[-1].strip()))
        elif _RULE.match(line) or _REF_DEF.match(line):
            out.append("")
        elif heading := MD_HEADING.match(line):
            headings.append((len(out), len(heading.group(1)), _strip_inline(heading.group(2))))
            out.append(headings[-1][2])
        else:
            out.append(_strip_inline(_QUOTE.sub("", line)))
    first = next((i for i, line in enumerate(out) if line.strip()), -1)
    title = None
    for index, level, text in headings:
        if index == first or level == 1:
            title = text
            if index == first:
                out[index] = ""  # an opening heading is the title, not body text
            break
    return Extracted(text="\n".join(out).strip(), title=title or front_title)


def _strip_inline(line: str) -> str:
    line = _strip_comments(line)
    line = _strip_links(line, "![", keep=False)
    line = _strip_links(line, "[", keep=True)
    line = _strip_autolinks(line)
    line = _CODE.sub(r"\1", line)
    line = _strip_strong(line)
    line = _strip_emphasis(line)
    return _STRIKE.sub(r"\1", line)


def _strip_comments(line: str) -> str:
    parts, pos = [], 0
    while (start := line.find("<!--", pos)) >= 0:
        end = line.find("-->", start + 4)
        if end < 0:
            break  # no comment closes after this one, so none after it either
        parts.append(line[pos:start])
        pos = end + 3
    return "".join(parts) + line[pos:]


class _Finder:
    """``line.find(char, start)`` for starts that never decrease, each character scanned once."""

    def __init__(self, line: str) -> None:
        self.line = line
        self.last: dict[str, tuple[int, int]] = {}  # char: (start, what find returned)

    def find(self, char: str, start: int) -> int:
        before, found = self.last.get(char, (len(self.line) + 1, 0))
        if before <= start and (found < 0 or found >= start):
            return found
        found = self.line.find(char, start)
        self.last[char] = (start, found)
        return found


def _strip_links(line: str, opener: str, keep: bool) -> str:
    """Images (``![alt](src)``, ``![alt][ref]``) go; links (``[text](href)``, ``[text][ref]``)
    keep their non-empty text."""
    if opener not in line:
        return line
    finder = _Finder(line)
    parts, pos, search = [], 0, 0
    while (start := line.find(opener, search)) >= 0:
        text = start + len(opener)
        close = finder.find("]", text)
        if close < 0:
            break
        kind = line[close + 1 : close + 2]
        end = finder.find(")" if kind == "(" else "]", close + 2) if kind in ("(", "[") else -1
        if end < 0 or (keep and close == text):
            # Every opener before ``close`` meets the same "]" and fails the same way.
            search = close + 1 if end < 0 else start + 1
            continue
        parts += [line[pos:start], line[text:close] if keep else ""]
        pos = search = end + 1
    return "".join(parts) + line[pos:]


def _strip_autolinks(line: str) -> str:
    parts, pos, search = [], 0, 0
    while (start := line.find("<http", search)) >= 0:
        scheme = 9 if line.startswith("https://", start + 1) else 8
        if scheme == 8 and not line.startswith("http://", start + 1):
            search = start + 1
            continue
        stop = _URL_STOP.search(line, start + scheme)
        end = stop.start() if stop else len(line)
        if end == start + scheme or line[end : end + 1] != ">":
            search = max(end, start + 1)  # openers before ``end`` stop there too, and fail
            continue
        parts += [line[pos:start], line[start + 1 : end]]
        pos = search = end + 1
    return "".join(parts) + line[pos:]


def _occurrences(line: str, mark: str) -> list[int]:
    found, at = [], line.find(mark)
    while at >= 0:
        found.append(at)
        at = line.find(mark, at + 1)
    return found


def _strip_strong(line: str) -> str:
    """``**strong**`` and ``__strong__``: no space inside either mark."""
    marks = {mark: _occurrences(line, mark) for mark in ("**", "__")}
    if not marks["**"] and not marks["__"]:
        return line
    closers = {
        mark: [at for at in found if at and not line[at - 1].isspace()]
        for mark, found in marks.items()
    }
    parts, pos = [], 0
    for start in sorted(marks["**"] + marks["__"]):
        if start < pos or start + 2 >= len(line) or line[start + 2].isspace():
            continue
        ends = closers[line[start : start + 2]]
        k = bisect.bisect_left(ends, start + 3)
        if k < len(ends):
            parts += [line[pos:start], line[start + 2 : ends[k]]]
            pos = ends[k] + 2
    return "".join(parts) + line[pos:]


def _strip_emphasis(line: str) -> str:
    """``*emphasis*`` (not next to another "*" or inside a word) and ``_emphasis_``."""
    size = len(line)

    def word(at: int) -> bool:
        return 0 <= at < size and _WORD_CHAR.match(line, at) is not None

    closers = {
        mark: [
            at for at in _occurrences(line, mark)
            if at and not line[at - 1].isspace() and not word(at + 1)
        ]
        for mark in ("*", "_")
    }
    if not closers["*"] and not closers["_"]:
        return line
    parts, pos = [], 0
    for start in sorted(_occurrences(line, "*") + _occurrences(line, "_")):
        mark = line[start]
        if start < pos or start + 1 >= size or line[start + 1].isspace() or word(start - 1):
            continue
        if mark == "*" and start and line[start - 1] == "*":
            continue
        ends = closers[mark]
        k = bisect.bisect_left(ends, start + 2)
        if k < len(ends):
            parts += [line[pos:start], line[start + 1 : ends[k]]]
            pos = ends[k] + 1
    return "".join(parts) + line[pos:]


def extract_text(text: str) -> Extracted:
    """Plain text with its first line split off as the title when it reads like one."""
    lines = text.splitlines()
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        return Extracted(text=text)
    candidate = lines[first].strip()
    rest = "\n".join(lines[first + 1 :]).strip()
    ending = candidate.rstrip(_CLOSERS + " \u00a0\u202f")[-1:]  # « non. » ends in "."
    titled = any(ch.isalpha() for ch in candidate)  # "{", "---", "2024-11-20" are not titles
    if rest and titled and len(candidate) <= MAX_TITLE_CHARS and ending not in _SENTENCE_END:
        return Extracted(text=rest, title=candidate)
    return Extracted(text=text)


def clean(value: str | None) -> str | None:
    """``value`` on one line with runs of whitespace collapsed; None when nothing is left."""
    value = " ".join((value or "").split())
    return value or None
