"""Word and character rules for languages the statistical detectors confuse.

Used by bot.ingest.language after fastText and lingua have named a group: Chinese scripts,
Japanese kanji forms, Serbian/Croatian/Bosnian by the jat reflex and vocabulary, Malay and
Indonesian by vocabulary. Pure functions on the text, no model.
"""

from __future__ import annotations

from bisect import bisect_right

# The word rules are compiled when a language first needs them: most checks need none.
from bot.text.charsets import later

# Frequent characters whose simplified and traditional forms differ (pairs in the same order;
# the last two traditional ones are common variants).
_SIMPLIFIED = set(
    "这个们来说时国会对学发经过与见开关实现为还点无长问题东车门书体头听记让证应电话业从当变气党岁议战区历义亲观联陆欧华语认动进边种样税争决报将强条员场万网钱银价买卖"
)
_TRADITIONAL = set(
    "這個們來說時國會對學發經過與見開關實現為還點無長問題東車門書體頭聽記讓證應電話業從當變氣黨歲議戰區歷義親觀聯陸歐華語認動進邊種樣稅爭決報將強條員場萬網錢銀價買賣爲説"
)
# Japanese shinjitai and kokuji: forms that neither simplified nor traditional Chinese uses, so
# a text of kanji alone that holds one is Japanese ("東京都知事選挙結果発表").
JAPANESE_KANJI = set(
    "図広売読変楽薬済鉄実発県団関対挙検経総営権戦歳転駅円気込働峠畑辺沢浜価労栄続険験払仏拡絵様黒"
    "悪圧覚観帰継軽厳雑賛歯児従処乗縄譲専銭層騒増蔵帯単弾遅庁聴伝徳脳廃髪豊満訳覧竜両緑戸枠匂栃"
)

# Ijekavian reflexes of jat (rijeka, vrijeme, mjesto, djeca, sjedili, tjedan).
_IJEKAVIAN = later(
    r"(?i)[bcćčdfghklmnprsštvzž]ije[a-zčćšžđ]|[dmvsptc]je|\b(?:prije|poslije|dvije)\b")
# Frequent ekavian words (their ijekavian forms: prije, poslije, dvije, gdje, rijeka, djeca ...;
# not vremena, the genitive of both vreme and vrijeme).
_EKAVIAN = later(
    r"(?i)\b(?:pre|posle|dve|gde|ovde|negde|rek[aeiu]|rekom|dec[aeu]|decom|vreme|mest[aou]"
    r"|lep[aeo]?|mleko|cen[aeu]|uvek|leto|pesm[aeu]|mesec\w*|devojk\w*|nedelj\w*|sedel[aio]"
    r"|sedeo|hte(?:o|la|li)|dete|telo|reč|primer\w*|svet(?:a|u|om)?|okolin\w*|prevod\w*)\b")
# Words of the same meaning that Croatian and Bosnian tell apart (both ijekavian).
_CROATIAN = later(
    r"(?i)\b(?:tijekom|tjed(?:an|na|nu|ni)|vlak\w*|tisuć\w*|kruh\w*|glazb\w*|kazališt\w*"
    r"|zrakoplov\w*|sveučilišt\w*|obitelj\w*|tko|povijest\w*|knjižnic\w*|siječ\w*)\b")
_BOSNIAN = later(  # Bosnian alone (Serbian istorija, hleb, lako, kafa; Croatian ...)
    r"(?i)\b(?:historij\w*|hljeb\w*|lahk\w*|kahv\w*|avlij\w*|bašč\w*|sahat\w*|hudovi\w*"
    r"|mahal\w*)\b")
# Words Serbian and Bosnian share and Croatian says otherwise (vlak, tisuća, što, tijekom,
# knjižnica, bilježnica, obitelj, sveučilište, kazalište, glazba, zrakoplov, nogomet, tko).
_SERBIAN_BOSNIAN = later(
    r"(?i)\b(?:tokom|sedmic\w*|voz(?:a|u|om|ovi)?|hiljad\w*|šta|uveče|bibliotek\w*"
    r"|svesk\w*|svesci|porodic\w*|univerzitet\w*|pozorišt\w*|muzik\w*|avion\w*"
    r"|fudbal\w*|ko|opštin\w*|hemij\w*|ka)\b")

# Danish, Bokmål and Nynorsk: frequent words that one or two of them spell their own way.
_DANISH = later(  # Danish alone (Norwegian av, etter, nå/no, igjen, meg, noe/noko ...)
    r"(?i)\b(?:af|efter|nu|igen|mig|dig|sig|noget|nogle|meget|hvad|blev|bliver|havde|gade"
    r"|mellem|måske|spørge|spurgte|aften|uge|købe|købte|tøj|hjælpe|pige|dreng|vej|lidt|mad"
    r"|ud|op|skov|sten|sjov)\b")
_NORWEGIAN = later(  # Bokmål and Nynorsk alike, not Danish
    r"(?i)\b(?:av|etter|igjen|meg|deg|seg|kveld|klokka|mellom|jente|opp|ut|mat|litt|skog"
    r"|stein|kjøpe|kjøpte)\b")
_BOKMAL = later(  # Bokmål alone
    r"(?i)\b(?:hva|noe|noen|mye|ble|nå|uke|gutt|vei|veien|veiene|hjelpe|kanskje|spørre"
    r"|kommer|tidlig|flere|gjør|sier|egen|eget|helt|sammen|vann)\b")
_DANO_BOKMAL = later(  # Danish and Bokmål alike, where Nynorsk has its own word
    r"(?i)\b(?:ikke|jeg|hun|hvor|hvordan|hvis|de|dem|være|fra|bare|hele|hjem|en|et|selv"
    r"|hvem)\b")
_NYNORSK = later(  # Nynorsk alone (Bokmål kommer, tidlig, flere, gjør, sier, egen ...)
    r"(?i)\b(?:ikkje|eg|ho|kva|kvar|korleis|kven|noko|nokon|mykje|frå|berre|heile|vere"
    r"|vera|vart|dei|deira|òg|heim|fekk|skule|veke|gjekk|sjølv|ein|eit|hjå|enno|gut|veg"
    r"|vegen|vegane|blei|vert|kjem|tidleg|fleire|gjer|seier|eigen|eige|heilt|saman|vatn"
    r")\b")


def scandinavian(text: str, code: str, scores: dict[str, float]) -> str:
    """``da``, ``nb``, ``nn`` or ``no`` by the words they spell their own ways (else ``code``).

    Where no word tells Bokmål from Nynorsk, ``scores`` (lingua's) decide when one has at
    least twice the other's, and the answer is ``no`` otherwise.
    """
    danish, norwegian = len(_DANISH().findall(text)), len(_NORWEGIAN().findall(text))
    bokmal, nynorsk = len(_BOKMAL().findall(text)), len(_NYNORSK().findall(text))
    if danish > norwegian + bokmal + nynorsk:
        return "da"
    if code == "da" and not (norwegian + bokmal + nynorsk):
        return code  # no word sets Norwegian apart from Danish
    # Norwegian, by its words or by the detectors: words Bokmål shares with Danish now count
    # for Bokmål against Nynorsk.
    bokmal += len(_DANO_BOKMAL().findall(text))
    if bokmal != nynorsk:
        return "nb" if bokmal > nynorsk else "nn"
    best = code if code in ("nb", "nn") else max(("nb", "nn"), key=lambda c: scores.get(c, 0.0))
    other = "nn" if best == "nb" else "nb"
    return best if scores.get(best, 0.0) >= 2 * scores.get(other, 0.0) else "no"


# Function words of Slovene that Serbo-Croatian does not have (v for u, ki, so for su, tudi,
# zelo, kot for kao ...), and the Serbo-Croatian ones Slovene does not have.
_SLOVENE = later(
    r"(?i)\b(?:v|ki|so|tudi|zelo|kot|ker|kje|kaj|bo|bodo|jih|sta|ste|nisem|vendar|samo še"
    r"|nekaj|danes|včeraj|jutri)\b")
_SERBO_CROATIAN = later(
    r"(?i)\b(?:u|su|koji|koja|koje|kojeg|što|šta|kao|će|ću|nije|nisu|danas|jučer|juče|sutra"
    r"|nešto|vrlo|veoma|jer|gdje|gde)\b")


# Words that Malaysian Malay and Indonesian spell or choose differently (kerana/karena ...).
_MALAY = later(
    r"(?i)\b(?:kerana|baharu|sahaja|wang|bas|pejabat|kerajaan|selepas|budak|epal|pukul|polis"
    r"|hospital|universiti|semalam|bilik|kedai|kenderaan|teksi|percuma|memandu|pokok|kereta"
    r"|basikal|percutian|tandas|telefon bimbit|bandar raya|pelancong|belia)\b")
_INDONESIAN = later(
    r"(?i)\b(?:karena|saja|uang|bus|kantor|pemerintah|setelah|sesudah|apel|jam|polisi"
    r"|rumah sakit|universitas|kemarin|bisa|kamar|toko|kendaraan|taksi|gratis|menyetir"
    r"|nggak|enggak|banget|pohon|mobil|sepeda|liburan|toilet|ponsel|wisatawan|pemuda)\b")


def chinese_script(text: str) -> str:
    """``zh-Hans`` or ``zh-Hant`` by the frequent characters that differ, else ``zh``."""
    simplified = sum(ch in _SIMPLIFIED for ch in text)
    traditional = sum(ch in _TRADITIONAL for ch in text)
    if simplified > traditional:
        return "zh-Hans"
    if traditional > simplified:
        return "zh-Hant"
    return "zh"


def serbo_croatian(text: str, code: str, scores: dict[str, float]) -> str:
    """``sr``, ``hr`` or ``bs`` for Latin text the detectors put in the group (else ``code``).

    ``scores`` are the detectors' beliefs in the three, which decide when the words do not.
    """
    # Standard Serbian is ekavian (reka, pre, mesto), Croatian and Bosnian ijekavian (rijeka,
    # prije, mjesto): both detectors miss this and take Latin Serbian for the other two.
    if len(_SLOVENE().findall(text)) > len(_SERBO_CROATIAN().findall(text)):
        return "sl"  # Slovene, which the detectors put in the group on short text
    ijekavian, ekavian = len(_IJEKAVIAN().findall(text)), len(_EKAVIAN().findall(text))
    if ekavian > ijekavian:
        return "sr"
    croatian, bosnian = len(_CROATIAN().findall(text)), len(_BOSNIAN().findall(text))
    eastern = bosnian + len(_SERBIAN_BOSNIAN().findall(text))  # voz, hiljada, šta: not Croatian
    if croatian > eastern:
        return "hr"
    if ijekavian > ekavian:  # Croatian or Bosnian
        if eastern > croatian:
            return "bs"
        return code if code != "sr" else max(("hr", "bs"), key=lambda c: scores.get(c, 0.0))
    if eastern > croatian:  # no jat word, and not Croatian: Bosnian only by its own words
        return "bs" if bosnian else "sr"
    return code  # no word tells the three apart


def malay_indonesian(text: str, code: str) -> str:
    """``ms`` or ``id`` by the words that differ (else ``code``)."""
    # One language in two standards that both detectors confuse: words that differ decide.
    malay, indonesian = len(_MALAY().findall(text)), len(_INDONESIAN().findall(text))
    if malay == indonesian:
        return code
    return "ms" if malay > indonesian else "id"


def words_tell(text: str, code: str) -> bool:
    """Whether some word of ``text`` sets one of ``code``'s close group apart (Latin
    Serbo-Croatian: an ekavian word or vocabulary, or Slovene's; an ijekavian word alone leaves
    Croatian and Bosnian; Malay or Indonesian vocabulary).

    Where none does, the group's member was the detectors' pick among languages that read the
    same: right on 53-60% of such pairs and sentences of the test set, however sure the group.
    """
    if code in ("hr", "bs", "sr"):
        rules = (_EKAVIAN, _CROATIAN, _BOSNIAN, _SERBIAN_BOSNIAN, _SLOVENE)
    elif code in ("ms", "id"):
        rules = (_MALAY, _INDONESIAN)
    else:
        return True
    return any(rule().search(text) for rule in rules)


# Galician beside Portuguese and Spanish: lingua has no Galician, and fastText's small model
# often prefers Portuguese. Words frequent in each and absent (or rare) in the other two.
_GALICIAN = later(
    r"(?i)\b(?:unha|unhas|non|moi|xa|tamén|máis|cos|coa|coas|polo|pola|polos|nunha|ata|dende"
    r"|agora|aquí|nin|cara|despois|sempre|xente|mellor|noite|cidade|ningún|algún|vello|vella"
    r"|miña|teu|túa|seu|súa|eles|elas|foi|facer|vez|xeito|aínda|ademais)\b")
_PORTUGUESE = later(
    r"(?i)\b(?:não|uma|umas|um|muito|também|com|pelo|pela|numa|até|depois|agora|aqui|ainda"
    r"|então|são|está|estão|você|cidade|noite|minha|sua|seu|eles|elas|foi|fazer|vez|mais)\b"
    r"|ã|õ|ç|lh")
_SPANISH = later(
    r"(?i)\b(?:el|los|las|una|unas|un|y|muy|también|con|por|pero|hasta|después|ahora|aquí"
    r"|todavía|entonces|son|está|están|usted|ciudad|noche|mía|su|ellos|ellas|fue|hacer|vez"
    r"|más)\b")


def galician(text: str, code: str) -> str:
    """``gl`` when Galician words outnumber both Portuguese and Spanish ones (else ``code``)."""
    own = len(_GALICIAN().findall(text))
    if own >= 2 and own > max(len(_PORTUGUESE().findall(text)), len(_SPANISH().findall(text))):
        return "gl"
    return code


# Scripts that, of the languages the detectors can name, one language alone is written in.
# fastText's small model misreads a few words of some of them (two Lao words come out English)
# and lingua knows few of them, but the script itself says the language. Left out: scripts
# several supported languages share (Hebrew: he and yi; Bengali: bn and as; Devanagari ...).
_SCRIPT_LANGUAGE = (
    ("\u0370", "\u03ff", "el"), ("\u0530", "\u058f", "hy"), ("\u0780", "\u07bf", "dv"),
    ("\u0a00", "\u0a7f", "pa"), ("\u0a80", "\u0aff", "gu"), ("\u0b00", "\u0b7f", "or"),
    ("\u0b80", "\u0bff", "ta"), ("\u0c00", "\u0c7f", "te"), ("\u0c80", "\u0cff", "kn"),
    ("\u0d00", "\u0d7f", "ml"), ("\u0d80", "\u0dff", "si"), ("\u0e00", "\u0e7f", "th"),
    ("\u0e80", "\u0eff", "lo"), ("\u0f00", "\u0fff", "bo"), ("\u1000", "\u109f", "my"),
    ("\u10a0", "\u10ff", "ka"), ("\u1200", "\u139f", "am"), ("\u1780", "\u17ff", "km"),
    ("\u1c90", "\u1cbf", "ka"), ("\u1f00", "\u1fff", "el"), ("\u2d00", "\u2d2f", "ka"),
)
_SCRIPT_STARTS = [low for low, _, _ in _SCRIPT_LANGUAGE]
SCRIPT_SHARED = frozenset({"am", "bo", "my"})
"""Of those, languages whose script another living language the detectors cannot name writes
too (Tigrinya in Ethiopic, Dzongkha in Tibetan, Shan and Mon in Burmese): named with less
confidence."""
_FIRST_SCRIPT = _SCRIPT_STARTS[0]


def script_language(text: str) -> str | None:
    """The language whose own script holds most of the letters of ``text``, if there is one.

    Most: more than half of the letters (marks and digits not counted), so a Latin text
    quoting a Greek word, or a mixed text, stays with the detectors.
    """
    if not text or max(text) < _FIRST_SCRIPT:
        return None
    found: dict[str, int] = {}
    letters = 0
    for char in text:
        if not char.isalpha():
            continue
        letters += 1
        if char < _FIRST_SCRIPT:
            continue
        index = bisect_right(_SCRIPT_STARTS, char) - 1
        if index >= 0 and char <= _SCRIPT_LANGUAGE[index][1]:
            code = _SCRIPT_LANGUAGE[index][2]
            found[code] = found.get(code, 0) + 1
    if not found:
        return None
    code, count = max(found.items(), key=lambda item: item[1])
    return code if count * 2 > letters else None
