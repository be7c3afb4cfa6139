"""Hostile input at scale: random and pathological inputs through ingest and the offline check.

Printed in one run: inputs tried, clean refusals (the project's InputError), successes,
crashes (any other exception; goal 0), hangs (over the per-input limit; goal 0), rows lost
(checks that succeeded but are not in the database; goal 0) and duplicate rows (one text
stored twice; goal 0). The fault part interrupts checks at random moments (a task cancelled
mid-flight, as a crash stops it), then checks the database (integrity, no half-written
article) and runs every interrupted check again (each completes once). The SIGKILL scenarios
(mid-check, mid-poll, mid-post) take a process each and run in tests/hardening/test_crashes.py.

Then the named hostile cases (HOSTILE below), each with what must hold for it. The fetch cases
serve compression bombs from a loopback server and check the URL the way `parallax check` does,
each in a child process of its own, beside an ordinary offline check of a sample article in
another: the peak memory (the child's VmHWM) of the worst refused fetch is printed next to the
ordinary check's, measured side by side in this run.

Usage: python bench/robustness.py [--inputs 800] [--checks 300] [--seed 7]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import random
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from figures import print_figures  # noqa: E402 - bench/ is the script folder
from hostile_hidden import cases as hidden_cases  # noqa: E402
from hostile_prompts import cases as prompt_cases  # noqa: E402

from bot.app import build_app  # noqa: E402
from bot.config import load_settings  # noqa: E402
from bot.errors import InputError  # noqa: E402
from bot.ingest import IngestLimits, to_article  # noqa: E402
from bot.pipeline import check_article, check_text  # noqa: E402
from bot.records import RawDocument  # noqa: E402
from tests.fakes.http_server import HTTPServer, gzip_bomb  # noqa: E402

LIMIT_S = 10.0  # per input
SAMPLE = ROOT / "data" / "samples" / "fr-ai-safety.txt"
MEMORY_MARGIN_MB = 50  # a refused fetch may cost at most this much more than an ordinary check
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


# -- named hostile cases ----------------------------------------------------------------------
#
# Each case is one hostile input and the property that must hold for it; main() prints one row
# per case. Add a case by appending a Hostile to HOSTILE in its section (its run() returns what
# was measured and whether the property held); the sections below are the families.


class Hostile:
    """One named hostile input: ``run()`` -> (what was measured, held or not)."""

    def __init__(self, name: str, goal: str, run: Callable[[], tuple[str, bool]]) -> None:
        self.name, self.goal, self.run = name, goal, run


def peak_of_child(*args: str) -> tuple[str, int]:
    """Run this script as ``--child ARGS`` in a fresh process: (what it said, peak RSS in KB).

    The child reads its own VmHWM: ru_maxrss would carry this process's peak over the exec.
    """
    done = subprocess.run([sys.executable, __file__, "--child", *args], capture_output=True,
                          text=True, timeout=300, check=True, cwd=ROOT)
    *said, peak = done.stdout.strip().splitlines()
    return " ".join(said), int(peak)


def _own_peak_kb() -> int:
    with open("/proc/self/status") as status:
        found = re.search(r"VmHWM:\s*(\d+) kB", status.read())
    return int(found.group(1)) if found else 0


async def _child_check(target: str) -> str:
    """One offline check, as `parallax check` makes it: of the sample, or of a bomb's URL."""
    settings = load_settings(environ={}).offline().model_copy(
        update={"allowed_networks": ["127.0.0.1/32"]})  # the loopback server counts as public
    with tempfile.TemporaryDirectory() as tmp:
        async with build_app(settings, Path(tmp) / "child.db") as app:
            if target == "sample":
                report = await check_article(str(SAMPLE), app)
                return f"checked: {len(report.claims)} claims"
            coding, size, layers = BOMBS[target]
            async with HTTPServer() as server:
                server.page("/news", gzip_bomb(size, layers), "text/html",
                            headers=[("Content-Encoding", coding)])
                try:
                    await check_article(server.url("/news"), app)
                except InputError as exc:
                    return f"refused: {exc.reason}"
                return "NOT refused"


BOMBS = {  # name -> (Content-Encoding, inflated size, gzip layers)
    "1 GB gzip bomb": ("gzip", 1 << 30, 1),
    "1 GB 'gzip, gzip' bomb": ("gzip, gzip", 1 << 30, 2),
    "1 GB 'gzip, gzip, gzip' bomb": ("gzip, gzip, gzip", 1 << 30, 3),
}
_peaks: dict[str, int] = {}  # KB, filled as the memory cases run


def _ordinary_peak() -> int:
    if "sample" not in _peaks:
        _peaks["sample"] = peak_of_child("sample")[1]
    return _peaks["sample"]


def _bomb_case(name: str) -> Hostile:
    def run() -> tuple[str, bool]:
        said, peak = peak_of_child(name)
        _peaks[name] = peak
        over = (peak - _ordinary_peak()) / 1000
        refused = said.startswith("refused: response too large")
        measured = f"{peak / 1000:.0f} MB" + ("" if refused else f" ({said[:40]})")
        return measured, refused and over <= MEMORY_MARGIN_MB

    return Hostile(f"peak memory, {name} refused", f"<= ordinary + {MEMORY_MARGIN_MB} MB", run)


HOSTILE: list[Hostile] = [
    # -- compression bombs: refused at the 5 MB limit, memory bounded like an ordinary check
    *(_bomb_case(name) for name in BOMBS),
    # -- injections in the title and fake closing delimiters: inside the block and reported
    *(Hostile(name, goal, run) for name, goal, run in prompt_cases()),
    # -- hidden text (style rules, colours, clipping, off-screen, hidden attribute): removed
    # before extraction and reported; routine hidden markup silent (bench/hostile_hidden.py)
    *(Hostile(name, goal, run) for name, goal, run in hidden_cases()),
]


def hostile_rows() -> list[tuple[str, str, str, bool | None]]:
    """One row per hostile case, then the ordinary check's peak and the worst fetch beside it."""
    rows: list[tuple[str, str, str, bool | None]] = []
    for case in HOSTILE:
        measured, held = case.run()
        rows.append((case.name, measured, case.goal, held))
    bombs = {name: peak for name, peak in _peaks.items() if name != "sample"}
    if bombs:
        ordinary = _ordinary_peak()
        worst = max(bombs, key=bombs.__getitem__)
        over = (bombs[worst] - ordinary) / 1000
        rows.append(("peak memory, ordinary offline check", f"{ordinary / 1000:.0f} MB",
                     "(shown)", None))
        rows.append((f"worst refused fetch ({worst}) over it", f"{over:+.0f} MB",
                     f"<= {MEMORY_MARGIN_MB} MB", over <= MEMORY_MARGIN_MB))
    return rows


def main() -> None:
    if sys.argv[1:2] == ["--child"]:  # one measured check in this fresh process
        print(asyncio.run(_child_check(sys.argv[2])))
        print(_own_peak_kb())
        return
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
            *hostile_rows(),
        ]
    )


if __name__ == "__main__":
    main()
