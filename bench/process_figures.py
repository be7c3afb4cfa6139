"""Whole ``parallax`` processes: peak memory and wall time, for bench/languages.py (issue 13).

Measured side by side in one run, in fresh processes, each the median of five interleaved rounds:

- peak RSS (max RSS of the child, from ``os.wait4``) of ``parallax check --offline`` on a
  one-sentence text and on a 3 KB article, each new to an existing database (goal <= 200 MB);
  the children are started by a small measuring process of their own (``--measure``): a child
  started straight from a large parent (bench/languages.py holds every detector, ~200 MB)
  inherits the parent's high-water mark through vfork and exec, and its max RSS read 206 MB
  for a check that peaks at 101 MB;
- the wall time of those two checks and of ``parallax --version``, each divided by the wall
  time of ``python -c "import httpx, trafilatura, sqlite_utils"`` measured in the same run
  (goals <= 2.0 for the checks, <= 0.3 for ``--version``).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = ROOT / "data" / "samples" / "fr-ai-safety.txt"
SENTENCE = "Le conseil municipal a voté un budget de {n} millions d'euros le 3 mars 2025.\n"
ROUNDS = 5
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


def _round(args: list[str], cwd: Path, text: str | None = None) -> tuple[float, int]:
    """One measured child. With ``text``, it checks that text, saved as a new file, into the
    database that an earlier check already created (no first-run migrations, never a stored
    report: a user's next article)."""
    extra: list[str] = []
    if text is not None:
        copy = cwd / f"text-{time.monotonic_ns()}.txt"
        copy.write_text(text, encoding="utf-8")
        extra = [str(copy), "--db", str(cwd / "bench.db")]
    return _run(args + extra, cwd)


def _sentence(n: int) -> str:
    return SENTENCE.format(n=40 + n)  # one French sentence, new in each round


def _article(n: int) -> str:
    return (ARTICLE.read_text(encoding="utf-8")
            + f"\nLa mesure {n} a été faite le {n + 1} mars 2026.\n")


def measure() -> dict[str, float]:
    """The raw measurements, taken in this process's children.

    The rounds interleave the four commands (imports, --version, the two checks), so that a
    change of load on a shared machine falls on all of them alike; medians of ``ROUNDS``.
    """
    python = sys.executable
    cli = [python, "-m", "bot.cli"]
    check = [*cli, "check", "--offline"]
    seconds: dict[str, list[float]] = {name: [] for name in ("base", "version", "one", "article")}
    peaks: dict[str, int] = {"one": 0, "article": 0}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        _run([*cli, "check", str(ARTICLE), "--offline", "--db", str(folder / "bench.db")],
             folder)  # the database exists, as it does for every check but a user's first
        for n in range(ROUNDS):
            runs = {"base": _round([python, "-c", "import httpx, trafilatura, sqlite_utils"],
                                   folder),
                    "version": _round([*cli, "--version"], folder),
                    "one": _round(check, folder, _sentence(n)),
                    "article": _round(check, folder, _article(n))}
            for name, (elapsed, peak) in runs.items():
                seconds[name].append(elapsed)
                if name in peaks:
                    peaks[name] = max(peaks[name], peak)
    result = {name: statistics.median(values) for name, values in seconds.items()}
    return {**result, "one_peak": peaks["one"], "article_peak": peaks["article"]}


def process_section(_args: object = None) -> list[Row]:
    """The rows of the process figures (prints a short table of the raw measurements).

    The measuring runs in a small process of its own, so that the peaks are the checks' own.
    """
    done = subprocess.run([sys.executable, __file__, "--measure"], capture_output=True,
                          text=True, check=True, timeout=600)
    m = json.loads(done.stdout.strip().splitlines()[-1])
    base, version, one, article = m["base"], m["version"], m["one"], m["article"]
    one_peak, article_peak = int(m["one_peak"]), int(m["article_peak"])
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
    if sys.argv[1:] == ["--measure"]:
        print(json.dumps(measure()))
    else:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from figures import print_figures

        print_figures(process_section())
