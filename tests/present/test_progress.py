"""Progress on stderr: shown on a terminal, silent in a pipe."""

from __future__ import annotations

import io

from rich.console import Console

from bot.present.progress import progress_bar, stages


def console(terminal: bool) -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    return Console(file=out, force_terminal=terminal, width=100), out


def test_bar_counts_items_on_a_terminal():
    shown, out = console(terminal=True)
    with progress_bar("polling", "polled", shown) as advance:
        advance(1, 3, "Tribune")
        advance(2, 3, "Gazette")
    assert "polled Gazette" in out.getvalue() and "2/3" in out.getvalue()


def test_spinner_names_the_stage_on_a_terminal():
    shown, out = console(terminal=True)
    with stages(shown) as say:
        say("summarizing")
    assert "summarizing…" in out.getvalue()


def test_nothing_in_a_pipe():
    shown, out = console(terminal=False)
    with progress_bar("polling", "polled", shown) as advance:
        advance(1, 3, "Tribune")
    with stages(shown) as say:
        say("summarizing")
    assert out.getvalue() == ""
