"""Hostile input at scale: random and pathological inputs through ingest and the offline check.

Printed in one run: inputs tried, clean refusals (the project's InputError), successes,
crashes (any other exception; goal 0), hangs (over the per-input limit; goal 0), rows lost
(checks that succeeded but are not in the database; goal 0) and duplicate rows (one text
stored twice; goal 0). The fault part interrupts checks at random moments (a task cancelled
mid-flight, as a crash stops it), then checks the database (integrity, no half-written
article) and runs every interrupted check again (each completes once). The SIGKILL scenarios
(mid-check, mid-poll, mid-post) take a process each and run in tests/hardening/test_crashes.py.

Usage: python bench/robustness.py [--inputs 800] [--checks 300] [--seed 7]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import random
import sqlite3
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from figures import print_figures  # noqa: E402 - bench/ is the script folder

from bot.app import build_app  # noqa: E402
from bot.config import load_settings  # noqa: E402
from bot.errors import InputError  # noqa: E402
from bot.ingest import IngestLimits, to_article  # noqa: E402
from bot.pipeline import check_text  # noqa: E402
from bot.records import RawDocument  # noqa: E402

LIMIT_S = 10.0  # per input
ALPHABETS = (
    "abc xyz ",
    "éàüß ",
    "Привет мир ",
    "日本語の文。",
    "مرحبا بالعالم ",
    "\u0301\u202e\u200b",
    "<div><p>",
    "</p></div>",
    "<!--",
    "-->",
    "&amp;&#x27;",
    ". ! ? ",
    "1.230 3,5 % 2025 ",
    "@everyone <@&1> ",
    "# * _ [a](",
    "\n\n",
)
# Pieces that make a whole input binary or undecodable: rare, or nearly every input is refused.
POISON = ("\x00\x01\x7f", "\ud800")
PATHOLOGICAL = (
    "<http://",
    "a@",
    "<",
    "[a](",
    "![",
    "<!--",
    ". ",
    "。",
    "«»",
    "1",
    "<a ",
    "<div>",
    "\u0301",
    "https://x.org/" + "a" * 50,
)


def random_input(rng: random.Random) -> tuple[bytes, str]:
    """One input: random bytes, random mixed text, or a long pathological repetition."""
    kind = rng.random()
    if kind < 0.3:
        return rng.randbytes(rng.randint(0, 20_000)), rng.choice(("text/plain", "text/html"))
    if kind < 0.8:
        parts = [
            rng.choice(POISON) if rng.random() < 0.0005 else rng.choice(ALPHABETS)
            for _ in range(rng.randint(1, 1_500))
        ]
        text = "".join(parts)
    else:
        text = rng.choice(PATHOLOGICAL) * rng.randint(1_000, 200_000)
    data = text.encode("utf-8", "surrogatepass")
    return data, rng.choice(("text/plain", "text/html", "text/markdown"))


def ingest_all(count: int, seed: int) -> tuple[dict[str, int], list[str]]:
    """Every input through to_article, each under a time limit, in a worker thread."""
    rng = random.Random(seed)
    counts = {"tried": 0, "refused": 0, "ok": 0, "crashed": 0, "hung": 0}
    texts: list[str] = []
    with ThreadPoolExecutor(max_workers=1) as pool:
        for _ in range(count):
            data, content_type = random_input(rng)
            raw = RawDocument(data=data, source="bench", content_type=content_type)
            counts["tried"] += 1
            future = pool.submit(to_article, raw, IngestLimits())
            try:
                article = future.result(timeout=LIMIT_S)
            except FutureTimeout:
                counts["hung"] += 1
                print(f"hang: {data[:60]!r}… ({len(data)} bytes, {content_type})")
                break  # the worker is stuck: later inputs would queue behind it
            except InputError:
                counts["refused"] += 1
            except Exception as exc:  # what the figure counts: never anything but InputError
                counts["crashed"] += 1
                print(f"crash: {exc.__class__.__name__}: {exc} on {data[:60]!r}")
            else:
                counts["ok"] += 1
                texts.append(article.text)
    return counts, texts


async def check_all(texts: list[str], db: Path) -> tuple[dict[str, int], set[tuple[str, str]]]:
    """The offline check of the texts that ingested, twice each, concurrently; the counts and
    the (article id, check id) of every report returned."""
    counts = {"checked": 0, "crashed": 0}
    reports: set[tuple[str, str]] = set()
    async with build_app(load_settings(environ={}).offline(), db) as app:

        async def one(text: str) -> None:
            try:
                report = await check_text(text, app)
                reports.add((report.article.id, report.check_id))
                counts["checked"] += 1
            except InputError:
                pass
            except Exception as exc:
                counts["crashed"] += 1
                print(f"check crash: {exc.__class__.__name__}: {exc}")

        await asyncio.gather(*(one(t) for t in texts + texts))
    return counts, reports


async def interrupt_all(texts: list[str], db: Path, seed: int) -> dict[str, int]:
    """Cancel each check at a random moment, then run them all again: each completes once."""
    rng = random.Random(seed)
    counts = {"interrupted": 0, "completed": 0, "half_written": 0, "checks_not_once": 0}
    async with build_app(load_settings(environ={}).offline(), db) as app:
        for text in texts:
            task = asyncio.ensure_future(check_text(text, app))
            await asyncio.sleep(rng.uniform(0, 0.02))
            if not task.done():
                task.cancel()
                counts["interrupted"] += 1
            with contextlib.suppress(asyncio.CancelledError, InputError):
                await task
        for text in texts:
            with contextlib.suppress(InputError):
                await check_text(text, app)
                counts["completed"] += 1
    with sqlite3.connect(db) as conn:
        counts["integrity"] = int(conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok")
        counts["half_written"] = conn.execute(
            "select count(*) from articles a where not exists "
            "(select 1 from checks c where c.article_id = a.id)"
        ).fetchone()[0]
        counts["checks_not_once"] = conn.execute(
            "select count(*) from (select article_id from checks group by article_id, "
            "request_key having count(*) != 1)"
        ).fetchone()[0]
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=int, default=800)
    parser.add_argument("--checks", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    started = time.perf_counter()
    counts, texts = ingest_all(args.inputs, args.seed)
    distinct = list(dict.fromkeys(texts))[: args.checks]
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "robustness.db"
        checked, reports = asyncio.run(check_all(distinct, db))
        faults = asyncio.run(interrupt_all(distinct, Path(tmp) / "faults.db", args.seed))
        with sqlite3.connect(db) as conn:
            stored = set(conn.execute("select article_id, id from checks").fetchall())
            # Two checks of one article made the same way: a duplicate (one would do).
            duplicates = conn.execute(
                "select coalesce(sum(n - 1), 0) from (select count(*) as n from checks "
                "group by article_id, request_key)"
            ).fetchone()[0]
    lost = len(reports - stored)  # a report returned to a caller but not in the database
    crashes = counts["crashed"] + checked["crashed"]
    print(
        f"{counts['tried']} inputs in {time.perf_counter() - started:.1f} s; "
        f"{len(distinct)} distinct texts checked twice each, concurrently"
    )
    print_figures(
        [
            ("inputs tried", str(counts["tried"]), "(shown)", None),
            ("clean refusals", str(counts["refused"]), "(shown)", None),
            ("ingested", str(counts["ok"]), "(shown)", None),
            ("crashes", str(crashes), "0", crashes == 0),
            ("hangs", str(counts["hung"]), "0", counts["hung"] == 0),
            ("rows lost", str(lost), "0", lost == 0),
            ("duplicate rows", str(duplicates), "0", duplicates == 0),
            ("checks interrupted at random", str(faults["interrupted"]), "(shown)", None),
            (
                "database sound after interruptions",
                "yes" if faults["integrity"] else "NO",
                "yes",
                bool(faults["integrity"]),
            ),
            (
                "half-written articles",
                str(faults["half_written"]),
                "0",
                faults["half_written"] == 0,
            ),
            (
                "checks not completed exactly once",
                str(faults["checks_not_once"]),
                "0",
                faults["checks_not_once"] == 0,
            ),
        ]
    )


if __name__ == "__main__":
    main()
