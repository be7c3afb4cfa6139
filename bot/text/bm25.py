"""BM25's two constants, as SQLite FTS5's ``bm25()`` has them.

One pair for every ranking the project computes itself (the evidence passages in Python, the
archive on Postgres in SQL), so they keep scoring as FTS5 does on SQLite.
"""

K1 = 1.2
"""How fast a term's repetitions stop adding to a document's score."""
B = 0.75
"""How much a document's length, against the average, scales its term frequencies."""
