"""Labelled claims for retrieval recall: each has one settling page among distractors.

For every language, three families of news facts (a budget voted, jobs cut, festival
visitors), each written as a claim, as the claim's English rendering, and as a reporter's
paraphrase (the settling sentence: the same figure and place, other words). The search in the
claim's language finds five pages, shuffled: the article itself (never evidence), the settling
page (unless it is in English: one claim in four, to exercise the English query) and
distractors: the same fact about another place with another figure, the same fact about the
same place with another figure (contradicting the claim), another fact about the same place,
another fact elsewhere. The English query finds the English settling page, if any, and four
English distractors of the same kinds. Every page is padded with the language's routine news
sentences and served with real boilerplate around it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

# family -> (claim, English claim, settling paraphrase, English paraphrase) per language.
FAMILIES = ("budget", "jobs", "visitors")
EN = {
    "budget": ("{place} approved a budget of {n} million euros for new trams.",
               "The city council of {place} voted on Monday to spend {n} million euros on "
               "buying new trams, officials said."),
    "jobs": ("The car plant in {place} will cut {n} jobs.",
             "The carmaker said it would eliminate {n} positions at its factory in {place} "
             "by the end of next year."),
    "visitors": ("{place} welcomed {n} thousand visitors at its summer festival.",
                 "Organisers said {n} thousand people attended the festival in {place} this "
                 "summer, a record."),
}
TEXTS = {
    "en": {**EN},
    "fr": {
        "budget": ("{place} a voté un budget de {n} millions d'euros pour de nouveaux tramways.",
                   "Le conseil municipal de {place} a décidé lundi de consacrer {n} millions "
                   "d'euros à l'achat de nouvelles rames de tramway."),
        "jobs": ("L'usine automobile de {place} va supprimer {n} emplois.",
                 "Le constructeur a annoncé la suppression de {n} postes dans son site de "
                 "{place} d'ici la fin de l'année prochaine."),
        "visitors": ("{place} a accueilli {n} mille visiteurs pour son festival d'été.",
                     "Selon les organisateurs, {n} mille personnes ont assisté au festival de "
                     "{place} cet été, un record."),
    },
    "de": {
        "budget": ("{place} hat ein Budget von {n} Millionen Euro für neue Straßenbahnen "
                   "beschlossen.",
                   "Der Stadtrat von {place} stimmte am Montag dafür, {n} Millionen Euro für "
                   "den Kauf neuer Straßenbahnen auszugeben."),
        "jobs": ("Das Autowerk in {place} streicht {n} Stellen.",
                 "Der Autobauer kündigte an, bis Ende nächsten Jahres {n} Arbeitsplätze in "
                 "seinem Werk in {place} abzubauen."),
        "visitors": ("{place} empfing {n} tausend Besucher bei seinem Sommerfestival.",
                     "Nach Angaben der Veranstalter besuchten in diesem Sommer {n} tausend "
                     "Menschen das Festival in {place}, ein Rekord."),
    },
    "es": {
        "budget": ("{place} aprobó un presupuesto de {n} millones de euros para nuevos "
                   "tranvías.",
                   "El ayuntamiento de {place} votó el lunes destinar {n} millones de euros a "
                   "la compra de nuevos tranvías."),
        "jobs": ("La planta de automóviles de {place} recortará {n} empleos.",
                 "El fabricante anunció que eliminará {n} puestos en su fábrica de {place} "
                 "antes de finales del próximo año."),
        "visitors": ("{place} recibió {n} mil visitantes en su festival de verano.",
                     "Según los organizadores, {n} mil personas asistieron este verano al "
                     "festival de {place}, una cifra récord."),
    },
    "zh": {
        "budget": ("{place}批准了{n}百万欧元的新有轨电车预算。",
                   "{place}市议会周一投票决定拨款{n}百万欧元购买新的有轨电车，官员表示。"),
        "jobs": ("{place}的汽车厂将裁员{n}人。",
                 "这家汽车制造商表示，将在明年年底前削减其{place}工厂的{n}个职位。"),
        "visitors": ("{place}夏季节日接待了{n}千名游客。",
                     "组织者说，今年夏天有{n}千人参加了{place}的节日，创下纪录。"),
    },
    "ja": {
        "budget": ("{place}は新しい路面電車のために{n}百万ユーロの予算を承認した。",
                   "{place}市議会は月曜日、新しい路面電車の購入に{n}百万ユーロを充てることを"
                   "議決したと当局者が明らかにした。"),
        "jobs": ("{place}の自動車工場は{n}人の雇用を削減する。",
                 "自動車メーカーは来年末までに{place}の工場で{n}人分の職を削減すると発表した。"),
        "visitors": ("{place}の夏祭りには{n}千人の観光客が訪れた。",
                     "主催者によると、今年の夏、{place}の祭りには過去最多の{n}千人が来場した。"),
    },
    "th": {
        "budget": ("{place}อนุมัติงบประมาณ {n} ล้านยูโรสำหรับรถรางใหม่",
                   "สภาเมือง{place}ลงมติเมื่อวันจันทร์ให้ใช้เงิน {n} ล้านยูโรเพื่อซื้อรถรางใหม่ "
                   "เจ้าหน้าที่กล่าว"),
        "jobs": ("โรงงานรถยนต์ใน{place}จะเลิกจ้างพนักงาน {n} ตำแหน่ง",
                 "ผู้ผลิตรถยนต์ระบุว่าจะลดตำแหน่งงาน {n} ตำแหน่งที่โรงงานใน{place} "
                 "ภายในสิ้นปีหน้า"),
        "visitors": ("{place}ต้อนรับนักท่องเที่ยว {n} พันคนในเทศกาลฤดูร้อน",
                     "ผู้จัดงานกล่าวว่ามีผู้เข้าร่วมเทศกาลใน{place} {n} พันคนในฤดูร้อนนี้ "
                     "ซึ่งเป็นสถิติใหม่"),
    },
}
FILLER = {
    "en": ["The decision follows months of debate among local officials.",
           "Critics said the plan came too late and cost too much.",
           "A spokesperson declined to comment further on the matter.",
           "The opposition has called for a public inquiry into the process."],
    "fr": ["La décision intervient après des mois de débats entre élus locaux.",
           "Les critiques estiment que le projet arrive trop tard et coûte trop cher.",
           "Un porte-parole n'a pas souhaité faire d'autre commentaire.",
           "L'opposition réclame une enquête publique sur la procédure."],
    "de": ["Die Entscheidung folgt auf monatelange Debatten unter den Lokalpolitikern.",
           "Kritiker sagten, der Plan komme zu spät und sei zu teuer.",
           "Ein Sprecher wollte sich nicht weiter äußern.",
           "Die Opposition fordert eine öffentliche Untersuchung des Verfahrens."],
    "es": ["La decisión llega tras meses de debate entre los responsables locales.",
           "Los críticos dijeron que el plan llega tarde y cuesta demasiado.",
           "Un portavoz declinó hacer más comentarios sobre el asunto.",
           "La oposición ha pedido una investigación pública sobre el proceso."],
    "zh": ["这一决定是在地方官员经过数月辩论之后作出的。", "批评者说，这项计划来得太晚，花费太高。",
           "一名发言人拒绝进一步置评。", "反对派呼吁对这一过程进行公开调查。"],
    "ja": ["この決定は地元当局者の間で数か月にわたる議論の末に下された。",
           "批判的な人々は、計画は遅すぎて費用がかかりすぎると述べた。",
           "広報担当者はそれ以上のコメントを控えた。",
           "野党は手続きについて公開調査を求めている。"],
    "th": ["การตัดสินใจครั้งนี้เกิดขึ้นหลังการถกเถียงของเจ้าหน้าที่ท้องถิ่นนานหลายเดือน",
           "ผู้วิจารณ์กล่าวว่าแผนนี้มาช้าเกินไปและมีค่าใช้จ่ายสูงเกินไป",
           "โฆษกปฏิเสธที่จะให้ความเห็นเพิ่มเติม",
           "ฝ่ายค้านเรียกร้องให้มีการสอบสวนกระบวนการอย่างเปิดเผย"],
}
PLACES = {
    "en": ["Leeds", "Bristol", "Cardiff", "Glasgow", "Belfast", "York", "Derby", "Exeter"],
    "fr": ["Lyon", "Nantes", "Rennes", "Lille", "Grenoble", "Dijon", "Brest", "Nancy"],
    "de": ["Bremen", "Leipzig", "Kassel", "Bonn", "Ulm", "Mainz", "Kiel", "Trier"],
    "es": ["Bilbao", "Valencia", "Sevilla", "Zaragoza", "Málaga", "Murcia", "Vigo", "Gijón"],
    "zh": ["成都", "武汉", "西安", "南京", "杭州", "青岛", "大连", "厦门"],
    "ja": ["名古屋", "札幌", "福岡", "仙台", "広島", "神戸", "京都", "熊本"],
    "th": ["เชียงใหม่", "ขอนแก่น", "ภูเก็ต", "อุดรธานี", "หาดใหญ่", "นครราชสีมา", "พิษณุโลก",
           "อุบลราชธานี"],
}
# How English-language pages and renderings spell the places of the other scripts.
ROMAN = {
    "zh": ["Chengdu", "Wuhan", "Xi'an", "Nanjing", "Hangzhou", "Qingdao", "Dalian", "Xiamen"],
    "ja": ["Nagoya", "Sapporo", "Fukuoka", "Sendai", "Hiroshima", "Kobe", "Kyoto", "Kumamoto"],
    "th": ["Chiang Mai", "Khon Kaen", "Phuket", "Udon Thani", "Hat Yai", "Nakhon Ratchasima",
           "Phitsanulok", "Ubon Ratchathani"],
}
LANGUAGES = tuple(TEXTS)


@dataclass(frozen=True)
class Page:
    """A page of the labelled web."""

    path: str
    site: str
    title: str
    language: str
    paragraphs: tuple[str, ...]
    key: int | None = None  # the paragraph that states the page's fact (not filler)


@dataclass(frozen=True)
class Labelled:
    """A claim, its English rendering, and the page and sentence that settle it."""

    language: str
    article: int  # which article (check) of its language it belongs to
    claim: str
    english: str
    settling: Page
    settling_sentence: str
    hits: tuple[Page, ...]  # the search results, shuffled; the article's own page among them
    own: Page
    english_hits: tuple[Page, ...] = ()  # the English query's results (other languages)

    @property
    def pages(self) -> tuple[Page, ...]:
        """Every page either query finds."""
        return self.hits + self.english_hits


def _page(rng: random.Random, page_lang: str, key: str, sentence: str, title: str) -> Page:
    filler = list(FILLER[page_lang])
    rng.shuffle(filler)
    at = rng.randrange(3)
    paragraphs = (*filler[:at], sentence, *filler[at:])
    return Page(f"/{page_lang}/{key}", f"{key}.{page_lang}-news.example", title, page_lang,
                paragraphs, at)


def _distractors(rng: random.Random, lang: str, key: str, place: str, other: str,
                 index: int, n: int) -> list[Page]:
    """Four pages that a search for the claim finds too, none of which settles it."""
    texts = EN if lang == "en" else TEXTS[lang]
    family, next_family = FAMILIES[index], FAMILIES[(index + 1) % 3]
    far_family = FAMILIES[(index + 2) % 3]
    return [
        # The same fact elsewhere, another figure; the same fact here, another figure (a
        # page that contradicts the claim: the settling page must rank above it by its figure).
        _page(rng, lang, f"same-{key}", texts[family][1].format(place=other, n=n + 111), other),
        _page(rng, lang, f"figure-{key}", texts[family][1].format(place=place, n=n + 37), place),
        _page(rng, lang, f"place-{key}", texts[next_family][1].format(
            place=place, n=rng.randrange(120, 990)), place),
        _page(rng, lang, f"far-{key}", texts[far_family][1].format(
            place=other, n=rng.randrange(120, 990)), other),
    ]


def labelled_web(seed: int = 7, articles: int = 3) -> list[Labelled]:
    """Every labelled claim: ``articles`` articles of three claims per language."""
    rng = random.Random(seed)
    cases = []
    for lang in LANGUAGES:
        places = PLACES[lang]
        roman = ROMAN.get(lang, places)
        for art in range(articles):
            place, english_place = places[art], roman[art]
            figures = [rng.randrange(120, 990) for _ in FAMILIES]
            own = Page(f"/{lang}/article-{art}", f"own.{lang}-news.example", place, lang,
                       tuple(TEXTS[lang][f][0].format(place=place, n=n)
                             for f, n in zip(FAMILIES, figures, strict=True)))
            for index, family in enumerate(FAMILIES):
                n = figures[index]
                claim_text, settle = TEXTS[lang][family]
                english_claim, english_settle = EN[family]
                in_english = lang != "en" and (art + index) % 4 == 3
                key = f"{lang}-{art}-{family}"
                sentence = (english_settle.format(place=english_place, n=n) if in_english
                            else settle.format(place=place, n=n))
                settling = _page(rng, "en" if in_english else lang, f"settle-{key}", sentence,
                                 f"{place}: {family}")
                pick = articles + (art + index) % (len(places) - articles)
                native = _distractors(rng, lang, key, place, places[pick], index, n)
                hits = [*([] if in_english else [settling]), *native][:4]
                rng.shuffle(hits)
                hits.insert(rng.randrange(len(hits) + 1), own)
                english_hits: list[Page] = []
                if lang != "en":  # the English query finds English pages
                    english_hits = [*([settling] if in_english else []), *_distractors(
                        rng, "en", f"{key}-en", english_place, roman[pick], index, n)]
                    rng.shuffle(english_hits)
                cases.append(Labelled(lang, art, claim_text.format(place=place, n=n),
                                      english_claim.format(place=english_place, n=n),
                                      settling, sentence, tuple(hits), own,
                                      tuple(english_hits)))
    return cases
