"""The archive backend over a real store, SQLite and Postgres (the ``database`` fixture):
every script, figures and names, never itself."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.config import load_settings
from bot.records import Article, Language
from bot.search import build_backends
from bot.store import Store, insert_rows
from bot.store.archive import index_pending, index_terms
from bot.store.articles import save_article


def article(article_id: str, text: str, language: str, title: str = "",
            url: str | None = None) -> Article:
    return Article(article_id, article_id * 4, text, title or text[:30], Language(language, 0.9),
                   url or f"https://{article_id}.example.org/story", canonical_url=url)


STORIES = [
    article("lemonde", "Le président Emmanuel Macron a annoncé 1 200 emplois à Marseille en "
            "2026. L'usine ouvrira en mars.", "fr", "Macron à Marseille",
            "https://www.lemonde.fr/economie/macron-marseille.html"),
    article("tagesschau", "Präsident Emmanuel Macron kündigte 1.200 Arbeitsplätze in Marseille "
            "an. Die Fabrik öffnet im März 2026.", "de", "Macron in Marseille",
            "https://www.tagesschau.de/ausland/macron-marseille.html"),
    article("weather", "The weather in London was rainy and the president of the club "
            "resigned on Monday.", "en", "London weather"),
    article("xinhua", "北京市政府宣布新的交通计划，将投资1200亿元建设地铁。", "zh", "北京交通计划"),
    article("yomiuri", "東京都は新しい防災計画を発表し、予算は300億円となる。", "ja",
            "東京都の防災計画"),
    article("thairath", "กรุงเทพมหานครประกาศแผนรับมือน้ำท่วม งบประมาณ 500 ล้านบาท", "th",
            "แผนน้ำท่วมกรุงเทพ"),
    article("bhaskar", "दिल्ली सरकार ने 300 नई बसों की घोषणा की।", "hi", "दिल्ली बसें"),
]


@pytest.fixture
async def archive(database):
    settings = load_settings(environ={})
    async with Store(database) as store:
        for story in STORIES:
            await store.run(save_article, story)
        yield build_backends(settings, None, store)["archive"], store


async def test_the_same_event_in_another_language_is_found(archive):
    backend, _ = archive
    hits = await backend.search("Macron annonce 1 200 emplois à Marseille", "fr", 5,
                                exclude_article_id="lemonde")
    assert [h.article_id for h in hits] == ["tagesschau"]  # never the article itself
    hit = hits[0]
    assert hit.backend == "archive" and hit.language == "de" and hit.site == "tagesschau.de"
    assert hit.url == "https://www.tagesschau.de/ausland/macron-marseille.html"
    assert hit.title == "Macron in Marseille" and "1.200 Arbeitsplätze" in hit.snippet


async def test_without_exclusion_the_article_itself_may_come_back(archive):
    backend, _ = archive
    hits = await backend.search("Macron 1 200 Marseille", "fr", 5)
    assert {h.article_id for h in hits} == {"lemonde", "tagesschau"}


@pytest.mark.parametrize(("query", "found"), [
    ("北京交通计划", "xinhua"),            # Chinese: no spaces, a two-character name
    ("東京都 防災計画", "yomiuri"),          # Japanese: kanji and kana
    ("แผนรับมือน้ำท่วม กรุงเทพมหานคร", "thairath"),  # Thai: vowel marks inside the words
    ("दिल्ली सरकार बसों", "bhaskar"),         # Hindi: combining vowel signs
    ("Präsident Macron Arbeitsplätze", "tagesschau"),
])
async def test_every_script_is_searchable(archive, query, found):
    backend, _ = archive
    hits = await backend.search(query, "und", 3)
    assert hits and hits[0].article_id == found


async def test_a_common_word_in_common_is_not_corroboration(archive):
    backend, _ = archive
    assert await backend.search("the president of the republic", "en", 5) == []


async def test_diacritics_fold_in_latin_scripts(archive):
    backend, _ = archive
    hits = await backend.search("president Macron emplois Marseille", "fr", 5)
    assert "lemonde" in {h.article_id for h in hits}


async def test_articles_stored_later_are_indexed_and_deleted_ones_forgotten(archive):
    backend, store = archive
    later = article("elpais", "Macron anunció 1.200 empleos en Marsella.", "es")
    await store.run(save_article, later)
    hits = await backend.search("Macron 1.200 Marsella", "es", 5)
    assert "elpais" in {h.article_id for h in hits}
    assert await store.run(index_pending) == 0  # nothing left to index

    def forget(db):
        db.execute("delete from articles where id = 'elpais'")
        return index_pending(db), db.execute(
            "select count(*) from archive_terms where article_id = 'elpais'").fetchone()[0]

    assert await store.run(forget) == (0, 0)


def test_index_terms():
    assert index_terms("Présidentielle 2027: 1,200 votes") == [
        "presid", "2027", "1", "200", "votes"]
    assert index_terms("北京市") == ["北京", "京市"]
    assert index_terms("京") == ["京"]
    assert index_terms("ＦＵＬＬ－ＷＩＤＴＨ １２") == ["full", "width", "12"]  # NFKC first
    assert index_terms("f35 covid19") == ["f", "35", "covid", "19"]
    assert index_terms("हिन्दी") == ["हिन्दी"]  # marks stay with their letters
    assert index_terms("กรุง") == ["กรุ", "รุง"]  # pairs of letters, each with its marks
    assert index_terms("٣٤ ३४ 34 007") == ["34", "34", "34", "007"]  # every script's digits


async def test_a_large_backlog_is_indexed_over_several_searches(database):
    async with Store(database) as store:
        def fill(db):
            insert_rows(db, "articles", ({"id": f"a{i}", "sha256": f"s{i}", "source": "x",
                                          "language": "en", "text": f"story {i}", "chars": 8,
                                          "created_at": f"2026-12-01T00:00:{i:02d}"}
                                         for i in range(60)))
        await store.run(fill)
        # A budget already spent still indexes one batch (50), newest first; the rest next time.
        assert await store.run(index_pending, 0.0) == 50
        assert await store.run(index_pending, 0.0) == 10
        assert await store.run(index_pending, 0.0) == 0


@pytest.mark.parametrize("others", [1, 2, 3])
async def test_a_small_archive_corroborates_from_its_first_other_article(database, others):
    # The checked article is stored (and indexed) before its claims search: with one, two or
    # three earlier reports of the event, every shared figure and name is still distinctive.
    reports = [
        *STORIES[:2],
        article("elpais", "Macron anunció 1.200 empleos en Marsella para 2026.", "es"),
        article("bbc", "President Macron announced 1,200 jobs in Marseille in 2026.", "en"),
    ]
    async with Store(database) as store:
        for story in reports[:others + 1]:
            await store.run(save_article, story)
        backend = build_backends(load_settings(environ={}), None, store)["archive"]
        hits = await backend.search("Macron 1 200 emplois Marseille 2026", "fr", 5,
                                    exclude_article_id="lemonde")
    assert {h.article_id for h in hits} == {r.id for r in reports[1:others + 1]}


async def test_known_frequencies_follow_the_articles_stored_since(tmp_path):
    # A SQLite connection remembers the document frequencies it read; articles indexed later
    # are counted in (a term FTS5 keeps in pieces, "京・大", is read again instead).
    from bot.store.archive import _document_frequency, _known_frequency

    terms = ["macron", "1", "200", "marsei", "2026", "京・", "東京", "xyzzy"]
    async with Store(tmp_path / "a.db") as store:
        for story in STORIES:
            await store.run(save_article, story)

        def frequencies(db):
            index_pending(db)
            return _known_frequency(db, terms), _document_frequency(db, terms)

        known, truth = await store.run(frequencies)
        assert known == truth and truth["macron"] == 2
        for story in (article("elpais", "Macron anunció 1.200 empleos en Marsella en 2026.", "es"),
                      article("asahi", "東京・大阪で1200人が参加した。", "ja")):
            await store.run(save_article, story)
        known, truth = await store.run(frequencies)
        assert known == truth and truth["macron"] == 3 and truth["東京"] == 2

        def forget(db):
            db.execute("delete from articles where id = 'elpais'")
            return frequencies(db)

        known, truth = await store.run(forget)  # a deletion: read afresh
        assert known == truth and truth["macron"] == 2


async def test_searches_asked_together_visit_the_store_once(archive):
    import asyncio

    backend, store = archive
    queries = ["Macron annonce 1 200 emplois à Marseille", "北京交通计划", "东京 防灾",
               "the president of the republic"]
    alone = [await backend.search(q, "und", 5, exclude_article_id="lemonde") for q in queries]
    jobs = []
    submit = store.submit

    def counted(fn, *args, **kwargs):
        jobs.append(fn.__name__)
        return submit(fn, *args, **kwargs)

    store.submit = counted
    together = await asyncio.gather(*(backend.search(q, "und", 5, exclude_article_id="lemonde")
                                      for q in queries))
    assert list(together) == alone and alone[0] and alone[1] and not alone[3]
    assert jobs == ["search_archive_many"]


# index_terms splits text with a small pattern unless it holds an unspaced script; the full
# pattern, as it was written before, is the reference for every text.
_PIECES = ["Présidentielle", "naïve", "Ελλάδα", "Москва", "1,200", "f35", "٣٤", "३४", "_x_",
           "北京市", "東京・大阪", "ｶﾀｶﾅ", "กรุงเทพ", "ภาษาไทย", "서울특별시", "가", "မြန်မာ၁၂",
           "ភ្នំពេញ", "हिन्दी", "বাংলা", "e\u0301", "\u0301a", "a\u0e31b", "12၃", "’", "—",
           "€", " ", "\n", ".", "𠀀𠀁", "ＦＵＬＬ"]


def _reference_terms(text):
    import re
    import unicodedata

    from bot.store import archive as a

    run = re.compile(rf"([{a._UNSPACED}](?:[{a._UNSPACED}]|[{a._MARKS}])*)|(\d+)"
                     rf"|((?:[^\W\d_{a._UNSPACED}]|[{a._MARKS}])+)")
    unit = re.compile(rf".[{a._MARKS}]*", re.DOTALL)
    terms = []
    for match in run.finditer(unicodedata.normalize("NFKC", text).casefold()):
        chars, number, word = match.groups()
        if chars:
            units = unit.findall(chars)
            terms.extend(units if len(units) == 1 else
                         ["".join(units[i:i + 2]) for i in range(len(units) - 1)])
        elif number:
            terms.append(number if number.isascii() else
                         "".join(str(unicodedata.digit(c, 0)) for c in number))
        else:
            terms.append(a._stem(a._fold(word)))
    return terms


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=12))
def test_index_terms_are_those_of_the_full_pattern(pieces):
    text = "".join(pieces)
    assert index_terms(text) == _reference_terms(text)
