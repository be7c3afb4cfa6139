"""The evidence stage's I/O: every search and every read of one check, bounded and logged.

Searches run concurrently (at most ``searches_at_once`` per backend: by default every search
of a 12-claim check at once), each asked once per check however many claims share it. As a
search answers, its hits are read: an archive hit from the store, a web hit from the source
cache or else through the safe fetcher, at most ``fetches_at_once`` at a time and
``fetches_per_host`` per host, best rank first. A search's hits are first reordered by how
well their titles and snippets match the query (:func:`by_promise`).

At most ``max_fetches`` web pages are read per check (from the cache or the network), and
which ones does not depend on timing, so a repeated check reads the very pages the first one
cached and fetches nothing: each search's first ``max_fetches // searches`` hits are read as
soon as it answers, and the rest of the budget goes, once every search has answered (or 40%
of the deadline has passed), to the remaining hits in order of rank, then of search. Every
search and every fetch really made is a ledger row; successes are cached, failures are not.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter
from collections.abc import Awaitable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Protocol

from bot.errors import ParallaxError
from bot.evidence.ledger import SourceLog
from bot.evidence.ranking import Rendering, score_passages
from bot.evidence.reading import Source, read_page, read_stored, site_of
from bot.ingest.fetch import Fetcher
from bot.ingest.urls import canonical_url
from bot.records import SearchHit, SearchRecord
from bot.store import Store, iso
from bot.store.sources import (
    SourceCall,
    cached_search,
    cached_source,
    save_search,
    save_source,
    search_key,
    stored_article,
)

log = logging.getLogger("parallax.evidence")


class Backend(Protocol):
    """What the stage needs of a search backend (``bot.search``'s classes are these)."""

    name: str

    async def search(self, query: str, language: str, limit: int, *,
                     exclude_article_id: str | None = None) -> list[SearchHit]:
        """The hits for ``query``, never the article being checked; raises a ParallaxError
        (SearchError) with one line."""
        ...


@dataclass(frozen=True)
class Limits:
    """How much one check may search and read (``[evidence]`` in parallax.toml)."""

    results_per_query: int = 5
    passages_per_claim: int = 4
    max_fetches: int = 20
    timeout: float = 20.0  # seconds for the whole stage
    cache_hours: float = 24.0
    searches_at_once: int = 24  # per backend
    fetches_at_once: int = 8
    fetches_per_host: int = 2


@dataclass(frozen=True)
class Search:
    """One distinct search of the check: the same words asked of one backend once."""

    backend: Backend = field(compare=False)
    query: str
    language: str
    name: str = ""  # the backend's name: what tells two searches apart

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", self.backend.name)


@dataclass(order=True)
class _Pending:
    rank: int
    seq: int
    url: str = field(compare=False)
    hit: SearchHit = field(compare=False)
    host: str = field(compare=False)
    done: asyncio.Future[Source | None] = field(compare=False)


class Gathering:
    """Runs the searches and reads of one check; results accumulate as they arrive."""

    def __init__(self, backends_searches: Sequence[Search], fetcher: Fetcher | None,
                 store: Store, ledger: SourceLog, limits: Limits, article_id: str,
                 article_url: str | None) -> None:
        self.limits = limits
        self.hits: dict[Search, list[SearchHit]] = {}
        self.reads: dict[str, asyncio.Future[Source | None]] = {}
        self.records: list[SearchRecord] = []
        self.failures: dict[str, list[str]] = {}  # backend -> reasons of its failed searches
        self.answered: set[str] = set()  # backends with at least one search answered
        self.unread = Counter[str]()  # why hits were not read: "budget", "failed", "deadline"
        self._searches = list(dict.fromkeys(backends_searches))
        self._fetcher, self._store, self._ledger = fetcher, store, ledger
        self._article_id, self._article_url = article_id, article_url
        self._since = iso(datetime.now(UTC) - timedelta(hours=limits.cache_hours))
        self._gates: dict[str, asyncio.Semaphore] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._writes: list[asyncio.Future[None]] = []
        self._queue: list[_Pending] = []
        self._active = Counter[str]()  # fetches running, per host
        self._seq = 0
        self._stopped = False
        self._order = {search: index for index, search in enumerate(self._searches)}
        self._web_reads = 0  # web pages to read, from the cache or the network (the budget)
        self._quota = limits.max_fetches // max(1, len(self._searches))
        self._filling = False  # the second phase: the rest of the budget is being handed out
        self._settled = 0  # searches that answered or failed
        self._timer: asyncio.TimerHandle | None = None

    async def run(self) -> None:
        """Search and read until everything is done (the caller bounds it with a deadline)."""
        for search in self._searches:
            self._spawn(self._search(search))
        self._timer = asyncio.get_running_loop().call_later(0.4 * self.limits.timeout,
                                                            self._fill)
        while self._tasks:
            await asyncio.wait(set(self._tasks))

    async def stop(self) -> None:
        """Cancel what is still running (the deadline passed) and wait for the cache writes."""
        self._stopped = True  # a cancelled fetch must not start the next one
        if self._timer is not None:
            self._timer.cancel()
        wanted = {self.read_key(hit) for hits in self.hits.values() for hit in hits}
        self.unread["budget"] += len({k for k in wanted if k and k not in self.reads})
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        for pending in self._queue:
            self.unread["deadline"] += 1
            pending.done.set_result(None)
        self._queue.clear()
        for future in self.reads.values():
            if not future.done():
                future.set_result(None)
        outcomes = await asyncio.gather(*self._writes, return_exceptions=True)
        for outcome in outcomes:
            if isinstance(outcome, BaseException):
                log.warning("the evidence cache was not written: %s", outcome)

    def _spawn(self, work: Awaitable[None]) -> None:
        task = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # -- searches ----------------------------------------------------------------------------

    async def _search(self, search: Search) -> None:
        try:
            await self._ask(search)
        finally:
            self._settled += 1
            if self._settled == len(self._searches):
                self._fill()

    async def _ask(self, search: Search) -> None:
        backend, limit = search.backend, self.limits.results_per_query
        cacheable = self.limits.cache_hours > 0 and getattr(backend, "kind", "") != "archive"
        key = search_key(backend.name, search.language, limit, search.query)
        if cacheable:
            rows = await self._store.run(cached_search, key, self._since)
            if rows is not None:
                self._found(search, [SearchHit(**row) for row in rows], "cached", 0)
                return
        started = time.perf_counter()
        try:
            gate = self._gates.setdefault(backend.name,
                                          asyncio.Semaphore(self.limits.searches_at_once))
            async with gate:
                started = time.perf_counter()
                hits = list(await backend.search(search.query, search.language, limit,
                                                 exclude_article_id=self._article_id))[:limit]
        except asyncio.CancelledError:
            reason = f"no answer within the stage's {self.limits.timeout:g} s"
            self._searched(search, "timeout", started, error=reason)
            self.failures.setdefault(backend.name, []).append(reason)
            self.records.append(SearchRecord(backend.name, search.query, "error", 0,
                                             _ms(started), reason))
            raise
        except Exception as exc:  # a backend's bug must not end the check
            reason = exc.reason if isinstance(exc, ParallaxError) else type(exc).__name__
            if not isinstance(exc, ParallaxError):
                log.exception("search backend %s failed unexpectedly", backend.name)
            self._searched(search, "error", started, error=reason)
            self.failures.setdefault(backend.name, []).append(reason)
            self.records.append(SearchRecord(backend.name, search.query, "error", 0,
                                             _ms(started), reason))
            return
        latency = self._searched(search, "ok", started, results=len(hits))
        if cacheable:
            self._writes.append(self._store.submit(
                save_search, key, backend.name, search.query, search.language,
                [asdict(hit) for hit in hits]))
        self._found(search, hits, "ok", latency)

    def _searched(self, search: Search, status: str, started: float, results: int = 0,
                  error: str | None = None) -> int:
        latency = _ms(started)
        self._ledger.record(SourceCall(
            check_id=self._ledger.check_id, kind="search", backend=search.backend.name,
            status=status, latency_ms=latency, query=search.query, language=search.language,
            results=results, error=error))
        return latency

    def _found(self, search: Search, hits: list[SearchHit], status: str, latency: int) -> None:
        hits = by_promise(search, hits)
        self.hits[search] = hits
        self.answered.add(search.backend.name)
        self.records.append(SearchRecord(search.backend.name, search.query, status, len(hits),
                                         latency))
        for rank, hit in enumerate(hits):
            if hit.article_id or rank < self._quota or self._filling:
                self._want(hit, rank)

    def _fill(self) -> None:
        """Hand out the rest of the budget: best rank first, then search order."""
        if self._stopped:
            return
        self._filling = True
        ranked = sorted(((rank, self._order[search], hit) for search, hits in self.hits.items()
                         for rank, hit in enumerate(hits)), key=lambda item: item[:2])
        for rank, _, hit in ranked:
            self._want(hit, rank)

    # -- reads -------------------------------------------------------------------------------

    def read_key(self, hit: SearchHit) -> str | None:
        """The key a hit's source is read under: its canonical URL (None: not to be read)."""
        if hit.article_id:
            return None if hit.article_id == self._article_id else f"archive:{hit.article_id}"
        try:
            url = canonical_url(hit.url)
        except ValueError:
            return None
        return None if url == self._article_url else url

    def _want(self, hit: SearchHit, rank: int) -> None:
        key = self.read_key(hit)
        if key is None or key in self.reads:
            return
        if not hit.article_id:  # the archive is read from the store: no budget
            if self._web_reads >= self.limits.max_fetches:
                return
            self._web_reads += 1
        done: asyncio.Future[Source | None] = asyncio.get_running_loop().create_future()
        self.reads[key] = done
        if hit.article_id:
            self._spawn(self._read_stored(hit, done))
        else:
            self._spawn(self._read_cached(key, hit, rank, done))

    async def _read_stored(self, hit: SearchHit, done: asyncio.Future[Source | None]) -> None:
        if hit.text is not None:  # the archive's search read it already (an article never
            done.set_result(read_stored({"text": hit.text}, hit))  # changes once stored)
            return
        row = await self._store.run(stored_article, hit.article_id)
        done.set_result(read_stored(row, hit) if row else None)

    async def _read_cached(self, url: str, hit: SearchHit, rank: int,
                           done: asyncio.Future[Source | None]) -> None:
        if self.limits.cache_hours > 0:
            row = await self._store.run(cached_source, url, self._since)
            if row is not None:
                done.set_result(Source.from_row(row))
                return
        if self._fetcher is None:
            self.unread["failed"] += 1
            done.set_result(None)
            return
        self._seq += 1
        self._queue.append(_Pending(rank, self._seq, url, hit, site_of(hit.url), done))
        self._dispatch()

    def _dispatch(self) -> None:
        """Start the best-ranked waiting fetches that the limits allow."""
        if self._stopped:
            return
        self._queue.sort()
        index = 0
        while index < len(self._queue) and sum(self._active.values()) < \
                self.limits.fetches_at_once:
            pending = self._queue[index]
            if self._active[pending.host] >= self.limits.fetches_per_host:
                index += 1
                continue
            self._queue.pop(index)
            self._active[pending.host] += 1
            self._spawn(self._fetch(pending))

    async def _fetch(self, pending: _Pending) -> None:
        assert self._fetcher is not None
        started = time.perf_counter()
        source: Source | None = None
        status, error = "ok", None
        fetching = True
        try:
            raw = await self._fetcher.fetch(pending.hit.url)
            # The connection is closed: the next fetch may start while this page is read.
            fetching = self._release(pending)
            source = await asyncio.to_thread(read_page, raw, pending.url, pending.hit)
        except asyncio.CancelledError:
            status, error = "timeout", "no answer before the deadline"
            self.unread["deadline"] += 1
            raise
        except Exception as exc:  # one bad page must not end the check
            status = "error"
            error = exc.reason if isinstance(exc, ParallaxError) else type(exc).__name__
            self.unread["failed"] += 1
        finally:
            self._ledger.record(SourceCall(
                check_id=self._ledger.check_id, kind="fetch", backend=pending.hit.backend,
                status=status, latency_ms=_ms(started), url=pending.url,
                results=len(source.text) if source else 0, error=error))
            if fetching:
                self._release(pending)
            if not pending.done.done():
                pending.done.set_result(source)
        if source is not None:
            self._writes.append(self._store.submit(save_source, source.row()))

    def _release(self, pending: _Pending) -> bool:
        """Free the fetch's slot and start the next waiting fetch; False: no longer fetching."""
        self._active[pending.host] -= 1
        self._dispatch()
        return False


def by_promise(search: Search, hits: list[SearchHit]) -> list[SearchHit]:
    """The hits most likely to settle the query first, judged by their title and snippet.

    Engines rank for the query's topic, not for the figure it states; a snippet that repeats
    the figure and the names is the page to read when the budget does not reach them all.
    The engine's order breaks ties (and is kept when there are no snippets).
    """
    if len(hits) < 2:
        return hits
    scores = score_passages([Rendering(search.query, search.language)],
                            [(f"{hit.title}\n{hit.snippet}", hit.language or search.language)
                             for hit in hits])
    return [hits[i] for i in sorted(range(len(hits)), key=lambda i: -scores[i])]


def _ms(started: float) -> int:
    return int((time.perf_counter() - started) * 1000)
