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

import bisect
import functools
import math
import re
import time
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from bot.store.connection import Db, Dialect, upsert
from bot.store.sqlite import SqliteDb
from bot.text import bm25

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

# The scripts written without spaces between words (Thai, Lao, Burmese, Hangul Jamo, Khmer,
# kana, Hangul, Han), as code point ranges, in order.
_UNSPACED_RANGES = (
    (0x0E01, 0x0E4E), (0x0E81, 0x0ECE), (0x1000, 0x109F), (0x1100, 0x11FF), (0x1780, 0x17DD),
    (0x3040, 0x309F), (0x30A0, 0x30FF), (0x3130, 0x318F), (0x31F0, 0x31FF), (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF), (0xAC00, 0xD7AF), (0xF900, 0xFAFF), (0x20000, 0x2FA1F))
_UNSPACED_STARTS = [low for low, _ in _UNSPACED_RANGES]
_UNSPACED = "".join(f"{chr(low)}-{chr(high)}" for low, high in _UNSPACED_RANGES)
_FIRST_UNSPACED = chr(_UNSPACED_RANGES[0][0])


def _marks() -> str:
    """The combining marks of the blocks that have them, as a character class's ranges."""
    codes = [code for code in (*range(0x0300, 0x1E00), *range(0x3099, 0x309B),
                               *range(0xA8E0, 0xA900), *range(0xFE20, 0xFE30))
             if unicodedata.category(chr(code)).startswith("M")]
    ranges: list[list[int]] = []
    for code in codes:
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return "".join(re.escape(chr(low)) + (f"-{re.escape(chr(high))}" if high > low else "")
                   for low, high in ranges)


_MARKS = _marks()
# A number, or a word (letters and their marks; digits apart: "f35"), in text that holds no
# character of an unspaced script: most text, and the pattern compiles in a fraction of the
# full one's time (Python's compiler walks every code point of a class's ranges: the Han and
# Hangul blocks cost ~6 ms of every process's start). The first group never matches.
_SPACED_RUN = re.compile(rf"((?!))|(\d+)|((?:[^\W\d_]|[{_MARKS}])+)")


@functools.cache
def _full_run() -> re.Pattern[str]:
    """An unspaced run, a number, or a word; compiled when unspaced text first comes."""
    return re.compile(rf"([{_UNSPACED}](?:[{_UNSPACED}]|[{_MARKS}])*)|(\d+)"
                      rf"|((?:[^\W\d_{_UNSPACED}]|[{_MARKS}])+)")


@functools.cache
def _unit() -> re.Pattern[str]:
    """One character with the marks that follow it."""
    return re.compile(rf".[{_MARKS}]*", re.DOTALL)


def _is_unspaced(char: str) -> bool:
    """Whether ``char`` belongs to a script written without spaces."""
    code = ord(char)
    index = bisect.bisect_right(_UNSPACED_STARTS, code) - 1
    return index >= 0 and code <= _UNSPACED_RANGES[index][1]


def _has_unspaced(text: str) -> bool:
    return any(_is_unspaced(c) for c in set(text) if c >= _FIRST_UNSPACED)


def index_terms(text: str) -> list[str]:
    """The index terms of ``text``, in order (see the module's docstring)."""
    terms: list[str] = []
    folded = unicodedata.normalize("NFKC", text).casefold()
    for match in (_full_run() if _has_unspaced(folded) else _SPACED_RUN).finditer(folded):
        run, number, word = match.groups()
        if run:
            units = _unit().findall(run)
            terms.extend(units if len(units) == 1 else
                         ["".join(units[i:i + 2]) for i in range(len(units) - 1)])
        elif number:
            # Every script's digits as ASCII ones: "٣٤" and "३४" are 34, as elsewhere.
            terms.append(number if number.isascii() else
                         "".join(str(unicodedata.digit(c, 0)) for c in number))
        else:
            terms.append(_word_term(word))
    return terms


@functools.lru_cache(maxsize=1 << 14)  # ~3 MB at most
def _word_term(word: str) -> str:
    """A word's term, remembered: the words of news repeat from article to article (a 3 KB
    article's terms in 0.28 ms instead of 0.55)."""
    return _stem(_fold(word))


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
    if word.isascii() or not any(unicodedata.category(c)[0] == "M"
                                 for c in word[:_STEM * 4]):
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

    On SQLite a look at the archive's shape (:class:`_Shape`) comes first: unchanged since
    this connection's last complete pass, there is nothing to do; only appended to, only the
    new articles are read. Anything else (a deletion, a rolled-back pass, another process's
    indexing) takes the full pass, whose cost grows with the archive. Postgres, where other
    machines write too, always takes the full pass.
    """
    started = time.perf_counter()
    memory: _Memory | None = None
    if isinstance(db, SqliteDb):
        memory, db.archive_memory = db.archive_memory, None
    pending = _appended(db, memory.shape) if memory is not None else None
    unchanged = pending == []
    if pending is None:
        memory = _Memory(_Shape(0, None, None, 0)) if isinstance(db, SqliteDb) else None
        db.execute(f"delete from {TERMS_TABLE} where article_id not in "  # noqa: S608
                   "(select id from articles)")
        pending = [row[0] for row in db.execute(
            f"select a.id from articles a left join {TERMS_TABLE} t "  # noqa: S608
            f"on t.article_id = a.id where t.article_id is null or t.version < {TERMS_VERSION} "
            "order by a.created_at desc").fetchall()]  # newest first: today's news matters most
    # Forgotten until the pass is complete: a pass cut short or failed leaves no memory.
    done, complete = _index(db, pending, budget, started,
                            memory.frequency if memory is not None else None)
    if isinstance(db, SqliteDb) and memory is not None and complete:
        # every article is indexed, no row is an orphan
        db.archive_memory = memory if unchanged else replace(memory, shape=_shape(db))
    return done


def _index(db: Db, pending: list[str], budget: float | None, started: float,
           frequency: dict[str, int] | None) -> tuple[int, bool]:
    """Index ``pending`` in batches within ``budget``: (how many, whether all of them).
    ``frequency`` (known document frequencies) counts the new articles in."""
    postgres = db.dialect is Dialect.POSTGRES
    done = 0
    for start in range(0, len(pending), _BATCH):
        ids = pending[start:start + _BATCH]
        marks = ", ".join("?" for _ in ids)
        articles = db.execute(f"select id, title, text from articles "  # noqa: S608
                              f"where id in ({marks})", ids).fetchall()
        made: list[list[str]] = []
        with db.atomic():
            for article_id, title, text in articles:
                terms = index_terms(f"{title or ''}\n{text}")
                row: dict[str, Any] = {"article_id": article_id, "terms": " ".join(terms),
                                       "version": TERMS_VERSION}
                if postgres:
                    row |= {"length": len(terms), "lexemes": tsvector(terms)}
                upsert(db, TERMS_TABLE, row, key=("article_id",))
                made.append(terms)
        if frequency:  # committed: now the counts may move
            for terms in made:
                _count_in(frequency, terms)
        done += len(articles)
        if budget is not None and time.perf_counter() - started > budget:
            return done, start + _BATCH >= len(pending)
    return done, True


@dataclass(frozen=True)
class _Shape:
    """What a SQLite archive looks like from outside: its articles, the last one's rowid and
    id, and its index rows. Counting uses the tables' small indexes: microseconds.

    SQLite gives a new row the largest rowid plus one, so articles stored after a complete
    pass are the rows past its last rowid; a deletion shows in the counts, and a deleted last
    row whose rowid was given again shows in that row's id."""

    articles: int
    last_rowid: int | None
    last_id: str | None
    terms: int


@dataclass(frozen=True)
class _Memory:
    """What one SQLite connection knows of its archive as of its last complete pass: the
    archive's shape then, and the document frequencies it has read since (FTS5's vocabulary
    counts a term's articles by reading its whole list of them: a common word costs as much
    as the archive is large, and a check asks a few hundred terms)."""

    shape: _Shape
    frequency: dict[str, int] = field(default_factory=dict)


_MAX_KNOWN = 100_000  # document frequencies kept per connection (a few megabytes)
# The characters FTS5's tokenizer keeps in a token (``TOKENIZE``'s categories): a term made of
# others (Thai "฿", Japanese "・" inside an unspaced run) reaches the index cut in pieces.
_WHOLE = frozenset(("Lu", "Ll", "Lt", "Lm", "Lo", "Nd", "Nl", "No", "Mn", "Mc", "Me", "Co"))


def _count_in(frequency: dict[str, int], terms: list[str]) -> None:
    """Count a newly indexed article into the known document frequencies."""
    for term in frequency.keys() & set(terms):
        if all(unicodedata.category(c) in _WHOLE for c in term):
            frequency[term] += 1
        else:  # the index holds its pieces: read again from the index when asked
            del frequency[term]


def _shape(db: Db) -> _Shape:
    # Apart: a bare count(*) is answered from the smallest index, max(rowid) from the tree's
    # last page; together in one select they would read the whole table.
    articles = db.execute("select count(*) from articles").fetchone()[0]
    last_rowid = db.execute("select max(rowid) from articles").fetchone()[0]
    last = db.execute("select id from articles where rowid = ?", [last_rowid]).fetchone()
    terms = db.execute(f"select count(*) from {TERMS_TABLE}").fetchone()[0]  # noqa: S608
    return _Shape(articles, last_rowid, last[0] if last else None, terms)


def _appended(db: Db, seen: _Shape) -> list[str] | None:
    """SQLite: the articles stored since the pass that left ``seen``, newest first, when
    nothing else changed (``[]``: nothing at all); None when a full pass is needed."""
    now = _shape(db)
    if now == seen:
        return []
    if now.terms != seen.terms or seen.terms != seen.articles:
        return None
    if seen.last_rowid is not None:
        if now.last_rowid is None or now.last_rowid < seen.last_rowid:
            return None
        last = db.execute("select id from articles where rowid = ?",
                          [seen.last_rowid]).fetchone()
        if last is None or last[0] != seen.last_id:
            return None
    new = [row[0] for row in db.execute(
        "select id from articles where rowid > ? order by created_at desc",
        [seen.last_rowid if seen.last_rowid is not None else -1]).fetchall()]
    return new if now.articles == seen.articles + len(new) else None


def _known_frequency(db: Db, terms: list[str]) -> dict[str, int]:
    """SQLite: :func:`_document_frequency`, read from the index only for the terms this
    connection has not asked about since its last complete pass."""
    memory = db.archive_memory if isinstance(db, SqliteDb) else None
    if memory is None:
        return _document_frequency(db, terms)
    known = memory.frequency
    missing = [t for t in terms if t not in known]
    if missing:
        if len(known) + len(missing) > _MAX_KNOWN:
            known.clear()
        read = _document_frequency(db, missing)
        known.update((t, read.get(t, 0)) for t in missing)
    return {t: known[t] for t in terms if known[t]}


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
    return search_archive_many(db, [query], limit, exclude_article_id)[0]


def search_archive_many(db: Db, queries: Sequence[str], limit: int,
                        exclude_article_id: str | None = None) -> list[list[dict[str, Any]]]:
    """:func:`search_archive` for each of ``queries``, in one visit to the store: the index
    is brought up to date once, and the term frequencies and the checked article's terms are
    read once for all of them (a check asks one query per claim, a dozen at once)."""
    index_pending(db, INDEX_BUDGET)
    asked = [list(dict.fromkeys(index_terms(query)))[:MAX_QUERY_TERMS] for query in queries]
    vocabulary = list(dict.fromkeys(term for terms in asked for term in terms))
    if not vocabulary or limit < 1:
        return [[] for _ in queries]
    postgres = db.dialect is Dialect.POSTGRES
    stored = (_pg_document_frequency if postgres else _known_frequency)(db, vocabulary)
    indexed = db.execute(f"select count(*) from {TERMS_TABLE}").fetchone()[0]  # noqa: S608
    frequency, total = stored, indexed
    own = _own_terms(db, exclude_article_id)
    if own is not None:  # the checked article is no witness: counted out of the frequencies
        total -= 1
        frequency = {t: n - (t in own) for t, n in stored.items()}
    total = max(1, total)
    common = max(COMMON_FLOOR, total / 2)
    wanted = limit * 4 + 8
    picks: list[list[tuple[str, float, float]]] = []  # per query: (article id, rank, idf)
    for terms in asked:
        distinctive = {t for t in terms if not _short_word(t) and frequency.get(t, 0) <= common}
        if not distinctive:  # no article can share a distinctive term with this query
            picks.append([])
            continue
        needed = min(2, len(distinctive))
        rows = (_pg_ranked(db, terms, frequency, total, exclude_article_id, wanted) if postgres
                else _ranked(db, _telling(terms, distinctive, stored, indexed),
                             exclude_article_id, wanted))
        kept: list[tuple[str, float, float]] = []
        for article_id, terms_text, rank in rows:
            shared = distinctive.intersection(terms_text.split())
            if len(shared) >= needed:
                kept.append((article_id, rank, _idf(shared, frequency, total)))
                if len(kept) == limit:
                    break
        picks.append(kept)
    # The texts last, and only of the articles kept: a query's candidates are several times
    # its limit, and most of them fall to the distinctive-terms rule.
    articles = _articles(db, list(dict.fromkeys(pick[0] for kept in picks for pick in kept)))
    return [[articles[article_id] | {"rank": rank, "idf": idf}
             for article_id, rank, idf in kept if article_id in articles] for kept in picks]


_COLUMNS = ("id", "title", "source", "canonical_url", "language", "published", "text")


def _articles(db: Db, ids: list[str]) -> dict[str, dict[str, Any]]:
    """The rows of ``articles`` with these ids (those that exist), by id."""
    if not ids:
        return {}
    marks = ", ".join("?" for _ in ids)
    rows = db.execute(f"select {', '.join(_COLUMNS)} from articles "  # noqa: S608
                      f"where id in ({marks})", ids).fetchall()
    return {row[0]: dict(zip(_COLUMNS, row, strict=True)) for row in rows}


def _telling(terms: list[str], distinctive: set[str], stored: dict[str, int],
             indexed: int) -> list[str]:
    """SQLite: the query terms worth matching. FTS5's ``bm25()`` gives a term held by half
    the index or more an idf of 1e-6 (its formula would go negative), so such a term changes
    no rank but makes every article that holds it (every article in its language, for "de"
    or "the") a candidate to score and sort. Terms held by no article match nothing. The
    distinctive terms always stay: every article the rule keeps holds one of them."""
    return [t for t in terms if stored.get(t, 0) > 0
            and (t in distinctive or 2 * stored[t] < indexed)]


def _ranked(db: Db, terms: list[str], exclude: str | None, wanted: int) -> list[tuple]:
    """SQLite: (article id, its terms, rank) of the articles holding any of ``terms``, best
    first by FTS5's BM25."""
    if not terms:
        return []
    match = " OR ".join('"' + t.replace('"', '""') + '"' for t in terms)
    others = "and a.id != ? " if exclude is not None else ""
    return db.execute(
        f"select a.id, t.terms, bm25({TERMS_TABLE}_fts) as rank "  # noqa: S608
        f"from {TERMS_TABLE}_fts join {TERMS_TABLE} t on t.rowid = {TERMS_TABLE}_fts.rowid "
        f"join articles a on a.id = t.article_id where {TERMS_TABLE}_fts match ? {others}"
        "order by rank limit ?",
        [match, *([exclude] if exclude is not None else []), wanted]).fetchall()


def _pg_ranked(db: Db, terms: list[str], frequency: dict[str, int], total: int,
               exclude: str | None, wanted: int) -> list[tuple]:
    """Postgres: (article id, its terms, rank) of the articles holding any of ``terms`` (the
    GIN index finds them), by BM25 computed from each article's term frequencies, its length
    and each term's idf.

    Negated like FTS5's ``bm25()``: lower is better. The idf is the same as :func:`_idf`'s,
    always positive, where FTS5's can reach zero for a term in most of the articles."""
    weights = [_idf({t}, frequency, total) for t in terms]
    average = db.execute(
        f"select coalesce(avg(length), 1) from {TERMS_TABLE}").fetchone()[0]  # noqa: S608
    others = "and a.id != ? " if exclude is not None else ""
    return db.execute(
        "select a.id, t.terms, -(select sum(q.weight * cardinality(u.positions) * ? / "  # noqa: S608
        "(cardinality(u.positions) + ? * (1 - ? + ? * t.length / ?))) "
        "from unnest(t.lexemes) u join unnest(?::text[], ?::float8[]) q(term, weight) "
        "on q.term = u.lexeme) as rank "
        f"from {TERMS_TABLE} t join articles a on a.id = t.article_id "
        f"where t.lexemes @@ ?::tsquery {others}order by rank, a.id limit ?",
        [bm25.K1 + 1, bm25.K1, bm25.B, bm25.B, float(average) or 1.0, terms, weights,
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
    return len(term) <= 3 and not term.isdigit() and not _is_unspaced(term[0])


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
