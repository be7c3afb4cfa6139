"""The evidence stage's parts: reading sources, passages, ranking, and the search ledger.

``bot.pipeline.evidence`` runs the stage; the modules here hold its pieces, each pure except
``reading`` (CPU only, no I/O) and ``ledger`` (writes through the store):

- ``reading``: a fetched page or a stored article becomes a :class:`~bot.evidence.reading.Source`
  (decoded, hidden text removed, extracted, normalized, its language detected);
- ``passages``: a source's text cut into passages of a few sentences; shingles for near
  duplicates;
- ``ranking``: passages ranked against a claim (BM25 by SQLite FTS5), near duplicates and the
  article's own text left out, different sites preferred;
- ``ledger``: every search and fetch written to ``source_calls``.
"""
