"""Run every benchmark under bench/ and end with one summary table: figure, goal, met or not.

Each benchmark runs in its own process, at sizes that finish in a few minutes on 2 cores.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from figures import MARK, Row

HERE = Path(__file__).resolve().parent
SCRIPTS = ("claims_recall.py", "ingest.py", "panel.py", "panel_policies.py", "feeds.py",
           "discord_bot.py", "robustness.py", "languages.py", "evidence.py", "scale.py")


def main() -> int:
    """Run each benchmark, echo its output, then the summary; exit 1 if one crashed."""
    summary: list[tuple[str, Row]] = []
    crashed = []
    for script in SCRIPTS:
        print(f"== {script}", flush=True)
        done = subprocess.run([sys.executable, str(HERE / script)], capture_output=True,
                              text=True, timeout=600, check=False)
        for line in done.stdout.splitlines():
            if line.startswith(MARK):
                summary += [(script, tuple(row)) for row in json.loads(line[len(MARK):])["rows"]]
            else:
                print(line)
        if done.returncode != 0:
            crashed.append(script)
            print(done.stderr[-2000:], file=sys.stderr)
    print("\n== summary")
    width = max(len(f"{s}: {r[0]}") for s, r in summary) if summary else 10
    for script, (name, value, goal, met) in summary:
        verdict = "-" if met is None else "yes" if met else "NO"
        label = f"{script.removesuffix('.py')}: {name}"
        print(f"{label:<{width}} {value:>12}  {goal:<24} {verdict}")
    if crashed:
        print(f"crashed: {', '.join(crashed)}")
    return 1 if crashed else 0


if __name__ == "__main__":
    sys.exit(main())
