"""Fixtures for the queue's tests: a real Postgres (tests/postgres.py), worker processes."""

from __future__ import annotations

from tests.postgres import postgres_server, postgres_url  # noqa: F401 - fixtures
