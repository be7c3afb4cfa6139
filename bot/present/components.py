"""Message components as Discord's REST API takes them: the Details button, the review card's
buttons and the pages of Details.

A worker answers without discord.py (it has no gateway), so it sends these dicts itself. The
custom ids are the contract with the gateway's persistent buttons
(``bot/discord_app/cogs/check.py`` and ``review.py``): whichever process posted a card, the
gateway that receives the press handles it from the id alone.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from bot.present.i18n import t
from bot.records import ReviewAction

Component = dict[str, Any]


class Style(IntEnum):
    """Discord's button styles."""

    PRIMARY = 1
    SECONDARY = 2
    SUCCESS = 3
    DANGER = 4


ACTION_ROW, BUTTON = 1, 2
# The card's buttons, in order: the action, its label's i18n key and its style.
REVIEW_BUTTONS = (
    (ReviewAction.ACCURATE, "accurate", Style.SUCCESS),
    (ReviewAction.INACCURATE, "inaccurate", Style.DANGER),
    (ReviewAction.NEEDS_CONTEXT, "needs_context", Style.PRIMARY),
    (ReviewAction.DISMISS, "dismiss", Style.SECONDARY),
    (ReviewAction.NOTE, "add_note", Style.SECONDARY),
)


def details_id(check_id: str) -> str:
    """The custom id of a report's Details button."""
    return f"parallax:details:{check_id}"


def review_id(action: ReviewAction, claim_id: str) -> str:
    """The custom id of one decision on one claim's card."""
    return f"parallax:review:{action.value}:{claim_id}"


def button(custom_id: str, label: str, style: Style = Style.SECONDARY,
           disabled: bool = False) -> Component:
    """One button (Discord caps labels at 80 characters)."""
    return {"type": BUTTON, "style": int(style), "disabled": disabled, "label": label[:80],
            "custom_id": custom_id}


def row(*buttons: Component) -> Component:
    """An action row (at most five buttons)."""
    return {"type": ACTION_ROW, "components": list(buttons[:5])}


def details_components(check_id: str, locale: str) -> list[Component]:
    """The report's Details button, as the answer's components."""
    return [row(button(details_id(check_id), t("details", locale)))]


def review_components(claim_id: str, locale: str) -> list[Component]:
    """The five decisions of a moderators' card."""
    return [row(*(button(review_id(action, claim_id), t(key, locale), style)
                  for action, key, style in REVIEW_BUTTONS))]
