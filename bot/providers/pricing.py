"""A dated price table and the cost estimate of one model call.

Prices are US dollars per million tokens (input, output), from the vendors' price lists as
of :data:`PRICES_AS_OF`. Cache reads cost 10% of the input price and cache writes 125% (the
5-minute ephemeral cache). A model not in the table (a local model, or one added after the
table) costs 0.0, and :func:`price_of` tells the two cases apart for display.

OpenAI models are left out on purpose: their prices were not checked for this date, and a
wrong figure is worse than an unknown one. Add them here with the date when checked.
"""

from __future__ import annotations

from typing import NamedTuple

from bot.records import Usage

PRICES_AS_OF = "2026-11-15"
CACHE_READ_FACTOR = 0.10
CACHE_WRITE_FACTOR = 1.25


class Price(NamedTuple):
    """Dollars per million tokens."""

    input: float
    output: float


PRICES: dict[str, Price] = {
    "claude-opus-5-5": Price(4.00, 20.00),
    "claude-sonnet-5-5": Price(2.00, 10.00),
    "claude-haiku-5-5": Price(0.10, 0.50),  # for prompts up to 100K tokens
    "claude-fable-5-2": Price(8.00, 40.00),
    "claude-sonnet-4-6": Price(3.00, 15.00),
    "claude-haiku-4-5": Price(1.00, 5.00),
}


def price_of(model: str) -> Price | None:
    """The table's price for ``model``, or None when it is not in the table."""
    return PRICES.get(model)


def estimate_cost(model: str, usage: Usage) -> float:
    """Estimated dollars for one call of ``model`` that spent ``usage``; 0.0 when unpriced.

    ``usage.input_tokens`` is the uncached input, as both providers report it.
    """
    price = PRICES.get(model)
    if price is None:
        return 0.0
    dollars = (usage.input_tokens * price.input
               + usage.cache_read_tokens * price.input * CACHE_READ_FACTOR
               + usage.cache_write_tokens * price.input * CACHE_WRITE_FACTOR
               + usage.output_tokens * price.output)
    return dollars / 1_000_000
