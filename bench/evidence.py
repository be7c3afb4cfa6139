"""The evidence stage: retrieval recall, wall time, and a repeated check, side by side.

A labelled web (tests/evidence/labelled.py: 63 claims in English, French, German, Spanish,
Chinese, Japanese and Thai, each with its settling page among the article itself and three
distractors, real boilerplate around every page) is served by the loopback HTTP server under
one host name per page; a fake search backend returns each claim's five results, shuffled.
Printed in one run:
- retrieval recall per language: the share of claims whose settling sentence is in one of
  the claim's passages, from the settling page (goal >= 90%);
- the stage's wall time over one search plus one fetch latency, for one check of 12 claims at
  300 ms per search and per page (goal <= 2.5);
- the same checks again on the same store: searches and fetches made (goal 0);
- for comparison, recall when the engine gives no snippets (the fetch budget is then spent in
  the engine's order, and 3 claims x 9 results exceed max_fetches = 20).

Recall is measured with the default [evidence] settings; the search backend gives each hit
its title and the sentence that matched as its snippet, as real engines do.

Usage: python bench/evidence.py [--latency 0.3]
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import os
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from figures import print_figures  # noqa: E402 - bench/ is the script folder

from bot.evidence.ledger import SourceLog  # noqa: E402
from bot.ingest.language import warm_up  # noqa: E402
from bot.pipeline.evidence import EvidenceRequest, EvidenceSettings, gather_evidence  # noqa: E402
from bot.records import Article, Claim, EvidenceResult, Language, SearchHit  # noqa: E402
from bot.store import Store  # noqa: E402
from tests.evidence.labelled import Labelled, Page, labelled_web  # noqa: E402
from tests.evidence.web import FakeSearch, fetcher, http_client, news_page  # noqa: E402
from tests.fakes.http_server import HTTPServer, Reply  # noqa: E402
from tests.fakes.llm_server import read_evidence  # noqa: E402


def serve(server: HTTPServer, pages: Sequence[Page], latency: float) -> None:
    """Serve every page, each after ``latency`` seconds."""
    for page in pages:
        body = news_page(page.site, page.title, list(page.paragraphs), page.language).encode()
        if not latency:
            server.page(page.path, body)
            continue

        def slow(_request: object, body: bytes = body) -> Reply:
            async def chunks() -> AsyncIterator[bytes]:
                await asyncio.sleep(latency)
                yield body
            return Reply(headers=[("Content-Type", "text/html; charset=utf-8"),
                                  ("Content-Length", str(len(body)))], chunks=chunks)
        server.routes[page.path] = slow


def backend(server: HTTPServer, cases: Sequence[Labelled], latency: float,
            snippets: bool = True) -> FakeSearch:
    """A search backend that answers each claim (or its English rendering) with its hits."""
    answers: dict[str, list[SearchHit]] = {}
    for case in cases:
        answers[case.claim] = [found(server, page, snippets) for page in case.hits]
        if case.english_hits:
            answers[case.english] = [found(server, page, snippets)
                                     for page in case.english_hits]
    return FakeSearch("web", answers, latency=latency)


def found(server: HTTPServer, page: Page, snippets: bool = True) -> SearchHit:
    """A hit as engines give it: the title, and the sentence that matched as the snippet."""
    snippet = page.paragraphs[page.key if page.key is not None else 0][:160]
    if not snippets:
        snippet = ""
    return SearchHit(server.url(page.path, host=page.site), page.title, snippet, "web")


def request(server: HTTPServer, store: Store, client: object, cases: Sequence[Labelled],
            search: FakeSearch) -> EvidenceRequest:
    """One check: the article holding ``cases``' claims, published at its own page."""
    own = cases[0].own
    text = "\n\n".join(dict.fromkeys(p for case in cases for p in case.own.paragraphs))
    sha = hashlib.sha256(text.encode()).hexdigest()
    article = Article(id=sha[:16], sha256=sha, text=text, title=own.title, source="bench",
                      language=Language(cases[0].language, 0.99),
                      canonical_url=server.url(own.path, host=own.site))
    claims = [Claim(id=f"c{n}", position=n, text=case.claim, quote=case.claim,
                    translations={"en": case.english}) for n, case in enumerate(cases)]
    return EvidenceRequest(claims=claims, article=article, backends=[search],
                           fetcher=fetcher(client), store=store,
                           ledger=SourceLog(store, f"bench-{sha[:8]}"),
                           settings=EvidenceSettings())


def settled(case: Labelled, result: EvidenceResult, claim_id: str) -> bool:
    """Whether the claim's passages hold its settling sentence, from its settling page."""
    return any(p.url.endswith(case.settling.path) and case.settling_sentence in p.text
               for p in result.passages[claim_id])


VERDICTS: dict[str, Counter[str]] = {"with": Counter(), "without": Counter()}


async def recall_and_repeat(folder: Path, snippets: bool = True,
                            ) -> tuple[dict[str, list[bool]], int, int]:
    """Recall per language over every labelled check; then the searches and fetches made
    when the same checks run again on the same store."""
    cases = labelled_web()
    checks: dict[tuple[str, int], list[Labelled]] = defaultdict(list)
    for case in cases:
        checks[(case.language, case.article)].append(case)
    found: dict[str, list[bool]] = defaultdict(list)
    async with HTTPServer() as server, Store(folder / f"recall{snippets}.db") as store, \
            http_client() as client:
        serve(server, {p.path: p for c in cases for p in c.pages}.values(), 0.0)
        search = backend(server, cases, 0.0, snippets)
        for group in checks.values():
            result = await gather_evidence(request(server, store, client, group, search))
            for n, case in enumerate(group):
                found[case.language].append(settled(case, result, f"c{n}"))
                # The evidence-reading fake model's verdict, given these passages or none
                # (every labelled claim is true: its settling page says so).
                if snippets:
                    given = [(p.id, p.text) for p in result.passages[f"c{n}"]]
                    VERDICTS["with"][read_evidence(case.claim, given)[0]] += 1
                    VERDICTS["without"][read_evidence(case.claim, [])[0]] += 1
        searched, fetched = len(search.calls), len(server.requests)
        for group in checks.values():
            await gather_evidence(request(server, store, client, group, search))
        return found, len(search.calls) - searched, len(server.requests) - fetched


async def wall_time(folder: Path, latency: float) -> float:
    """Seconds the stage takes for one check of 12 claims at ``latency`` per search and page."""
    cases = [c for c in labelled_web(seed=11) if c.language in ("en", "fr")][:12]
    async with HTTPServer() as server, Store(folder / "wall.db") as store, \
            http_client() as client:
        serve(server, {p.path: p for c in cases for p in c.pages}.values(), latency)
        search = backend(server, cases, latency)
        # Warm up what a running bot has warm (language models, trafilatura), on other data.
        warm_up()
        warm = [c for c in labelled_web(seed=12) if c.language == "de"][:1]
        serve(server, list(warm[0].pages), 0.0)
        await gather_evidence(request(server, store, client, warm, backend(server, warm, 0)))
        started = time.perf_counter()
        await gather_evidence(request(server, store, client, cases, search))
        return time.perf_counter() - started


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--latency", type=float, default=0.3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        found, searches, fetches = await recall_and_repeat(Path(tmp))
        bare, _, _ = await recall_and_repeat(Path(tmp), snippets=False)
        seconds = await wall_time(Path(tmp), args.latency)
    rows = []
    for language, hits in found.items():
        share = sum(hits) / len(hits)
        rows.append((f"retrieval recall, {language} ({len(hits)} claims)", f"{share:.0%}",
                     ">= 90%", share >= 0.9))
    flat = [hit for hits in bare.values() for hit in hits]
    rows.append((f"retrieval recall, hits without snippets ({len(flat)} claims)",
                 f"{sum(flat) / len(flat):.0%}", "shown only", None))
    ratio = seconds / (2 * args.latency)
    rows.append((f"stage wall time / (search + fetch), 12 claims at {args.latency:g} s",
                 f"{ratio:.2f}", "<= 2.5", ratio <= 2.5))
    for stage in ("without", "with"):
        n = VERDICTS[stage]
        rows.append((f"reading fake model {stage} the stage: right/wrong/declined",
                     f"{n['supported']}/{n['refuted']}/{n['uncertain']}", "shown", None))
    rows.append(("repeated checks: searches made", str(searches), "0", searches == 0))
    rows.append(("repeated checks: fetches made", str(fetches), "0", fetches == 0))
    print_figures(rows)
    print(f"(load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")


if __name__ == "__main__":
    asyncio.run(main())
