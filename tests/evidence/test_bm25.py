"""The passages' BM25 is FTS5's: the very numbers of an in-memory FTS5 table scored the way
the ranking once asked it (kept here as the reference)."""

from __future__ import annotations

import sqlite3

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.evidence.ranking import _MIN_ROWS, _bm25


def _fts5(bags, ids, weights):
    scores = [0.0] * len(bags)
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute("create virtual table p using fts5(body, tokenize='ascii')")
        conn.executemany("insert into p (rowid, body) values (?, ?)",
                         [(row, " ".join(ids[t] for t in bag)) for row, bag in
                          enumerate(bags, start=1)])
        filler = " ".join(["z"] * max(1, round(sum(map(len, bags)) / len(bags))))
        conn.executemany("insert into p (body) values (?)",
                         [(filler,)] * max(0, _MIN_ROWS - len(bags)))
        for term, weight in weights.items():
            if term not in ids:
                continue
            for row, value in conn.execute("select rowid, bm25(p) from p where p match ?",
                                           [ids[term]]):
                scores[row - 1] += weight * -value
    finally:
        conn.close()
    return scores


TERMS = [f"w{i}" for i in range(12)] + ["1200", "北京", "macron"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.sampled_from(TERMS), min_size=1, max_size=30), min_size=1,
                max_size=80),
       st.dictionaries(st.sampled_from(TERMS), st.sampled_from([0.5, 1.0, 2.0, 3.0]),
                       min_size=1))
def test_scores_are_fts5s(bags, weights):
    ids: dict[str, str] = {}
    for bag in bags:
        for term in bag:
            ids.setdefault(term, f"t{len(ids)}")
    assert _bm25(bags, set(ids), weights) == _fts5(bags, ids, weights)
