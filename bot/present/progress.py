"""Progress on stderr while long work runs: a spinner with the stage, or a bar over items.

Both show on a terminal only, so that piped output stays clean, and vanish when done.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

Advance = Callable[[int, int, str], None]  # (items done, items in all, the last one's name)


@contextmanager
def stages(console: Console | None = None) -> Iterator[Callable[[str], None]]:
    """A spinner naming the stage that runs; call the yielded function with each new stage."""
    console = console or Console(stderr=True)
    if not console.is_terminal:
        yield lambda _stage: None
        return
    with console.status("starting") as status:
        yield lambda stage: status.update(f"{stage}…")


@contextmanager
def progress_bar(working: str, finished: str,
                 console: Console | None = None) -> Iterator[Advance]:
    """A bar over items: "``working``" until the first is done, then "``finished`` NAME"."""
    console = console or Console(stderr=True)
    if not console.is_terminal:
        yield lambda _done, _total, _name: None
        return
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task(working, total=None)

        def advance(done: int, total: int, name: str) -> None:
            bar.update(task, completed=done, total=total, description=f"{finished} {name}")

        yield advance
