"""Find text aimed at a language model inside an article.

``find_injections`` looks for the families of orders that public prompt-injection collections
are made of (ignore/forget the previous instructions, you are now…/act as/pretend, new
instructions and system prompts, print or say exactly…, reveal your system prompt, mark the
claims as true, notes addressed to AI systems, chat-template role markers) in some twenty
languages, each written in its own script (see :mod:`bot.ingest.injection_phrases` and
:mod:`bot.ingest.injection_phrases_world`), on a folded copy of the text
(:mod:`bot.ingest.injection_text`).

What separates an order from a report of one:

- an imperative counts only at the start of a clause (after punctuation, a line break, or
  words such as "please", "now", "and"), so "researchers told the model to ignore its
  instructions" stays quiet; languages that mark the imperative (ja, ko, hi, tr, fa…) are
  matched on that form instead, so "無視させた" or "무시하라고" (reported) stay quiet;
- a quotation that a sentence introduces ("the prompt read: “Ignore…”", "phrases like
  'ignore previous instructions'") is reported speech, while a quoted order standing alone is
  still an order;
- a sentence that ends with an attribution (", the ministry said") is a quote.

Only the lead words of the phrases are looked for first (one set intersection on a text
without them), so the scan stays cheap on the hot path of every check.

HTML a reader never sees is stripped by :mod:`bot.ingest.hidden_html`, which reports the
phrases found there with :func:`instruction_phrases`.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import defaultdict

from bot.ingest.injection_grammar import Phrase, spaced, unspaced
from bot.ingest.injection_table import phrases
from bot.ingest.injection_text import fold, fold_pattern, fold_with_map
from bot.text.charsets import Chars, later

_PHRASES: tuple[Phrase, ...] = phrases()  # built once, then read back (injection_table)
# Where each phrase may start: whole words (Latin, Greek, Cyrillic), the start of a token (other
# scripts written with spaces, whose words take affixes), or a substring (CJK).
_BY_WORD: dict[str, tuple[int, ...]] = {}
_BY_TOKEN: dict[str, list[tuple[str, int]]] = defaultdict(list)  # by first two characters
_BY_CHAR: dict[str, list[tuple[str, int]]] = defaultdict(list)  # by first character


def _index() -> re.Pattern[str]:
    by_word: dict[str, set[int]] = defaultdict(set)
    substrings: set[str] = set()
    for k, ph in enumerate(_PHRASES):
        for lead in ph.leads:
            if spaced(lead):
                by_word[lead].add(k)
            elif unspaced(lead):
                _BY_CHAR[lead[0]].append((lead, k))
                substrings.add(lead)
            else:
                head = lead.split(" ")[0]
                _BY_TOKEN[head[:2]].append((head, k))
    _BY_WORD.update((w, tuple(sorted(ks))) for w, ks in by_word.items())
    # A plain alternation of literals: the regex engine skips every character that cannot
    # start one, so text in other scripts goes by at C speed.
    ordered = sorted(substrings, key=len, reverse=True)
    return re.compile("|".join(re.escape(s) for s in ordered) if ordered else "(?!)")


_SUBSTRINGS = _index()
# A token that starts with a letter of the scripts whose leads are looked up as the start of a
# token (Arabic, Indic, Hangul…); Latin text is skipped at C speed.
# Compiled when a text first holds such a letter (its Hangul range costs a millisecond).
_OTHER_LETTERS = Chars("\u0530-\u1fff\u2c00-\u2dff\uac00-\ud7af")
_OTHER_TOKEN = later(r"[\u0530-\u1fff\u2c00-\u2dff\uac00-\ud7af]"
                     r"[^\s\"'«»“”„‹›‚`*_~()\[\]{}<>「」『』.,;:!?¡¿،؛؟।]*")
_WORD = re.compile(r"\w+")
_WORD_BEFORE = re.compile(r"(\w+)$")

# Chat-template markers and role labels; they need no clause start. Every branch starts with a
# character that prose rarely has, so the search skips the rest of the text at C speed.
_END_OF = (r"\x20?(?:end|begin|start)\x20(?:of\x20)?(?:the\x20)?(?:user\x20|system\x20)?"
           r"(?:input|prompt|instructions?|ambiguity|context|conversation|text|document|data)"
           r"(?!\w)")
_MARKERS = re.compile(
    r"<\|[a-z_]{2,20}\|>|\[/?inst\]|<</?sys>>|<(?:start|end)_of_turn>"
    r"|</?(?:system|system_prompt|sys|instructions?)>"
    r"|\[(?:system|assistant|admin|developer)(?:\x20(?:message|prompt|note|override|"
    r"instructions?))?\]"
    r"|\{\x20?\"role\"\x20?:\x20?\"(?:system|assistant|developer)\""
    + "".join(f"|{lit}{lit}{lit}+{_END_OF}" for lit in (r"%", r"=", r"-", r"\*"))
    + rf"|\[{_END_OF}"
    r"|#{1,6}\x20?(?:system|instructions?|assistant|response|user|human)\x20?:"
    rf"|###+{_END_OF}")
# "System:" or "Assistant:" opening a line or a sentence.
_ROLE_WORDS = ("system", "assistant", "developer", "human")
_ROLE = re.compile(r"(?:system|assistant|developer|human)(?:\x20(?:message|prompt))?[*_]{0,2}"
                   r"\x20?:")


# "System: Android 14" in a list of specifications is no role label: one for the system or a
# developer must go on addressing the model.
_ADDRESS = re.compile(r"[^\n]{0,80}?(?<!\w)(?:you|your|the (?:assistant|model|ai)|ignore|always|"
                      r"never|do not|don't|must|answer|respond|reply|obey|follow)(?!\w)")


def _role_labels(folded: str) -> list[tuple[int, int]]:
    spans = []
    for word in _ROLE_WORDS:
        i = folded.find(word)
        while i != -1:
            head = folded[max(0, i - 4):i].rstrip(" *_#")
            if ((not head or head[-1] in "\n.!?") and (m := _ROLE.match(folded, i))
                    and (word in ("assistant", "human") or _ADDRESS.match(folded, m.end()))):
                spans.append((i, m.end()))
            i = folded.find(word, i + 1)
    return spans


# Looked through before an order: spaces, quotes, emphasis.
_SKIP = set(" \t\"'«»“”„‹›‚`*_~「」『』")
_QUOTES = set("\"'«»“”„‹›‚`「」『』")
# Words that may come before an imperative without making it a report of one.
_FILLERS = {fold_pattern(w) for line in (
    "please now so then and also just simply kindly hey ok okay instead first but or",
    "bitte jetzt nun und dann also einfach",
    "veuillez maintenant alors et puis donc svp stp",
    "por favor ahora y luego entonces también",
    "per favore ora e poi allora adesso",
    "agora depois então",
    "nu dan alsjeblieft alstublieft ook",
    "proszę teraz i potem więc",
    "пожалуйста теперь сейчас и затем а",
    "lütfen şimdi ve sonra",
    "tolong silakan harap mohon sekarang dan lalu",
    "hãy vui lòng bây giờ và rồi",
    "tafadhali sasa na kisha",
    "و ف ثم الآن رجاء رجاءً لطفا لطفاً حالا براہ کرم اب اور",
    "कृपया अब और फिर অনুগ্রহ দয়া এখন এবং 제발 이제 지금 그리고",
) for w in line.split()}
_CJK_FILLERS = tuple(fold_pattern(w) for w in (
    "请", "請", "现在", "現在", "立即", "立刻", "马上", "馬上", "然后", "然後", "并且", "並且",
    "并", "並", "好的", "那么", "那麼", "まず", "では", "今すぐ", "さあ"))
# ", the ministry said" after an order: the sentence reports it.
_ATTRIBUTION = re.compile(fold_pattern(
    r",(?:\x20[\w'-]+){0,5}?\x20(?:said|says|told|tells|wrote|writes|warned|warns|added|"
    r"explained|noted|urged|urges|insisted|stated|argued|argues|recalled|quipped|advised|"
    r"a dit|a déclaré|a expliqué|a affirmé|a averti|a ajouté|a écrit|ont dit|ont déclaré|"
    r"a-t-il|a-t-elle|dit-il|dit-elle|sagte|sagt|erklärte|schrieb|warnte|betonte|"
    r"dijo|afirmó|explicó|advirtió|escribió|señaló|aseguró|declaró|disse|afirmou|explicou|"
    r"escreveu|alertou|ha detto|ha spiegato|ha scritto|ha affermato|zei|zegt|schreef|aldus|"
    r"powiedział|powiedziała|napisał|stwierdził|сказал|сказала|заявил|заявила|написал|"
    r"сообщил|kata|ujar|ungkap|cho biết|dedi|söyledi|açıkladı|alisema)(?!\w)"
    r"|,(?:\x20[\w'-]+){0,3}?\x20(?:experts|officials|researchers|analysts|critics|scientists|"
    r"police|sources|authorities|residents|observers|they|we|others|many|people)\x20say(?!\w)"
    r"|,\x20(?:according to|selon|laut|según|segundo|secondo|volgens|według|по словам|"
    r"menurut|theo|kwa mujibu wa)(?!\w)"))
_SENTENCE_END = re.compile(r"[.!?\n。！？]")
# A sentence ends at a stop followed by a space or a line break ("e.g.," ends nothing).
_SENTENCE_START = re.compile(r"(?:[.!?](?=[ \n])|[\n。！？])(?:(?![.!?][ \n])[^\n。！？])*\Z")
# The words that introduce an example, just before a quotation ("Examples: “…”", "z. B. „…“").
# Words that introduce an example or the speaker of a sample, before a quotation or a line:
# "Examples: “…”", "z. B. „…“", "用户输入:\n…", "Exemple 2 : contournement\n"…"".
_CUES = (r"examples?|e\.g\.?|i\.e\.?|for instance|such as|like|exemples?|par exemple|p\. ?ex\.?|"
         r"beispiele?|z\. ?b\.?|etwa|ejemplos?|por ejemplo|esempio|ad esempio|exemplo|por exemplo|"
         r"voorbeeld|bijvoorbeeld|przykład|na przykład|например|пример|örnek|örneğin|contoh|"
         r"misalnya|ví dụ|mfano|مثال|مثلا|مثلاً|उदाहरण|উদাহরণ|예시|예를 들어|예|"
         r"user|utilisateur|usuario|benutzer|nutzer|utente|usuário|пользователь|input|prompt|"
         r"attack|attaque|angriff|ataque|атака|saldırı|serangan|user input|user prompt|"
         r"malicious input|eingabe|entrée|entrada|入力|ユーザー|사용자|입력|المستخدم|الإدخال|"
         r"kullanıcı|pengguna|người dùng")
_CJK_CUES = r"例如|比如|示例|例えば|例|用户输入|用户|输入|攻击|攻撃"
_EXAMPLE_CUE = re.compile(fold_pattern(
    rf"(?:(?<!\w)(?:{_CUES})|{_CJK_CUES})(?:\x20?\d+)?[\x20:：,，]*$"))
# A sentence that gives the model a task on the quotation that follows it.
_TASK = re.compile(fold_pattern(
    r"[\x20\n*_\-]*(?:please |now |then |and )?(?:translate|summari[sz]e|repeat|rewrite|paraphrase|"
    r"spell-?check|correct|complete|continue|answer|respond to|reply to|classify|read|write|say|"
    r"print|output|traduis|traduisez|résume|résumez|répète|répétez|übersetze|übersetzen sie|"
    r"wiederhole|traduce|traduzca|resume|repite|traduza|resuma|repita|traduci|riassumi|ripeti|"
    r"vertaal|przetłumacz|переведи|переведите|повтори)(?!\w)"))
# A heading that labels what follows as an example: "Exemple 2 : …", "示例 1:…", "User input:"
_EXAMPLE_LINE = re.compile(fold_pattern(
    rf"[\x20*#\-•]*(?:(?:{_CUES})(?!\w)|{_CJK_CUES})(?:\x20?\d+)?\x20?(?:[:：(（]|$)"))
_OPENERS = {"“": "”", "«": "»", "„": "“", "「": "」", "『": "』", "‹": "›"}
_CLOSERS = set(_OPENERS.values())
_LAST_TYPO_QUOTE = re.compile(r"([“”«»„「」『』‹›])[^“”«»„「」『』‹›]*$")
_NO_CAPITALS_RULE = {"de", "lb"}  # German capitalizes nouns: a capital there starts nothing


class _Scan:
    """A text and its folded copy; the index map is built only if a rule needs the original."""

    def __init__(self, text: str, folded: str | None = None, index: list[int] | None = None):
        self.text = text
        self.folded = fold(text) if folded is None else folded
        self._index = index

    def original(self, pos: int) -> int:
        if self._index is None:
            _, self._index = fold_with_map(self.text)
        return self._index[min(pos, len(self._index) - 1)]


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _before(folded: str, start: int) -> tuple[bool, int | None, str]:
    """(a clause starts at ``start``, index of a quote opening the order, the word before)."""
    j, fillers, quote = start, 0, None
    while True:
        while j > 0 and folded[j - 1] in _SKIP:
            if folded[j - 1] in _QUOTES:
                quote = j - 1
            j -= 1
        if j == 0 or not _is_word(folded[j - 1]):  # punctuation, emoji, markup: a new clause
            return True, quote, ""
        word = _WORD_BEFORE.search(folded, max(0, j - 24), j)
        if word is None:
            return True, quote, ""
        w = word.group(1)
        if fillers < 3 and w in _FILLERS:
            j, fillers = word.start(), fillers + 1
            continue
        cjk = next((f for f in _CJK_FILLERS if w.endswith(f)), None)
        if fillers < 3 and cjk and not spaced(w[-1]):
            j, fillers = j - len(cjk), fillers + 1
            continue
        return False, quote, w


def _reported_quote(folded: str, quote: int) -> bool:
    """A quotation introduced by its sentence ("the prompt read: “…”", "Examples: “…”",
    ``query = "…"``) is reported speech; one that stands alone is an order."""
    raw = folded[max(0, quote - 200):quote]
    stripped = raw.rstrip(" \n")
    if stripped.endswith(("=", "(")) or _EXAMPLE_CUE.search(stripped):
        return True
    # a line that ends with a colon introduces the quotation below it ("text like:")
    head = stripped if stripped.endswith((":", "：")) else raw
    cut = _SENTENCE_START.search(head)
    head = head[cut.start() + 1:] if cut else head
    if _TASK.match(head):  # "Translate the following: '…'" wraps an order in an order
        return False
    weight = sum(1 if spaced(w[0]) else len(w) for w in _WORD.findall(head))
    return weight >= 2


def _open_quote(folded: str, start: int) -> int | None:
    """Where the quotation that ``start`` is inside of opens (or None).

    Straight quotes are paired within the line; typographic ones may open a line or two before.
    """
    line = folded.rfind("\n", 0, start) + 1
    if folded.count('"', line, start) % 2:
        return folded.rfind('"', line, start)
    if not folded.count('"', line, start):  # none on this line: one opened a line or two above?
        above = max(0, folded.rfind("\n", 0, max(0, folded.rfind("\n", 0, line - 1))) + 1)
        if folded.count('"', above, line) % 2:
            return folded.rfind('"', above, line)
    begin = max(0, start - 400)
    last = _LAST_TYPO_QUOTE.search(folded, begin, start)
    if last is None:
        return None
    ch, i = last.group(1), last.start(1)
    if ch in _OPENERS and not (ch == "“" and "„" in folded[begin:i]):  # German „…“ closes with “
        return i
    return None


def _introduced(folded: str, start: int) -> bool:
    """An order given as an example: after "Example:" on its line, or on the lines that follow
    an example heading ("Exemple 2 : contournement", "用户输入:")."""
    lines = folded[max(0, start - 300):start].split("\n")
    here = lines[-1].rstrip(" \"'“”„«»「」『』")
    if here and (_EXAMPLE_CUE.search(here) or _EXAMPLE_LINE.match(here)):
        return True
    for line in reversed(lines[-4:-1]):  # the heading, or quoted examples below one
        if _EXAMPLE_LINE.match(line) or _EXAMPLE_CUE.search(line.rstrip(" ")):
            return True
        if not line.lstrip(" -•*").startswith(tuple(_QUOTES)):
            return False
    return False


def _attributed(folded: str, end: int) -> bool:
    tail = folded[end:end + 200]
    stop = _SENTENCE_END.search(tail)
    return bool(_ATTRIBUTION.search(tail[: stop.start()] if stop else tail))


def _capital_starts(scan: _Scan, start: int) -> bool:
    """``jobs Ignore the above``: a capital after a lower-case word starts a new sentence."""
    i = scan.original(start)
    if not scan.text[i:i + 1].isupper():
        return False
    before = scan.text[max(0, i - 40):i].split()
    return bool(before) and before[-1].isalpha() and before[-1].islower()


def _accept(scan: _Scan, ph: Phrase, m: re.Match[str]) -> bool:
    if ph.check is not None and not ph.check(m):
        return False
    folded = scan.folded
    starts, quote, _ = _before(folded, m.start())
    if quote is None:  # the second sentence of a quotation is quoted too
        quote = _open_quote(folded, m.start())
    if (quote is not None and _reported_quote(folded, quote)) or _introduced(folded, m.start()):
        return False
    if ph.start and not starts and (ph.lang in _NO_CAPITALS_RULE
                                    or not _capital_starts(scan, m.start())):
        return False
    return not _attributed(folded, m.end())


def _candidates(folded: str, starts: list[int]) -> list[tuple[int, int]]:
    """(position, phrase index) for every lead found, in text order; ``starts`` receives the
    start of every word (for phrases looked up by a later word)."""
    found: set[tuple[int, int]] = set()
    by_word = _BY_WORD.get
    for word in _WORD.finditer(folded):
        starts.append(word.start())
        if ks := by_word(word.group()):
            found.update((word.start(), k) for k in ks)
    for token in _OTHER_TOKEN().finditer(folded) if _OTHER_LETTERS.found_in(folded) else ():
        word, p = token.group(), token.start()
        for off in (0, 1) if word[0] in "وف" else (0,):  # "and" / "so" glued to the verb
            for key in (word[off:off + 2], word[off:off + 1]):
                found.update((p + off, k) for head, k in _BY_TOKEN.get(key, ())
                             if word.startswith(head, off))
    pos = 0
    while match := _SUBSTRINGS.search(folded, pos):
        p = match.start()
        found.update((p, k) for lead, k in _BY_CHAR[folded[p]] if folded.startswith(lead, p))
        pos = p + 1
    return sorted(found)


def _match_at(ph: Phrase, folded: str, pos: int, starts: list[int]) -> re.Match[str] | None:
    """The phrase's match at a lead found at ``pos`` (around it when the lead ends the phrase)."""
    if not ph.back:
        return ph.regex.match(folded, pos)
    begin = max(0, pos - ph.back)
    if spaced(folded[pos:pos + 1]):
        # the phrase starts at a word start before the lead word: try those, farthest first
        for p in starts[bisect_left(starts, begin):bisect_right(starts, pos)]:
            m = ph.regex.match(folded, p)
            if m and m.end() > pos:
                return m
        return None
    for m in ph.regex.finditer(folded, begin, pos + 200):
        if m.start() > pos:
            return None
        if m.end() > pos:
            return m
    return None


def _matches(scan: _Scan, first: bool = False) -> list[tuple[int, int, str, str]]:
    folded = scan.folded
    found: list[tuple[int, int, str, str]] = []
    for start, end in [m.span() for m in _MARKERS.finditer(folded)] + _role_labels(folded):
        found.append((start, end, "chat-template marker", ""))
        if first:
            return found
    refused: set[tuple[int, int]] = set()  # (phrase, end) of matches found to be reports
    starts: list[int] = []
    for pos, k in _candidates(folded, starts):
        ph = _PHRASES[k]
        m = _match_at(ph, folded, pos, starts)
        if not m or (k, m.end()) in refused:  # the tail of a refused match is refused too
            continue
        if _accept(scan, ph, m):
            found.append((m.start(), m.end(), ph.label, ph.lang))
            if first:
                break
        else:
            refused.add((k, m.end()))
    return sorted(found)


# Invisible and control characters, dropped from what a finding quotes.
INVISIBLE = re.compile(r"[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff"
                       r"\x00-\x08\x0e-\x1f\x7f]")


def excerpt(text: str, start: int, end: int, limit: int = 80) -> str:
    """The matched span with some context, on one line, at most ``limit`` characters."""
    def clean(s: str) -> str:
        return " ".join(INVISIBLE.sub("", s).split())

    core = clean(text[start:end])
    if len(core) > limit - 2:
        return core[: limit - 1] + "…"
    room = limit - 4 - len(core)  # two ellipses and two spaces at most
    left, right = clean(text[max(0, start - 100):start]), clean(text[end:end + 200])
    left_part = left[len(left) - min(len(left), room // 3):]
    right_part = right[: room - len(left_part)]
    gap_l = " " if left_part and text[start - 1:start].isspace() else ""
    gap_r = " " if right_part and text[end:end + 1].isspace() else ""
    head = ("…" if len(left_part) < len(left) else "") + left_part + gap_l
    tail = gap_r + right_part + ("…" if len(right_part) < len(right) else "")
    return (head + core + tail)[:limit]


def has_instruction(text: str) -> bool:
    """Whether ``text`` holds an instruction-like phrase (cheaper than finding them all)."""
    return bool(text) and bool(_matches(_Scan(text), first=True))


def instruction_phrases(text: str) -> list[tuple[str, str]]:
    """(kind of phrase, excerpt) for each instruction-like phrase of ``text``, at most five."""
    if not text:
        return []
    scan = _Scan(text)
    found = _matches(scan)
    if not found:
        return []
    folded = scan.folded
    results: list[tuple[str, str]] = []
    seen: set[str] = set()
    last_end = -1
    for start, end, label, lang in found:
        if start < last_end or folded[start:end] in seen:  # overlapping, or said already
            continue
        last_end = end
        seen.add(folded[start:end])
        tag = f"{label}, {lang}" if lang else label
        results.append((tag, excerpt(text, scan.original(start), scan.original(end - 1) + 1)))
        if len(results) == 5:
            break
    return results


def find_injections(text: str) -> list[str]:
    """Instruction-like passages aimed at a language model, one line each (at most five).

    Each finding names the kind of phrase and its language, with a quoted excerpt of at most 80
    characters: ``instruction aimed at AI models (note to AI systems, en): "…"``.
    """
    try:
        found = instruction_phrases(text)
        return [f'instruction aimed at AI models ({tag}): "{ex}"' for tag, ex in found]
    except Exception:  # never let detection break a check; the article stays delimited data
        return []
