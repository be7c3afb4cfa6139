"""Find text aimed at a language model inside an article.

``find_injections`` matches instruction-like phrases (en, fr, de, es, it, pt, nl, ru, ja, zh) on
a folded copy of the text: NFKC, casefold, diacritics and zero-width characters dropped,
Cyrillic and Greek look-alikes mapped to Latin, apostrophes and dashes unified, whitespace
collapsed. Imperatives count only at the start of a clause, so reporting ("researchers told the
model to ignore its instructions") stays quiet while an order addressed to the model is caught.

HTML a reader never sees is stripped by :mod:`bot.ingest.hidden_html`, which reports the
phrases found there with :func:`instruction_phrases`.
"""

from __future__ import annotations

import re
import unicodedata

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
# Patterns in other scripts are written as the language is and folded like the text they are
# matched against (Cyrillic look-alikes become Latin letters, kana lose their voicing marks).
# Imperatives only: "исследователи попросили модель проигнорировать…" is reporting.
_NATIVE_PATTERNS_SRC: list[tuple[str, str, str]] = [
    ("ignore previous instructions", "ru",
     r"(?:игнорируй|игнорируйте|забудь|забудьте|отбрось|отбросьте|не обращай внимания на|"
     r"не обращайте внимания на) (?:все )?(?:свои |ваши |твои )?(?:предыдущие|прежние|прошлые|"
     r"вышеуказанные|изначальные|исходные|системные) (?:инструкции|указания|команды|правила|"
     r"установки)"),
    ("note to AI systems", "ru",
     r"(?:примечание|сообщение|заметка|обращение|указание) (?:для )?(?:всех )?(?:ии|систем ии|"
     r"систем искусственного интеллекта|искусственного интеллекта|языковых моделей|"
     r"языковой модели|чат-ботов|чат-бота|ассистентов|ассистента)(?= ?[:,!\-(]|$)"),
    ("mark every claim as supported", "ru",
     r"(?:отметь|отметьте|пометь|пометьте|считай|считайте|оцени|оцените) (?:каждое|все|любое) "
     r"(?:утверждение|утверждения|заявление|заявления|факты?) (?:как )?(?:верное|верные|"
     r"истинное|истинные|подтвержденное|подтвержденные|достоверное|достоверные|правдивое|"
     r"правдивые)"),
    ("ignore previous instructions", "ja",
     r"(?:以前|これまで|上記|前|元|最初)の(?:指示|命令|指令|プロンプト|ルール|設定)(?:を|は)?"
     r"(?:すべて|全て|全部)?(?:無視|忘れ)"),
    ("ignore previous instructions", "zh",
     r"(?:忽略|无视|無視|忘记|忘記|不要理会|不要理會)(?:你)?(?:之前|以前|上面|上述|先前|原来|原來|"
     r"所有)(?:的)?(?:所有|全部)?(?:的)?(?:指令|指示|命令|提示词|提示詞|提示|规则|規則|设定|設定)"),
]
_PATTERNS_SRC += [(label, lang, src.translate(_FOLD)) for label, lang, src in _NATIVE_PATTERNS_SRC]
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
# Invisible and control characters, dropped from what a finding quotes.
INVISIBLE = re.compile(r"[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff"
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
    return bool(_matches(_fold(text)))


def instruction_phrases(text: str) -> list[tuple[str, str]]:
    """(kind of phrase, excerpt) for each instruction-like phrase of ``text``, at most five."""
    if not text or not has_instruction(text):
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
        results.append((tag, excerpt(text, index[start], index[end - 1] + 1)))
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
