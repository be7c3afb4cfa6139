"""The dated price table and the per-call cost estimate."""

from __future__ import annotations

import datetime

import pytest

from bot.providers.pricing import PRICES, PRICES_AS_OF, Price, estimate_cost, price_of
from bot.records import Usage


def test_table_is_dated_and_holds_the_current_ids():
    assert datetime.date.fromisoformat(PRICES_AS_OF) == datetime.date(2026, 11, 15)
    assert PRICES["claude-sonnet-5-5"] == Price(2.0, 10.0)
    assert PRICES["claude-haiku-5-5"] == Price(0.10, 0.50)
    assert {"claude-opus-5-5", "claude-fable-5-2", "claude-sonnet-4-6",
            "claude-haiku-4-5"} <= set(PRICES)


def test_input_and_output_tokens():
    usage = Usage(input_tokens=1_000_000, output_tokens=100_000)
    assert estimate_cost("claude-opus-5-5", usage) == pytest.approx(4.0 + 2.0)


def test_cache_reads_at_ten_percent_and_writes_at_125_percent():
    reads = Usage(cache_read_tokens=1_000_000)
    writes = Usage(cache_write_tokens=1_000_000)
    assert estimate_cost("claude-sonnet-4-6", reads) == pytest.approx(0.30)
    assert estimate_cost("claude-sonnet-4-6", writes) == pytest.approx(3.75)


def test_unknown_model_costs_nothing_and_says_so():
    assert estimate_cost("llama3.1:8b", Usage(1000, 1000, 10, 10)) == 0.0
    assert price_of("llama3.1:8b") is None
    assert price_of("claude-fable-5-2") == Price(8.0, 40.0)
