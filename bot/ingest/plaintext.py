"""Read Markdown and plain text: the article's text and title, without an HTML parser.

Markdown is stripped lightly (fences, rules, quotes, links and emphasis markup go; the words stay)
and its opening heading becomes the title; plain text only has its title line split off.
Neither raises on odd input.
"""

from __future__ import annotations

import re

from bot.records import Extracted

MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.+?)(?:\s+#+)?\s*$")
MAX_TITLE_CHARS = 200
_SENTENCE_END = ".!?…;:。！？؟۔।"
_CLOSERS = "\"'”’»)]›"
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_RULE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")
_SETEXT = re.compile(r"^\s{0,3}(=+|-{2,})\s*$")
_REF_DEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*\S+")
_QUOTE = re.compile(r"^\s{0,3}(>\s?)+")
_INLINE = (
    (re.compile(r"<!--.*?-->", re.DOTALL), ""),
    (re.compile(r"!\[[^\]]*\]\([^)]*\)|!\[[^\]]*\]\[[^\]]*\]"), ""),  # images go
    (re.compile(r"\[([^\]]+)\]\([^)]*\)|\[([^\]]+)\]\[[^\]]*\]"), r"\1\2"),  # links keep text
    (re.compile(r"<(https?://[^>\s]+)>"), r"\1"),
    (re.compile(r"`([^`]+)`"), r"\1"),
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),
    (
        re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?!\w)|(?<!\w)_(?=\S)(.+?)(?<=\S)_(?!\w)"),
        r"\1\2",
    ),
    (re.compile(r"~~(.+?)~~"), r"\1"),
)


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
    for pattern, replacement in _INLINE:
        line = pattern.sub(replacement, line)
    return line


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
