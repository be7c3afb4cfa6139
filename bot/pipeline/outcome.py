"""Whether a check answered: stage failures, the incomplete-report warning, the progress line.

A stage failed *as a whole* when it gave nothing for infrastructure reasons (errors,
timeouts, refusals, unreadable answers): the summary call, the claims call, every panel
model, or every escalation model asked. A model that declines a claim (``uncertain``) has
answered; one panel model failing while others answer leaves the report complete.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from bot.records import MemberStatus, PanelMember, Stage, StageFailure

Progress = Callable[[str], None]


def whole_failure(stage: Stage, members: Iterable[PanelMember]) -> StageFailure | None:
    """The failure of a panel-like stage when every model asked failed; None otherwise."""
    members = list(members)
    asked = [m for m in members if m.status is not MemberStatus.NOT_ASKED]
    if not asked or any(m.answered for m in asked):
        return None
    reasons = "; ".join(m.reason or m.name for m in asked)
    return StageFailure(stage, f"no model answered ({reasons})")


class Board:
    """The progress line of a check whose stages run side by side.

    Each stage owns one part of the line ("summary ready · 5 claim(s) · 2 of 3 models
    answered"), so a stage that failed never reads as ready because another one finished.
    """

    def __init__(self, say: Progress) -> None:
        self._say = say
        self._parts: dict[str, str] = {}

    def set(self, stage: str, text: str) -> None:
        """Replace ``stage``'s part of the line and show the whole line."""
        self._parts[stage] = text
        self._say(" · ".join(self._parts.values()))
