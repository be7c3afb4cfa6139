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
"""

from __future__ import annotations

import math
import re
import time
import unicodedata
from typing import Any

from sqlite_utils import Database

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


def index_pending(db: Database, budget: float | None = None) -> int:
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
    done = 0
    for start in range(0, len(pending), _BATCH):
        ids = pending[start:start + _BATCH]
        marks = ", ".join("?" for _ in ids)
        articles = db.execute(f"select id, title, text from articles "  # noqa: S608
                              f"where id in ({marks})", ids).fetchall()
        rows = [(article_id, " ".join(index_terms(f"{title or ''}\n{text}")), TERMS_VERSION)
                for article_id, title, text in articles]
        with db.atomic():
            db.conn.executemany(
                f"insert or replace into {TERMS_TABLE} (article_id, terms, version) "  # noqa: S608
                "values (?, ?, ?)", rows)
        done += len(rows)
        if budget is not None and time.perf_counter() - started > budget:
            break
    return done


def search_archive(db: Database, query: str, limit: int,
                   exclude_article_id: str | None = None) -> list[dict[str, Any]]:
    """The stored articles that best match ``query``, best first: rows of ``articles`` (id,
    title, source, canonical_url, language, published, text) with their ``rank`` (BM25, lower
    is better). The index is brought up to date first, within :data:`INDEX_BUDGET`."""
    index_pending(db, INDEX_BUDGET)
    terms = list(dict.fromkeys(index_terms(query)))[:MAX_QUERY_TERMS]
    if not terms or limit < 1:
        return []
    frequency = _document_frequency(db, terms)
    total = db.execute(f"select count(*) from {TERMS_TABLE}").fetchone()[0]  # noqa: S608
    own = _own_terms(db, exclude_article_id)
    if own is not None:  # the checked article is no witness: counted out of the frequencies
        total -= 1
        frequency = {t: n - (t in own) for t, n in frequency.items()}
    total = max(1, total)
    common = max(COMMON_FLOOR, total / 2)
    distinctive = {t for t in terms if not _short_word(t) and frequency.get(t, 0) <= common}
    needed = min(2, len(distinctive)) or 1
    match = " OR ".join('"' + t.replace('"', '""') + '"' for t in terms)
    rows = db.execute(
        f"select a.id, a.title, a.source, a.canonical_url, a.language, a.published, "  # noqa: S608
        f"a.text, t.terms, bm25({TERMS_TABLE}_fts) as rank from {TERMS_TABLE}_fts "
        f"join {TERMS_TABLE} t on t.rowid = {TERMS_TABLE}_fts.rowid "
        "join articles a on a.id = t.article_id "
        f"where {TERMS_TABLE}_fts match ? and a.id is not ? order by rank limit ?",
        [match, exclude_article_id, limit * 4 + 8]).fetchall()
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


def _own_terms(db: Database, article_id: str | None) -> set[str] | None:
    if article_id is None:
        return None
    row = db.execute(f"select terms from {TERMS_TABLE} where article_id = ?",  # noqa: S608
                     [article_id]).fetchone()
    return set(row[0].split()) if row else None


def _short_word(term: str) -> bool:
    """A word of at most three letters in a spaced script: "the", "of", "der", "les" — the
    function words of most languages, which say nothing about an event in any archive size."""
    return len(term) <= 3 and not term.isdigit() and not _UNSPACED_CHAR.match(term)


def _document_frequency(db: Database, terms: list[str]) -> dict[str, int]:
    marks = ", ".join("?" for _ in terms)
    rows = db.execute(f"select term, doc from {TERMS_TABLE}_vocab "  # noqa: S608
                      f"where term in ({marks})", terms).fetchall()
    return {term: doc for term, doc in rows}


def _idf(shared: set[str], frequency: dict[str, int], total: int) -> float:
    """How distinctive the shared terms are together (BM25's idf, summed)."""
    return sum(math.log(1 + (total - frequency.get(t, 0) + 0.5) / (frequency.get(t, 0) + 0.5))
               for t in shared)
