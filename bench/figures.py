"""The one way benchmarks print their figures: a table for people, a JSON line for `all.py`."""

from __future__ import annotations

import json
import sys

Row = tuple[str, str, str, bool | None]  # figure, measured, goal, met (None: shown only)
MARK = "#figures "


def print_figures(rows: list[Row]) -> None:
    """Print ``rows`` as a table, then one machine-readable line for the summary."""
    width = max([len(r[0]) for r in rows] + [6])
    goal_width = max([len(r[2]) for r in rows] + [4])
    print(f"{'figure':<{width}} {'measured':>12}  {'goal':<{goal_width}} met")
    for name, value, goal, met in rows:
        verdict = "-" if met is None else "yes" if met else "NO"
        print(f"{name:<{width}} {value:>12}  {goal:<{goal_width}} {verdict}")
    print(MARK + json.dumps({"bench": sys.argv[0], "rows": rows}))
