"""Charts as image files. The only importer of matplotlib, which loads when a chart is drawn
(the command line starts without it) and draws with the Agg backend (no display needed)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.errors import InputError, ParallaxError

FORMATS = (".png", ".svg", ".pdf")
_STYLE = {  # kind -> marker, colour, legend
    "model": ("o", "#1f77b4", "model"),
    "policy": ("s", "#2ca02c", "panel policy"),
    "escalation": ("^", "#d62728", "panel policy + escalation"),
}


@dataclass(frozen=True)
class Point:
    """One labeled point of the coverage / accuracy chart."""

    label: str
    x: float  # coverage
    y: float  # accuracy when attempted
    kind: str = "model"  # model | policy | escalation
    highlight: bool = False  # the configured panel


def check_target(path: Path) -> None:
    """Refuse, before any work, a chart file that could not be written."""
    if path.suffix.lower() not in FORMATS:
        raise InputError(f"--plot {path}: the file must end in {', '.join(FORMATS)}")
    if not path.parent.is_dir():
        raise InputError(f"--plot {path}: no such folder {path.parent}")
    if path.is_dir():
        raise InputError(f"--plot {path}: is a directory")


def plot_tradeoff(points: Sequence[Point], path: Path, title: str) -> Path:
    """Draw coverage (x) against accuracy when attempted (y), one labeled point each.

    Points at the same place share one label. Up and to the right is better: the
    dashed curves are equal wrong-verdict rates (coverage × (1 − accuracy when attempted)).
    """
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError:
        raise ParallaxError('--plot needs matplotlib: pip install "matplotlib>=3.8,<4"') from None

    figure = Figure(figsize=(8, 6.5), dpi=120)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    grid = [i / 100 for i in range(1, 101)]
    for rate in (0.05, 0.1, 0.2, 0.3, 0.5):
        xs = [x for x in grid if x >= rate]
        axes.plot(xs, [1 - rate / x for x in xs], linestyle=":", color="#bbbbbb", linewidth=0.8)
        axes.annotate(f"{rate:.0%} wrong", (1.0, 1 - rate), fontsize=7, color="#999999",
                      xytext=(2, 0), textcoords="offset points", va="center")
    for kind, (marker, colour, legend) in _STYLE.items():
        mine = [p for p in points if p.kind == kind]
        if mine:
            axes.scatter([p.x for p in mine], [p.y for p in mine], marker=marker, color=colour,
                         s=60, label=legend, alpha=0.85, zorder=3)
    chosen = [p for p in points if p.highlight]
    if chosen:
        axes.scatter([p.x for p in chosen], [p.y for p in chosen], s=220, facecolors="none",
                     edgecolors="black", linewidths=1.5, label="configured panel", zorder=4)
    axes.set_xlim(-0.03, 1.1)
    axes.set_ylim(-0.03, 1.05)
    places: dict[tuple[float, float], list[str]] = {}
    for p in points:
        places.setdefault((round(p.x, 3), round(p.y, 3)), []).append(p.label)
    _label(axes, places, figure.dpi)
    axes.set_xlabel("coverage: share of claims attempted")
    axes.set_ylabel("accuracy when attempted")
    axes.set_title(title, fontsize=10)
    axes.grid(True, alpha=0.3)
    axes.legend(loc="lower left", fontsize=8)
    figure.tight_layout()
    try:
        figure.savefig(path)
    except OSError as exc:
        raise InputError(f"--plot {path}: cannot write: {exc.strerror or exc}") from None
    return path


_OFFSETS = ((6, 5), (6, -12), (-6, 5), (-6, -12), (6, 14), (-6, 14), (6, -22), (-6, -22))


def _label(axes: Any, places: dict[tuple[float, float], list[str]], dpi: float) -> None:
    """Annotate each place, choosing for each label the first nearby spot (right, below, left…)
    that overlaps no label placed before it nor any point."""
    scale = dpi / 72  # points to pixels
    to_pixels = axes.transData.transform
    dots = [tuple(to_pixels(xy)) for xy in places]
    boxes: list[tuple[float, float, float, float]] = []

    def clashes(box: tuple[float, float, float, float]) -> int:
        x0, y0, x1, y1 = box
        hits = sum(x0 < b[2] and b[0] < x1 and y0 < b[3] and b[1] < y1 for b in boxes)
        return hits + sum(x0 - 4 < dx < x1 + 4 and y0 - 4 < dy < y1 + 4 for dx, dy in dots)

    for (x, y), labels in sorted(places.items(), key=lambda item: (-item[0][1], item[0][0])):
        text = ", ".join(labels)
        px, py = to_pixels((x, y))
        width, height = len(text) * 8 * 0.55 * scale, 8 * 1.2 * scale
        best = None
        for dx, dy in _OFFSETS:
            left = px + dx * scale if dx > 0 else px + dx * scale - width
            box = (left, py + dy * scale, left + width, py + dy * scale + height)
            score = clashes(box)
            if best is None or score < best[0]:
                best = (score, box, (dx, dy))
            if score == 0:
                break
        assert best is not None
        _, box, (dx, dy) = best
        boxes.append(box)
        axes.annotate(text, (x, y), xytext=(dx, dy), textcoords="offset points",
                      fontsize=8, ha="left" if dx > 0 else "right", va="bottom")
