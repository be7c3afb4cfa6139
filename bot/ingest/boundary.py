"""Find text that imitates the edge of a data block: fake delimiters aimed at a language model.

The article reaches models between boundary tags it cannot know (see :mod:`bot.prompts`), so a
forged ``</article>`` cannot end the block; but text that tries to is an attack all the same,
and moderators should see it. Found here, on a folded copy of the text (NFKC, casefold,
diacritics and zero-width characters dropped, angle-bracket and slash look-alikes mapped):

- opening or closing article/document/data/system/instruction tags, in any case and spacing,
  with or without attributes (``</ARTICLE >``, ``＜／article＞``, ``<data-7f3a>``), and the same
  in square brackets (``[/article]``, ``[INST]``);
- chat-template markers: ``<|im_end|>``, ``<|eot_id|>``, ``</s>``, ``<</SYS>>``, ``<end_of_turn>``;
- lines that announce the end of the data ("END OF ARTICLE", "--- fin de l'article ---") when
  instructions follow them, and lines that announce the start of new instructions.

Ordinary HTML remnants (``</p>``, ``<br>``, ``<div class=…>``) are not boundaries and stay quiet.
"""

from __future__ import annotations

import itertools
import re
import unicodedata

from bot.ingest.injection import excerpt, has_instruction

LABEL = "instruction aimed at AI models (fake data boundary)"  # the moderators' card reads this
_MAX_FINDINGS = 5
_MAX_CANDIDATES = 40

# Characters that render as <, > or / (full-width, small, angle quotation marks, math brackets),
# and the apostrophes and dashes of typeset text.
_LOOKALIKES = dict(zip("‹〈〈⟨˂ᐸ≺❮›〉〉⟩˃ᐳ≻❯∕⁄⧸╱⟋’‘ʼ‐‑‒–—―−",
                       "<<<<<<<<>>>>>>>>/////'''-------", strict=True))
_DROPPED = {"Mn", "Me", "Cf", "Cc"}


class _FoldTable(dict[int, str]):
    """str.translate table filled on first sight of each character."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        if char in "\n\r\x0b\x0c\x85\u2028\u2029":
            folded = "\n"
        elif char.isspace():
            folded = " "
        else:
            base = unicodedata.normalize("NFKC", char).casefold()
            folded = "".join(_LOOKALIKES.get(c, c) for c in unicodedata.normalize("NFKD", base)
                             if unicodedata.category(c) not in _DROPPED)
        if len(self) < 20_000:  # bounded even when a text spans all of Unicode
            self[code] = folded
        return folded


_FOLD = _FoldTable()

# Names a data or role block goes by; HTML's own block elements (p, div, span…) are not here.
_NAMES = (r"(?:article|articles|document|documents|doc|data|system|sys|system[_-]?prompt|"
          r"instructions?|untrusted[\w-]*|user[_-]?(?:input|content|data)|user|assistant|human|"
          r"context|news[_-]?article|article[_-]?(?:text|body|content))")
_TAG = (rf"<\s*/?\s*{_NAMES}(?:[-_:.][\w:.-]*)?(?:\s[^<>\n]{{0,200}})?\s*/?\s*>"
        rf"|\[\s*/?\s*(?:{_NAMES}|inst)\s*\]")
_CHAT = (r"<\|[^\s<>|]{2,40}\|>|<\s*/\s*s\s*>|<<\s*/?\s*sys\s*>>|<\s*/?\s*(?:start|end)_of_turn\s*>"
         r"|<\s*(?:bos|eos)\s*>")
# A line of its own, decoration aside, that says the data ends here.
_DECOR = r"[ \-=_*#~\[\](){}<>|/.:!»«\"'+]*"
_END_PHRASES = (
    r"(?:end|close|closing) of (?:the )?(?:article|document|text|input|data|content|story|context"
    r"|news (?:article|story)|article text|(?:user|untrusted) (?:input|content|data|text))"
    r"|(?:article|document|text|input|data|content|story) (?:ends|ended|is over|finished)"
    r"(?: here)?|end (?:article|document|text|input|data)"
    r"|fin (?:de l'|du |des )(?:article|document|texte|contenu|donnees)"
    r"|ende (?:des|der) (?:artikels?|dokuments?|textes?|eingabe|daten)|artikelende|textende"
    r"|fin del? (?:la )?(?:articulo|documento|texto|contenido)"
    r"|fine (?:dell'|del )(?:articolo|documento|testo)|fim do (?:artigo|documento|texto|conteudo)"
    r"|einde (?:van (?:het|de) )?(?:artikel|document|tekst)|конец (?:статьи|документа|текста)"
    r"|(?:記事|本文)の?(?:終わり|終了)|(?:文章|正文|文档|文檔)(?:结束|結束|完)")
_START_PHRASES = (
    r"(?:begin|beginning|start) (?:of )?(?:the )?(?:new |real |actual |hidden )?(?:system"
    r"(?: prompt| message| instructions)?|instructions|assistant(?: response)?|response)")
_LINE = re.compile(rf"(?m)^{_DECOR}(?:(?P<end>{_END_PHRASES})|(?P<start>{_START_PHRASES}))"
                   rf"{_DECOR}$")
_MARK = re.compile(f"(?P<mark>{_TAG}|{_CHAT})")
# After an end-of-data line: a role label or an order to the model starts the next line.
_ORDER = re.compile(
    r"\s*(?:(?:system|assistant|user|human|ai|instructions?|new instructions?|new task|task|"
    r"prompt|note|nota|hinweis|consignes?|anweisungen?|instrucciones)\s*:|(?:ignore|disregard|"
    r"forget|summari[sz]e|respond|reply|output|print|return|answer|mark|rate|classify|label|"
    r"translate|repeat|now|from now on)\b)")


def find_boundary_forgeries(text: str) -> list[str]:
    """Passages of ``text`` that imitate a data or role boundary, one line each (at most five).

    Each finding reads ``instruction aimed at AI models (fake data boundary): "…"`` with an
    excerpt of at most 80 characters. A chat-template marker that the injection scan of the same
    text reports already is left to it, so one marker is not warned about twice.
    """
    if not text:
        return []
    try:
        return [f'{LABEL}: "{quote}"' for quote in _forgeries(text)]
    except Exception:  # never let detection break a check; the block's boundary still holds
        return []


def _forgeries(text: str) -> list[str]:
    folded = text.translate(_FOLD)
    if not (_MARK.search(folded) or _LINE.search(folded)):
        return []
    folded, index = _fold_with_map(text)
    spans: list[tuple[int, int]] = []
    # Each candidate costs an injection scan: a text of thousands of them is judged on the first.
    for match in itertools.islice(_MARK.finditer(folded), _MAX_CANDIDATES):
        if not has_instruction(match.group()):  # the injection scan reports it otherwise
            spans.append(match.span())
    for match in itertools.islice(_LINE.finditer(folded), _MAX_CANDIDATES):
        if has_instruction(match.group()):  # "begin system prompt": the injection scan has it
            continue
        if match.group("start") or _instructions_follow(folded, match.end()):
            spans.append(match.span())
    found: list[str] = []
    for start, end in sorted(spans):
        quote = excerpt(text, index[start], index[end - 1] + 1)
        if quote not in found:
            found.append(quote)
        if len(found) == _MAX_FINDINGS:
            break
    return found


def _instructions_follow(folded: str, end: int) -> bool:
    rest = folded[end:end + 1000].lstrip()
    return bool(rest) and (bool(_ORDER.match(rest)) or has_instruction(rest))


def _fold_with_map(text: str) -> tuple[str, list[int]]:
    """The folded text and, for each of its characters, the index it came from in ``text``."""
    out: list[str] = []
    index: list[int] = []
    for i, char in enumerate(text):
        piece = _FOLD[ord(char)]
        out.append(piece)
        index.extend([i] * len(piece))
    index.append(len(text))
    return "".join(out), index
