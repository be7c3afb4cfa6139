"""Where the work of an interaction runs: in this process (``parallax run``), or handed to
the workers through the job queue (``parallax run --gateway-only``).

The cogs stay the same either way: a command validates its input and defers, then asks
:attr:`ParallaxBot.work` whether to do the work itself. With :class:`Queued` the interaction
(its token, channel and locale) and the check's job are written in one transaction and a
worker answers; the gateway only has to acknowledge within Discord's 3 seconds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

import discord

from bot.jobs.interactions import CheckRequest, PendingInteraction

if TYPE_CHECKING:  # procrastinate loads only with --gateway-only
    from bot.jobs.queue import JobQueue


class WorkPlace(Protocol):
    """The seam: ``queued`` False runs the work here, True hands it over."""

    queued: bool

    async def check(self, interaction: discord.Interaction, request: CheckRequest) -> None:
        """Hand a deferred /check or /summarize over (only called when ``queued``)."""
        ...


class InProcess:
    """``parallax run``: every cog does its work itself."""

    queued = False

    async def check(self, interaction: discord.Interaction, request: CheckRequest) -> None:
        """Never called: the cog runs the check itself."""
        raise RuntimeError("in-process work is done by the cog")


class Queued:
    """``parallax run --gateway-only``: checks go to the workers."""

    queued = True

    def __init__(self, queue: JobQueue) -> None:
        self.queue = queue

    async def check(self, interaction: discord.Interaction, request: CheckRequest) -> None:
        """Record the deferred interaction and enqueue its check, together."""
        from bot.jobs.handoff import hand_over_check

        original = await interaction.original_response()  # its id: the answer past 15 min
        pending = PendingInteraction(
            interaction_id=str(interaction.id),
            application_id=str(interaction.application_id),
            token=interaction.token,
            channel_id=str(interaction.channel_id),
            guild_id=str(interaction.guild_id) if interaction.guild_id else None,
            locale=interaction.locale.value,
            created_at=interaction.created_at,  # the token's life starts with the interaction
            original_message_id=str(original.id))
        await hand_over_check(self.queue, pending, request)
