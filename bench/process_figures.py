"""Whole ``parallax`` processes: peak memory and wall time, for bench/languages.py (issue 13).

Measured side by side in one run, in fresh processes, each the median of a few rounds:

- peak RSS (max RSS of the child, from ``os.wait4``) of ``parallax check --offline`` on a
  one-sentence text and on a 3 KB article, each new to an existing database (goal <= 200 MB);
- the wall time of those two checks and of ``parallax --version``, each divided by the wall
  time of ``python -c "import httpx, trafilatura, sqlite_utils"`` measured in the same run
  (goals <= 2.0 for the checks, <= 0.3 for ``--version``).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = ROOT / "data" / "samples" / "fr-ai-safety.txt"
SENTENCE = "Le conseil municipal a voté un budget de 42 millions d'euros le 3 mars 2025.\n"
ROUNDS = 3
Row = tuple[str, str, str, bool | None]


def _run(args: list[str], cwd: Path) -> tuple[float, int]:
    """(seconds, peak RSS in MB) of one child process."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    started = time.perf_counter()
    child = subprocess.Popen(args, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) not in (0, 3):
        raise RuntimeError(f"{' '.join(args)} failed")
    return elapsed, usage.ru_maxrss // 1024


def _median(args: list[str], cwd: Path, source: Path | None = None) -> tuple[float, int]:
    """Median seconds and highest peak over the rounds. With ``source``, each round checks a
    copy of it made new (one more sentence) into one database that an earlier check already
    created: a user's next article, never a stored report, and no first-run migrations."""
    times, peaks = [], []
    for n in range(ROUNDS):
        extra: list[str] = []
        if source is not None:
            copy = cwd / f"{source.stem}-{n}.txt"
            copy.write_text(source.read_text(encoding="utf-8")
                            + f"\nRound {n} was measured on {n + 1} March 2026.\n",
                            encoding="utf-8")
            extra = [str(copy), "--db", str(cwd / "bench.db")]
        seconds, peak = _run(args + extra, cwd)
        times.append(seconds)
        peaks.append(peak)
    return statistics.median(times), max(peaks)


def process_section(_args: object = None) -> list[Row]:
    """The rows of the process figures (prints a short table of the raw measurements)."""
    python = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "sentence.txt").write_text(SENTENCE, encoding="utf-8")
        cli = [python, "-m", "bot.cli"]
        _run([*cli, "check", str(ARTICLE), "--offline", "--db", str(folder / "bench.db")],
             folder)  # the database exists, as it does for every check but a user's first
        base, _ = _median([python, "-c", "import httpx, trafilatura, sqlite_utils"], folder)
        version, _ = _median([*cli, "--version"], folder)
        check = [*cli, "check", "--offline"]
        one, one_peak = _median(check, folder, folder / "sentence.txt")
        article, article_peak = _median(check, folder, ARTICLE)
    print(f"processes (median of {ROUNDS}): imports {base:.2f} s, --version {version:.2f} s, "
          f"one-sentence check {one:.2f} s / {one_peak} MB, 3 KB check {article:.2f} s / "
          f"{article_peak} MB")
    return [
        ("peak memory, one-sentence check", f"{one_peak} MB", "<= 200 MB", one_peak <= 200),
        ("peak memory, 3 KB article check", f"{article_peak} MB", "<= 200 MB",
         article_peak <= 200),
        ("one-sentence check / imports", f"{one / base:.2f}", "<= 2.0", one / base <= 2.0),
        ("3 KB article check / imports", f"{article / base:.2f}", "<= 2.0",
         article / base <= 2.0),
        ("--version / imports", f"{version / base:.2f}", "<= 0.3", version / base <= 0.3),
    ]


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from figures import print_figures

    print_figures(process_section())
