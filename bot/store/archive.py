"""The archive's full-text index: every stored article, searchable in any script.

SQLite's own tokenizers do not serve every language: ``unicode61`` treats combining marks as
separators (Hindi ``हिन्दी`` became ``ह``, ``द``, ``न``; Thai ``กรุงเทพ`` became ``กร``, ``งเทพ``)
and sees a Chinese or Japanese sentence as one word; ``trigram`` cannot match a two-character
name (北京). So the terms are made here, by :func:`index_terms`, and stored one row per article
in ``archive_terms``, which FTS5 indexes with ``unicode61`` told to keep marks
(``categories 'L* N* M* Co'``) and to fold nothing more: each term reaches the index whole.

- Scripts written with spaces: words, casefolded, Latin, Greek and Cyrillic without their
  diacritics ("présidentielle" finds "presidentielle"), cut to six letters (a stemmer for any
  language: "reported" and "reports" meet). Numbers stay whole, digit runs apart and in ASCII
  digits, so "1,200", "1 200", "1.200" and "١٬٢٠٠" agree across locales and scripts.
- Scripts written without spaces (Han, kana, Hangul, Thai, Lao, Khmer, Burmese): overlapping
  pairs of characters, each with its combining marks, the usual substitute for words.

Articles are indexed when a search runs (:func:`index_pending`): whatever was stored since the
last search, so no other writer has to know about the index, and rows of deleted articles go.
A search ORs the query's terms, ranks by BM25 and keeps the articles that share at least two of
the query's distinctive terms (one, for a query that has only one): terms in at most half the
other articles (or in at most :data:`COMMON_FLOOR` of them, in a small archive) that are not
words of three letters or fewer ("the", "der", "les"). A common word in common is not
corroboration; the article being checked is not counted, so the second article ever stored
already finds the first.

On Postgres the same terms, made by the same function, are stored in the same table with, beside
them, a ``tsvector`` that holds each term whole (the text form is cast, never parsed again by a
text-search configuration) with one position per occurrence, under a GIN index. A search finds
the articles holding any query term through that index and ranks them by BM25 computed in SQL
from the term frequencies, the article's length and the idf of :func:`_idf`; the distinctive
terms rule is the same code on both.
"""

from __future__ import annotations

import math
import re
import time
import unicodedata
from typing import Any

from bot.store.connection import Db, Dialect, upsert

TERMS_VERSION = 1  # bump when index_terms changes: older rows are indexed again
TERMS_TABLE = "archive_terms"
TOKENIZE = "unicode61 remove_diacritics 0 categories 'L* N* M* Co'"
MAX_QUERY_TERMS = 64
_STEM = 6
_BATCH = 50  # articles indexed per transaction
# A term in more than half the other articles is common, but never in fewer than this many:
# in a small archive the few articles there are may all report the same event.
COMMON_FLOOR = 3
INDEX_BUDGET = 2.0  # seconds a search may spend indexing articles stored since the last one

_UNSPACED = (
    "\u3040-\u309f\u30a0-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    "\U00020000-\U0002fa1f\uac00-\ud7af\u1100-\u11ff\u3130-\u318f"
    "\u0e01-\u0e4e\u0e81-\u0ece\u1000-\u109f\u1780-\u17dd"
)


def _marks() -> str:
    return re.escape("".join(
        chr(code) for code in (*range(0x0300, 0x1E00), *range(0x3099, 0x309B),
                               *range(0xA8E0, 0xA900), *range(0xFE20, 0xFE30))
        if unicodedata.category(chr(code)).startswith("M")))


_MARKS = _marks()
# An unspaced run, a number, or a word (letters and their marks; digits apart: "f35").
_RUN = re.compile(rf"([{_UNSPACED}](?:[{_UNSPACED}]|[{_MARKS}])*)|(\d+)"
                  rf"|((?:[^\W\d_{_UNSPACED}]|[{_MARKS}])+)")
_UNIT = re.compile(rf".[{_MARKS}]*", re.DOTALL)
_UNSPACED_CHAR = re.compile(f"[{_UNSPACED}]")
_HAS_MARK = re.compile(f"[{_MARKS}]")


def index_terms(text: str) -> list[str]:
    """The index terms of ``text``, in order (see the module's docstring)."""
    terms: list[str] = []
    for match in _RUN.finditer(unicodedata.normalize("NFKC", text).casefold()):
        run, number, word = match.groups()
        if run:
            units = _UNIT.findall(run)
            terms.extend(units if len(units) == 1 else
                         ["".join(units[i:i + 2]) for i in range(len(units) - 1)])
        elif number:
            # Every script's digits as ASCII ones: "٣٤" and "३४" are 34, as elsewhere.
            terms.append(number if number.isascii() else
                         "".join(str(unicodedata.digit(c, 0)) for c in number))
        else:
            terms.append(_stem(_fold(word)))
    return terms


def _fold(word: str) -> str:
    """``word`` without diacritics when it is written in Latin, Greek or Cyrillic."""
    if word.isascii():
        return word
    if all(ord(c) < 0x0530 or 0x1E00 <= ord(c) < 0x2000 for c in word):
        stripped = "".join(c for c in unicodedata.normalize("NFKD", word)
                           if not unicodedata.combining(c))
        return unicodedata.normalize("NFC", stripped) or word
    return word


def _stem(word: str) -> str:
    """The first six letters of ``word``, with the marks that follow them."""
    if len(word) <= _STEM:
        return word
    if word.isascii() or not _HAS_MARK.search(word, 0, _STEM * 4):
        return word[:_STEM]
    letters = 0
    for end, char in enumerate(word):
        if not unicodedata.category(char).startswith("M"):
            letters += 1
            if letters > _STEM:
                return word[:end]
    return word


def index_pending(db: Db, budget: float | None = None) -> int:
    """Index the stored articles that are not (or not in this version) in the archive index,
    and forget the rows of deleted articles; returns how many were indexed.

    With ``budget`` (seconds) it stops after the batch that used it up: a database upgraded
    with years of articles is indexed over the first searches instead of stalling one (an
    article takes a few milliseconds).
    """
    started = time.perf_counter()
    db.execute(f"delete from {TERMS_TABLE} where article_id not in "  # noqa: S608
               "(select id from articles)")
    pending = [row[0] for row in db.execute(
        f"select a.id from articles a left join {TERMS_TABLE} t "  # noqa: S608
        f"on t.article_id = a.id where t.article_id is null or t.version < {TERMS_VERSION} "
        "order by a.created_at desc").fetchall()]  # newest first: today's news matters most
    postgres = db.dialect is Dialect.POSTGRES
    done = 0
    for start in range(0, len(pending), _BATCH):
        ids = pending[start:start + _BATCH]
        marks = ", ".join("?" for _ in ids)
        articles = db.execute(f"select id, title, text from articles "  # noqa: S608
                              f"where id in ({marks})", ids).fetchall()
        with db.atomic():
            for article_id, title, text in articles:
                terms = index_terms(f"{title or ''}\n{text}")
                row: dict[str, Any] = {"article_id": article_id, "terms": " ".join(terms),
                                       "version": TERMS_VERSION}
                if postgres:
                    row |= {"length": len(terms), "lexemes": tsvector(terms)}
                upsert(db, TERMS_TABLE, row, key=("article_id",))
        done += len(articles)
        if budget is not None and time.perf_counter() - started > budget:
            break
    return done


def tsvector(terms: list[str]) -> str:
    """Postgres's text form of a ``tsvector`` holding each term whole, once, with as many
    positions as it occurs (at most 255, Postgres's limit): what BM25's term frequency reads.

    A cast of this text keeps every lexeme as written (``to_tsvector`` would parse it again,
    with rules that split the terms :func:`index_terms` made)."""
    counts: dict[str, int] = {}
    for term in terms:
        counts[term] = counts.get(term, 0) + 1
    return " ".join(f"{_lexeme(term)}:{','.join(map(str, range(1, min(n, 255) + 1)))}"
                    for term, n in counts.items())


def _lexeme(term: str) -> str:
    """``term`` quoted for a ``tsvector`` or ``tsquery`` literal."""
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def search_archive(db: Db, query: str, limit: int,
                   exclude_article_id: str | None = None) -> list[dict[str, Any]]:
    """The stored articles that best match ``query``, best first: rows of ``articles`` (id,
    title, source, canonical_url, language, published, text) with their ``rank`` (BM25, lower
    is better). The index is brought up to date first, within :data:`INDEX_BUDGET`."""
    index_pending(db, INDEX_BUDGET)
    terms = list(dict.fromkeys(index_terms(query)))[:MAX_QUERY_TERMS]
    if not terms or limit < 1:
        return []
    postgres = db.dialect is Dialect.POSTGRES
    frequency = (_pg_document_frequency if postgres else _document_frequency)(db, terms)
    total = db.execute(f"select count(*) from {TERMS_TABLE}").fetchone()[0]  # noqa: S608
    own = _own_terms(db, exclude_article_id)
    if own is not None:  # the checked article is no witness: counted out of the frequencies
        total -= 1
        frequency = {t: n - (t in own) for t, n in frequency.items()}
    total = max(1, total)
    common = max(COMMON_FLOOR, total / 2)
    distinctive = {t for t in terms if not _short_word(t) and frequency.get(t, 0) <= common}
    needed = min(2, len(distinctive)) or 1
    wanted = limit * 4 + 8
    rows = (_pg_ranked(db, terms, frequency, total, exclude_article_id, wanted) if postgres
            else _ranked(db, terms, exclude_article_id, wanted))
    found: list[dict[str, Any]] = []
    for article_id, title, source, url, language, published, text, stored, rank in rows:
        shared = distinctive.intersection(stored.split())
        if len(shared) < needed:
            continue
        found.append({"id": article_id, "title": title, "source": source,
                      "canonical_url": url, "language": language, "published": published,
                      "text": text, "rank": rank, "idf": _idf(shared, frequency, total)})
        if len(found) == limit:
            break
    return found


_COLUMNS = "a.id, a.title, a.source, a.canonical_url, a.language, a.published, a.text, t.terms"


def _ranked(db: Db, terms: list[str], exclude: str | None, wanted: int) -> list[tuple]:
    """SQLite: the articles holding any of ``terms``, by FTS5's BM25."""
    match = " OR ".join('"' + t.replace('"', '""') + '"' for t in terms)
    others = "and a.id != ? " if exclude is not None else ""
    return db.execute(
        f"select {_COLUMNS}, bm25({TERMS_TABLE}_fts) as rank "  # noqa: S608
        f"from {TERMS_TABLE}_fts join {TERMS_TABLE} t on t.rowid = {TERMS_TABLE}_fts.rowid "
        f"join articles a on a.id = t.article_id where {TERMS_TABLE}_fts match ? {others}"
        "order by rank limit ?",
        [match, *([exclude] if exclude is not None else []), wanted]).fetchall()


# BM25's usual constants, as FTS5's bm25() has them.
_K1, _B = 1.2, 0.75


def _pg_ranked(db: Db, terms: list[str], frequency: dict[str, int], total: int,
               exclude: str | None, wanted: int) -> list[tuple]:
    """Postgres: the articles holding any of ``terms`` (the GIN index finds them), by BM25
    computed from each article's term frequencies, its length and each term's idf.

    Negated like FTS5's ``bm25()``: lower is better. The idf is the same as :func:`_idf`'s,
    always positive, where FTS5's can reach zero for a term in most of the articles."""
    weights = [_idf({t}, frequency, total) for t in terms]
    average = db.execute(
        f"select coalesce(avg(length), 1) from {TERMS_TABLE}").fetchone()[0]  # noqa: S608
    others = "and a.id != ? " if exclude is not None else ""
    return db.execute(
        f"select {_COLUMNS}, -(select sum(q.weight * cardinality(u.positions) * ? / "  # noqa: S608
        "(cardinality(u.positions) + ? * (1 - ? + ? * t.length / ?))) "
        "from unnest(t.lexemes) u join unnest(?::text[], ?::float8[]) q(term, weight) "
        "on q.term = u.lexeme) as rank "
        f"from {TERMS_TABLE} t join articles a on a.id = t.article_id "
        f"where t.lexemes @@ ?::tsquery {others}order by rank, a.id limit ?",
        [_K1 + 1, _K1, _B, _B, float(average) or 1.0, terms, weights,
         " | ".join(_lexeme(t) for t in terms), *([exclude] if exclude is not None else []),
         wanted]).fetchall()


def _own_terms(db: Db, article_id: str | None) -> set[str] | None:
    if article_id is None:
        return None
    row = db.execute(f"select terms from {TERMS_TABLE} where article_id = ?",  # noqa: S608
                     [article_id]).fetchone()
    return set(row[0].split()) if row else None


def _short_word(term: str) -> bool:
    """A word of at most three letters in a spaced script: "the", "of", "der", "les" — the
    function words of most languages, which say nothing about an event in any archive size."""
    return len(term) <= 3 and not term.isdigit() and not _UNSPACED_CHAR.match(term)


def _document_frequency(db: Db, terms: list[str]) -> dict[str, int]:
    """SQLite: how many articles hold each term, from FTS5's vocabulary table."""
    marks = ", ".join("?" for _ in terms)
    rows = db.execute(f"select term, doc from {TERMS_TABLE}_vocab "  # noqa: S608
                      f"where term in ({marks})", terms).fetchall()
    return {term: doc for term, doc in rows}


def _pg_document_frequency(db: Db, terms: list[str]) -> dict[str, int]:
    """Postgres: how many articles hold each term, one GIN index look-up per term."""
    rows = db.execute(
        f"select q.term, (select count(*) from {TERMS_TABLE} t "  # noqa: S608
        "where t.lexemes @@ q.query::tsquery) from unnest(?::text[], ?::text[]) q(term, query)",
        [terms, [_lexeme(t) for t in terms]]).fetchall()
    return {term: int(n) for term, n in rows if n}


def _idf(shared: set[str], frequency: dict[str, int], total: int) -> float:
    """How distinctive the shared terms are together (BM25's idf, summed)."""
    return sum(math.log(1 + (total - frequency.get(t, 0) + 0.5) / (frequency.get(t, 0) + 0.5))
               for t in shared)
