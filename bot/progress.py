"""How a running check shows its stage to the member who asked: the same rhythm whether the
check runs in the gateway's process or on a worker (bot.discord_app.cogs.check, bot.jobs.answer).
"""

from __future__ import annotations

PROGRESS_AFTER = 3.0  # seconds before a check starts showing its stages: quick ones never do
PROGRESS_EVERY = 2.0  # at most one progress edit this often (each edit is a Discord request)
