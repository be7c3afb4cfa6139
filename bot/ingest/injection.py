"""Find text aimed at a language model inside an article, and strip HTML a reader never sees.

``find_injections`` matches instruction-like phrases (en, fr, de, es, it, pt, nl) on a folded copy
of the text: NFKC, casefold, diacritics and zero-width characters dropped, Cyrillic and Greek
look-alikes mapped to Latin, apostrophes and dashes unified, whitespace collapsed. Imperatives
count only at the start of a clause, so reporting ("researchers told the model to ignore its
instructions") stays quiet while an order addressed to the model is caught.

``strip_hidden_html`` removes comments, ``<template>`` and elements hidden by ``hidden``,
``aria-hidden="true"`` or inline CSS, with a linear tokenizer that leaves every other byte of the
page as it was. It never raises; on any surprise it only strips comments.
"""

from __future__ import annotations

import html as htmllib
import re
import unicodedata
from functools import lru_cache

# Look-alikes are mapped before casefolding, so Greek capital Ν becomes n and small ν becomes v.
_LOOKALIKES = dict(zip(
    "АВЕКМНОРСТХУЅІЈԚԜҺӀаеорсухѕіјԁԛԝһӏɡıΑΒΕΖΗΙΚΜΝΟΡΤΥΧαικνορτυχϲ’‘ʼ`´′ʹ‐‑‒–—―−",
    "ABEKMHOPCTXYSIJQWHIaeopcyxsijdqwhlgiABEZHIKMNOPTYXaikvoptuxc'''''''-------", strict=True))
_INVISIBLE = {"Mn", "Me", "Cf", "Cc"}
_NEWLINES = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


class _FoldTable(dict[int, str]):
    """str.translate table filled on first sight of each character (hits stay in C)."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        if char in _NEWLINES:
            folded = "\n"
        elif char.isspace():
            folded = " "
        else:
            base = unicodedata.normalize("NFKC", _LOOKALIKES.get(char, char)).casefold()
            folded = "".join(c for c in unicodedata.normalize("NFKD", base)
                             if unicodedata.category(c) not in _INVISIBLE)
            folded = "".join(_LOOKALIKES.get(c, c) for c in folded)
        if len(self) < 20_000:  # the table stays small even when text spans all of Unicode
            self[code] = folded
        return folded


_FOLD = _FoldTable()
_WS_RUN = re.compile(r"[ \n]{2,}")
_GAP = r"[ \n\-_*~\"/|]{0,3}"  # between words: a space, hyphen or markdown, or nothing
# After "note to AI systems" & co.: a colon or dash, or a word that goes on addressing the model;
# "note to AI developers" or "attention à l'IA générative" are ordinary prose.
_END = (r"(?= ?[:,!\-(]|$| (?:reading|processing|summari[sz]ing|analy[sz]ing|parsing|checking|"
        r"fact-checking|that|who|qui|lisant|traitant|die|welche|que|leyendo|procesando|che|voor))")
_AI = (r"(?:ai|a\.i\.|artificial intelligence|llms?|(?:large )?language models?|chat ?bots?|"
       r"chat ?gpt|gpt|claude|gemini|copilot|ai (?:systems?|models?|assistants?|agents?|tools?|"
       r"bots?|readers?|crawlers?|summari[sz]ers?|fact-?checkers?))")
_YOU_ARE_END = (r"(?= ?[,.:;!]| (?:reading|processing|summari[sz]ing|analy[sz]ing|and|that|who|"
                r"with|without|named|called|trained|designed))")
# (label, language, pattern); a space in a pattern stands for _GAP. Every pattern but the
# chat-template markers must also start a clause (see _at_clause_start).
_PATTERNS_SRC: list[tuple[str, str, str]] = [
    ("ignore previous instructions", "en",
     r"(?:ignore|disregard|forget|override|bypass) (?:all |any |every )?(?:of )?(?:your |the |my "
     r"|these |those |all )?(?:previous|prior|above|earlier|preceding|foregoing|former|original|"
     r"initial|system) (?:instructions?|prompts?|directives?|commands|context|programming|"
     r"guardrails)|(?:ignore|disregard|forget) (?:(?:all|any) (?:of )?(?:your |the )?|your )"
     r"(?:instructions|programming|training)"),
    ("disregard the above", "en",
     r"(?:ignore|disregard|forget) (?:all |everything )?(?:of )?(?:the |what is |that is )?"
     r"(?:above|written above|said above|before this|you were told)"),
    ("note to AI systems", "en",
     rf"(?:note|message|notice|memo|reminder|attention|hey|dear|hello) (?:(?:to|for) )?(?:any |"
     rf"all |the |every |an? )?(?:{_AI}|assistants?){_END}"),
    ("addressed to an AI", "en",
     rf"(?:(?:if |from now on,? )?you are|you are now) (?:an? |the )?{_AI}{_YOU_ARE_END}|you are "
     rf"now (?:an? |the |in )?(?:assistant|dan|jailbroken|unrestricted|uncensored|developer mode|"
     rf"no longer bound){_YOU_ARE_END}"),
    ("AI-model disclaimer", "en",
     r"as an? (?:ai|artificial intelligence) language model(?= ?,)|as an? (?:ai|(?:large )?"
     r"language model|ai model|ai assistant),? i\b"),
    ("system prompt", "en",
     r"(?:(?:begin|start|end)(?: of)?(?: the)?(?: new)? system prompt|(?:new|updated|override) "
     r"system prompt ?:|(?:reveal|print|show|output|repeat|leak|disclose|ignore|override) (?:me )?"
     r"(?:your|the) (?:system prompt|hidden instructions|initial instructions))"),
    ("mark every claim as supported", "en",
     r"(?:mark|rate|label|classify|treat|consider|flag|report) (?:every|each|all|all the|all of the"
     r"|these|the|any) (?:claims?|statements?|facts?|assertions?) (?:below |above |in this "
     r"article )?as (?:supported|true|verified|accurate|correct|confirmed|factual)(?! by)"),
    ("ignore previous instructions", "fr",
     r"(?:ignore|ignorez|ignorer|oublie|oubliez|oublier|ne tiens pas compte|ne tenez pas compte)"
     r" (?:de |des |d' ?)?(?:(?:toutes |tous )?(?:les |ces )?(?:(?:precedentes|anterieures) "
     r"(?:instructions|consignes|directives)|(?:instructions|consignes|directives) (?:precedentes|"
     r"anterieures|ci-dessus|initiales|d'origine|du systeme|qui precedent))|(?:toutes )?(?:tes|"
     r"vos) (?:instructions|consignes|directives))|(?:ignore|ignorez|oublie|oubliez) tout ce qui "
     r"precede"),
    ("note to AI systems", "fr",
     r"(?:note|message|instructions?|consignes?|avis|remarque|avertissement) (?:a |aux |pour |a "
     r"l'(?:attention|intention) d(?:e |es |u |' ?))?(?:l' ?|les |la |le |tout |tous les |toute )?"
     r"(?:ia|intelligences? artificielles?|assistants?|modeles? de langage|modeles? d'ia|systemes?"
     rf" d' ?ia|systemes? d'intelligence artificielle|llm|chatbots?|agents? d'ia){_END}"),
    ("addressed to an AI", "fr",
     r"(?:tu es|vous etes) (?:maintenant |desormais |a present )?(?:une? )?(?:ia|assistant|"
     r"modele de langage|intelligence artificielle|chatbot)(?= ?[,.:;!]| qui)|en tant que "
     r"(?:modele de langage|ia|intelligence artificielle)(?: d'ia)?, je\b"),
    ("mark every claim as supported", "fr",
     r"(?:marque|marquez|considere|considerez|classe|classez|note|notez) (?:chaque|toutes les|tous"
     r" les|les) (?:affirmations?|allegations?|faits?) comme (?:vraie?s?|veridiques?|verifiee?s?|"
     r"exacte?s?|confirmee?s?|etayee?s?)"),
    ("ignore previous instructions", "de",
     r"(?:ignoriere|ignorier|ignorieren sie|ignoriert|vergiss|vergessen sie|vergesst|missachte|"
     r"missachten sie|ue?berschreibe) (?:bitte )?(?:(?:alle|samtliche|jegliche|deine|ihre|eure) "
     r"(?:bisherigen |vorherigen |vorigen |frue?heren |obigen |vorangegangenen |urspru?e?nglichen "
     r")?|(?:die |den )?(?:bisherigen|vorherigen|vorigen|frue?heren|obigen|vorangegangenen) )"
     r"(?:anweisungen|instruktionen|befehle|systemanweisungen|prompts?)"),
    ("note to AI systems", "de",
     r"(?:hinweis|nachricht|anweisungen?|notiz|botschaft|mitteilung) (?:an|fu?e?r) (?:alle |jede "
     r"|jedes |die |das |den |eine |ein )?(?:ki|k\.i\.|kunstliche intelligenz|ki (?:systeme?|"
     rf"assistent(?:en)?|modelle?|agenten?)|sprachmodelle?|chatbots?|assistent(?:en)?|llms?){_END}"),
    ("addressed to an AI", "de",
     r"(?:du bist|ihr seid) (?:jetzt |nun |ab sofort )?(?:eine? )?(?:ki|ki assistent|sprachmodell|"
     r"chatbot)(?= ?[,.:;!]| (?:der|die))|als (?:eine? )?(?:ki )?sprachmodell (?:kann|bin|habe) "
     r"ich\b"),
    ("mark every claim as supported", "de",
     r"(?:markiere|markieren sie|bewerte|bewerten sie|stufe|stufen sie) (?:jede|alle|samtliche) "
     r"(?:behauptungen?|aussagen?) als (?:wahr|korrekt|bestatigt|belegt|verifiziert|richtig)"),
    ("ignore previous instructions", "es",
     r"(?:ignora|ignore|ignorad|ignoren|olvida|olvide|olvidad|olviden|descarta|descarte|haz caso "
     r"omiso de|haga caso omiso de|no tengas en cuenta) (?:(?:todas |todos )?(?:las |los )?"
     r"(?:instrucciones|indicaciones|ordenes|directrices) (?:anteriores|previas|precedentes"
     r"|de arriba|originales|iniciales|del sistema)|(?:todas )?(?:tus|sus) (?:instrucciones|"
     r"indicaciones|directrices))"),
    ("note to AI systems", "es",
     r"(?:nota|mensaje|aviso|instrucciones?|advertencia) (?:para|a|al) (?:todos )?(?:los |las |el "
     r"|la |cualquier )?(?:ia|inteligencias? artificiales?|sistemas? de (?:ia|inteligencia "
     rf"artificial)|asistentes?(?: de ia)?|modelos? de (?:lenguaje|ia)|llms?|chatbots?){_END}"),
    ("addressed to an AI", "es",
     r"(?:eres|usted es) (?:ahora |a partir de ahora )?(?:una? )?(?:ia|asistente|modelo de lenguaje"
     r"|chatbot|inteligencia artificial)(?= ?[,.:;!]| que)|como (?:un )?modelo de lenguaje,? (?:no"
     r" )?(?:puedo|tengo|soy)\b"),
    ("mark every claim as supported", "es",
     r"(?:marca|marque|califica|califique|considera|considere|clasifica) (?:cada|todas las|las) "
     r"(?:afirmacion(?:es)?|declaracion(?:es)?) como (?:verdaderas?|ciertas?|verificadas?|"
     r"correctas?|confirmadas?|respaldadas?)"),
    ("ignore previous instructions", "it",
     r"(?:ignora|ignorate|ignori|dimentica|dimenticate) (?:tutte |tutti )?(?:le |i |tue |sue )?"
     r"(?:istruzioni|indicazioni|direttive) (?:precedenti|di sopra|iniziali|originali)"),
    ("note to AI systems", "it",
     r"(?:nota|messaggio|avviso) (?:per|a|ai|agli) (?:i |gli |l' ?)?(?:ia|sistemi? di (?:ia|"
     rf"intelligenza artificiale)|assistenti|modelli linguistici|llm|chatbot){_END}"),
    ("ignore previous instructions", "pt",
     r"(?:ignore|ignora|ignorem|esqueca|esquece|desconsidere|desconsidera) (?:todas |todos )?(?:as "
     r"|os |suas |tuas )?(?:instrucoes|orientacoes|ordens|diretrizes) (?:anteriores|previas|"
     r"acima|iniciais|originais)"),
    ("note to AI systems", "pt",
     r"(?:nota|mensagem|aviso) (?:para|aos|ao|as) (?:os |as |o |a |qualquer )?(?:ia|sistemas? de "
     rf"(?:ia|inteligencia artificial)|assistentes?|modelos? de linguagem|llms?|chatbots?){_END}"),
    ("ignore previous instructions", "nl",
     r"(?:negeer|vergeet) (?:alle |al )?(?:de |je |jouw |uw )?(?:eerdere |vorige |voorgaande |"
     r"bovenstaande |oorspronkelijke )(?:instructies|aanwijzingen|opdrachten)"),
    ("note to AI systems", "nl",
     r"(?:notitie|bericht|opmerking) (?:voor|aan) (?:alle |de |elk |elke )?(?:ai|ai systemen|"
     rf"taalmodellen|taalmodel|chatbots?|llms?){_END}"),
]
_MARKERS = (r"<\|[a-z_]{2,20}\|>|\[/?inst\]|<</?sys>>|(?:^|\n)#{2,} ?(?:system|instruction|"
            r"assistant|response) ?:|\[(?:system|assistant)\]|begin system prompt")
# One alternation scanned once is ~7x faster than one scan per pattern; lastgroup names the winner.
_COMBINED = re.compile(
    r"(?<!\w)(?:" + "|".join(f"(?P<p{k}>{src.replace(' ', _GAP)})"
                             for k, (_, _, src) in enumerate(_PATTERNS_SRC))
    + f")|(?P<marker>{_MARKERS.replace(' ', _GAP)})")
_SKIP = set(" \t\"'«»“”„‹›‚`*_~")
_FILLERS = {"please", "now", "so", "then", "and", "also", "just", "simply", "kindly", "hey", "ok",
            "okay", "bitte", "jetzt", "nun", "und", "dann", "veuillez", "maintenant", "alors", "et",
            "svp", "por", "favor", "ahora", "y", "ora", "e", "agora", "nu", "en"}
_WORD_BEFORE = re.compile(r"(\w+)$")
_CLEAN = re.compile(r"[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff"
                    r"\x00-\x08\x0e-\x1f\x7f]")


def _fold(text: str) -> str:
    return _WS_RUN.sub(lambda m: "\n" if "\n" in m.group() else " ", text.translate(_FOLD))


def _fold_with_map(text: str) -> tuple[str, list[int]]:
    """The same folding as _fold, keeping for each output character its source index."""
    out: list[str] = []
    index: list[int] = []
    for i, char in enumerate(text):
        for ch in _FOLD[ord(char)]:
            if ch in " \n" and out and out[-1] in " \n":
                if ch == "\n":
                    out[-1] = "\n"
                continue
            out.append(ch)
            index.append(i)
    index.append(len(text))
    return "".join(out), index


def _at_clause_start(folded: str, start: int) -> bool:
    """True unless a word other than a filler ("please", "now"…) comes right before ``start``.

    Quotes and emphasis are looked through, so `typing "ignore previous instructions"` is reported
    speech while `He said: "Ignore previous instructions"` is the order itself.
    """
    j, fillers = start, 0
    while True:
        while j > 0 and folded[j - 1] in _SKIP:
            j -= 1
        if j == 0 or not folded[j - 1].isalnum():  # punctuation, emoji, markup: a new clause
            return True
        word = _WORD_BEFORE.search(folded, max(0, j - 12), j)
        if word is None or word.group(1) not in _FILLERS or fillers == 2:
            return False
        j, fillers = word.start(), fillers + 1


def _matches(folded: str) -> list[tuple[int, int, str, str]]:
    found, pos = [], 0
    while match := _COMBINED.search(folded, pos):
        if match.lastgroup == "marker":
            found.append((match.start(), match.end(), "chat-template marker", ""))
        else:
            label, lang, _ = _PATTERNS_SRC[int(match.lastgroup[1:])]
            if not _at_clause_start(folded, match.start()):
                pos = match.start() + 1  # another phrase may still start inside this one
                continue
            found.append((match.start(), match.end(), label, lang))
        pos = match.end()
    return found


def _excerpt(text: str, start: int, end: int, limit: int = 80) -> str:
    """The matched span with some context, on one line, at most ``limit`` characters."""
    def clean(s: str) -> str:
        return " ".join(_CLEAN.sub("", s).split())

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


def _scan(text: str) -> list[tuple[str, str]]:
    if not text or not _matches(_fold(text)):
        return []
    folded, index = _fold_with_map(text)
    results: list[tuple[str, str]] = []
    seen: set[str] = set()
    last_end = -1
    for start, end, label, lang in _matches(folded):
        if start < last_end or folded[start:end] in seen:  # overlapping, or said already
            continue
        last_end = end
        seen.add(folded[start:end])
        tag = f"{label}, {lang}" if lang else label
        results.append((tag, _excerpt(text, index[start], index[end - 1] + 1)))
        if len(results) == 5:
            break
    return results


def find_injections(text: str) -> list[str]:
    """Instruction-like passages aimed at a language model, one line each (at most five).

    Each finding names the kind of phrase and its language, with a quoted excerpt of at most 80
    characters: ``instruction aimed at AI models (note to AI systems, en): "…"``.
    """
    try:
        return [f'instruction aimed at AI models ({tag}): "{ex}"' for tag, ex in _scan(text)]
    except Exception:  # never let detection break a check; the article stays delimited data
        return []


# --- hidden HTML -------------------------------------------------------------------------------

_WS = "\t\n\f\r "
_ATTRS = rf"((?:[^>=]++|=[{_WS}]*+(?:\"[^\"]*+\"?|'[^']*+'?|[^{_WS}>]*+))*+)(?:>|\Z)"
# Both tag patterns always match once they start, so the scan never backtracks over the page.
_START_TAG = re.compile(rf"<([a-zA-Z][^{_WS}/>]*+)" + _ATTRS)
_END_TAG = re.compile(rf"</([a-zA-Z][^{_WS}/>]*+)" + _ATTRS)
_ATTR = re.compile(rf"([^{_WS}/>=]+)(?:[{_WS}]*=[{_WS}]*(\"[^\"]*\"?|'[^']*'?|[^{_WS}>]*))?")
_COMMENT_END = re.compile(r"--!?>")
_COMMENTS = re.compile(r"<!--.*?(?:--!?>|\Z)", re.S)
_COMMENT_MARKS = re.compile(r"<!--|--!?>")  # dropped to read what a hidden comment says
_RAW_BLOCKS = re.compile(r"<(script|style|textarea|xmp|iframe|noembed|noframes|noscript)\b.*?"
                         r"(?:</\1\s*>|\Z)", re.S | re.I)
_TAGS = re.compile(r"<[^>]*>?")
_NOT_LETTERS = re.compile(r"[\W\d_]+")
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_LENGTH = re.compile(r"(-?\d*\.?\d+)\s*(px|pt|em|rem|ex|ch|%|vw|vh|cm|mm|in|pc)?")
_COLOR = re.compile(r"#[0-9a-f]{3,8}\b|rgba?\([^)]*\)|\b(?:white|black|transparent)\b")
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
    "tr": frozenset(["tr"]), "td": _CELLS, "th": _CELLS, **dict.fromkeys(_HEADINGS, _HEADINGS)}
_CLOSERS = frozenset().union(*_CLOSED_BY.values())
_NEVER_HIDDEN = frozenset(["html", "head", "body"])  # anti-flicker styles there are JS-revealed
_UNDO = {p: re.compile(rf"(?<![\w-]){p}\s*:", re.I) for p in ("visibility", "font-size", "color")}
_FAR = {"": -500, "px": -500, "pt": -400, "em": -50, "rem": -50, "%": -100, "vw": -100}


def _length(value: str | None) -> tuple[float, str] | None:
    match = _LENGTH.fullmatch(value.strip()) if value else None
    return (float(match.group(1)), match.group(2) or "") if match else None


def _color(value: str | None) -> str | None:
    """A comparable form of the first colour in ``value``: "#rrggbb", "transparent", or as is."""
    token = match.group() if value and (match := _COLOR.search(value)) else None
    if token and re.fullmatch(r"rgba\(.*[,/]\s*0*\.?0*%?\s*\)|#(?:...0|.{6}00)", token):
        return "transparent"
    if token and token.startswith("#") and len(token) == 4:
        return "#" + "".join(c * 2 for c in token[1:])
    return {"white": "#ffffff", "black": "#000000"}.get(token or "", token)


@lru_cache(maxsize=512)  # pages repeat the same few inline styles
def _style_reason(style: str) -> tuple[str, str | None] | None:
    """Why an inline style hides its element, and the property a descendant could undo it with."""
    decls: dict[str, str] = {}
    for part in _CSS_COMMENT.sub("", htmllib.unescape(style)).lower().split(";"):
        name, _, value = part.partition(":")
        decls[name.strip()] = value.replace("!important", "").strip()
    get = decls.get
    opacity, size = _length(get("opacity")), _length(get("font-size"))
    boxes = [_length(get(p)) for p in ("width", "height", "max-height")]
    offsets = [_length(get(p)) for p in ("left", "top", "right", "bottom", "margin-left")]
    color = _color(get("color"))
    if get("display") == "none":
        return "display:none", None
    if get("visibility") in ("hidden", "collapse"):
        return "visibility:hidden", "visibility"
    if opacity and opacity[0] <= (1 if opacity[1] == "%" else 0.01):
        return "opacity:0", None
    if size and (size[0] <= 0 or (size[1] in ("px", "pt") and size[0] <= 1)):
        return "font-size:0", "font-size"
    overflow = {get("overflow"), get("overflow-x"), get("overflow-y")} & {"hidden", "clip"}
    if overflow and any(box and box[0] <= 1 for box in boxes):
        return "zero-size box", None
    if re.fullmatch(r"rect\((?:\s*0(?:px)?\s*,?){4}\)", get("clip", "")):
        return "clipped to nothing", None
    positioned = get("position") in ("absolute", "fixed", "relative")
    far = [_length(get("text-indent"))] + (offsets if positioned else [])
    if any(x and x[0] <= _FAR.get(x[1], -1e9) for x in far):
        return "off-screen", None
    if color == "transparent":
        return "transparent text", "color"
    if color and color == _color(get("background-color") or get("background")):
        return "text coloured like its background", "color"
    return None


def _hidden_reason(name: str, attrs: str) -> tuple[str, str | None] | None:
    low = attrs.lower()
    if name in _NEVER_HIDDEN or ("hidden" not in low and "style" not in low):
        return None  # the common case, decided without parsing attributes
    found: dict[str, str] = {}
    for match in _ATTR.finditer(attrs):
        found.setdefault(match.group(1).lower(), (match.group(2) or "").strip("\"'"))
    if "hidden" in found:
        return "hidden attribute", None
    if found.get("aria-hidden", "").strip().lower() == "true":
        return "aria-hidden", None
    return _style_reason(found["style"]) if "style" in found else None


def _tokenize(page: str) -> list[tuple[int, int, str]]:
    """The (start, end, reason) ranges to remove, in document order, found in one linear pass."""
    removals: list[tuple[int, int, str]] = []
    # open elements: name, start, end of start tag, reason, property that undoes it, removals mark
    stack: list[tuple[str, int, int, str | None, str | None, int]] = []
    counts: dict[str, int] = {}
    root = -1  # the outermost open element that is hidden for sure; nothing inside is recorded
    pos, size = 0, len(page)

    def pop_to(k: int, end_of_k: int, end_of_rest: int) -> None:
        nonlocal root
        for idx in range(len(stack) - 1, k - 1, -1):
            name, start, tag_end, reason, undo, mark = stack.pop()
            counts[name] -= 1
            end = end_of_k if idx == k else end_of_rest
            if reason is None:
                continue
            if idx == root:
                root = -1
            elif undo and _UNDO[undo].search(page, tag_end, end):
                continue  # a descendant may show itself again (font-size:0 between inline blocks)
            del removals[mark:]  # the whole element supersedes what was removed inside it
            removals.append((start, end, reason))

    while (i := page.find("<", pos)) >= 0:
        after = page[i + 1:i + 2]
        if after == "!" and page.startswith("<!--", i):
            short = 5 if page.startswith("<!-->", i) else 6 if page.startswith("<!--->", i) else 0
            match = None if short else _COMMENT_END.search(page, i + 4)
            pos = i + short if short else match.end() if match else size
            if root == -1:
                removals.append((i, pos, "HTML comment"))
        elif after == "/" and (match := _END_TAG.match(page, i)):
            name, pos = match.group(1).lower(), match.end()
            if stack and stack[-1][0] == name and stack[-1][3] is None:  # the usual case
                stack.pop()
                counts[name] -= 1
            elif counts.get(name):
                pop_to(next(k for k in range(len(stack) - 1, -1, -1) if stack[k][0] == name),
                       pos, i)
        elif match := _START_TAG.match(page, i):
            name, attrs, pos = match.group(1).lower(), match.group(2), match.end()
            if name in _CLOSERS:  # look past inline elements only, and not too deep
                for k in range(len(stack) - 1, max(-1, len(stack) - 65), -1):
                    if name in _CLOSED_BY.get(stack[k][0], ()):
                        pop_to(k, i, i)
                        break
                    if stack[k][0] not in _PHRASING:
                        break
            hidden = None
            if root == -1:
                hidden = ("template", None) if name == "template" else _hidden_reason(name, attrs)
            foreign = counts.get("svg", 0) + counts.get("math", 0)  # where "/>" does close
            if name in _VOID or (attrs.endswith("/") and foreign):
                if hidden:
                    removals.append((i, pos, hidden[0]))
                continue
            stack.append((name, i, pos, *(hidden or (None, None)), len(removals)))
            counts[name] = counts.get(name, 0) + 1
            if hidden and hidden[1] is None:
                root = len(stack) - 1
            if name in _RAW:  # raw text: jump to its end tag, which the loop reads next
                close = re.compile(rf"</{re.escape(name)}(?=[{_WS}/>]|\Z)", re.I)
                found = None if name == "plaintext" else close.search(page, pos)
                pos = found.start() if found else size
        else:
            pos = i + 1
    pop_to(0, size, size)
    return removals


def _visible_text(chunk: str) -> str:
    chunk = _TAGS.sub(" ", _COMMENTS.sub(" ", _RAW_BLOCKS.sub(" ", chunk)))
    return " ".join(_CLEAN.sub("", htmllib.unescape(chunk)).split())


def _letters(text: str) -> int:
    return len(_NOT_LETTERS.sub("", text))


def _review(page: str, removals: list[tuple[int, int, str]]
            ) -> tuple[list[tuple[int, int]], list[str]]:
    """The ranges to cut and the findings to report."""
    every = "\n".join(page[start:end] for start, end, _ in removals)
    any_hit = bool(_matches(_fold(_visible_text(_COMMENT_MARKS.sub(" ", every)))))
    cuts: list[tuple[int, int]] = []
    injections: list[str] = []
    plain: list[str] = []
    page_letters = -1
    for count, (start, end, reason) in enumerate(removals):
        chunk = page[start:end]
        big = end - start >= 400 and reason != "HTML comment"
        if not (any_hit or big or (count < 200 and len(plain) < 5)):
            cuts.append((start, end))
            continue  # a hostile page can hide 100 000 spans: read only what may be reported
        text = _visible_text(_COMMENT_MARKS.sub(" ", chunk))  # comments inside count as text
        hits = _scan(text)[:1] if any_hit else []
        injections += [f"instruction aimed at AI models in hidden HTML ({reason}, removed; {tag}): "
                       f'"{excerpt}"' for tag, excerpt in hits]
        if big and not hits and _letters(text) >= 400:
            page_letters = page_letters if page_letters >= 0 else _letters(_visible_text(page))
            if _letters(text) * 3 > page_letters:  # most of the page: a script shows it, keep it
                plain.append(f'large hidden block kept, probably shown by a script ({reason}): '
                             f'"{_excerpt(text, 0, len(text))}"')
                continue
        cuts.append((start, end))
        # Comments and templates are routine markup; only prose in them is worth a word.
        prose = reason not in ("HTML comment", "template") or (
            len(text.split()) >= 4 and not re.search(r"[{}<>=;()\[\]]|https?:", text))
        if not hits and _letters(text) >= 20 and prose:
            plain.append(f'hidden text removed ({reason}): "{_excerpt(text, 0, len(text))}"')
    return cuts, injections[:5] + plain[:5]


def strip_hidden_html(html: str) -> tuple[str, list[str]]:
    """Remove what a reader of the page does not see but a model would; say what was removed.

    Removed: comments, ``<template>``, and elements with ``hidden``, ``aria-hidden="true"`` or an
    inline style of display:none, visibility:hidden, opacity:0, font-size:0 (or 1px), a zero-size
    box with hidden overflow, off-screen positioning, or text coloured like its background. Kept:
    ``<noscript>`` (readers without JavaScript see it; trafilatura drops it anyway) and a hidden
    block holding most of the page's text (a script reveals it), unless it carries an injection.
    Every other character of the page is returned unchanged. Findings (at most ten, one line
    each) flag instructions aimed at AI models and name removed text of 20 letters or more.
    Never raises: on an internal error the page comes back with only its comments stripped.
    """
    try:
        cuts, findings = _review(html, _tokenize(html))
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
