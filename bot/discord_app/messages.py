"""Sending what the core rendered: embed dicts to discord.py objects, long answers split."""

from __future__ import annotations

import time

import discord

from bot.present.embeds import validate_message

# Interaction tokens live 15 minutes; past 14, edit through the channel instead.
TOKEN_LIFETIME = 14 * 60


def to_embeds(message: list[dict]) -> list[discord.Embed]:
    """discord.py embeds from the core's embed dicts (checked against Discord's limits)."""
    problems = validate_message(message)
    if problems:  # the builder guarantees this never happens; refuse rather than get a 400
        raise ValueError("embed over Discord's limits: " + "; ".join(problems))
    return [discord.Embed.from_dict(embed) for embed in message]


class Answer:
    """The deferred answer to one interaction, edited in place as work progresses."""

    def __init__(self, interaction: discord.Interaction) -> None:
        self.interaction = interaction
        self.started = time.monotonic()
        self.message: discord.InteractionMessage | None = None

    async def edit(self, **fields: object) -> None:
        """Edit the original answer; through the channel once the token is too old."""
        fresh = time.monotonic() - self.started < TOKEN_LIFETIME
        if fresh:
            try:
                self.message = await self.interaction.edit_original_response(**fields)
                return
            except discord.HTTPException as exc:
                if exc.code != 50027:  # Invalid Webhook Token: fall through to the channel
                    raise
        channel = self.interaction.channel
        if self.message is None or not isinstance(channel, discord.abc.Messageable):
            raise RuntimeError("the interaction expired and its message is unknown")
        await channel.get_partial_message(self.message.id).edit(**fields)  # type: ignore[attr-defined]

    async def send_rest(self, messages: list[list[dict]]) -> None:
        """Further messages of a long answer, as follow-ups (or channel posts once expired)."""
        for message in messages:
            embeds = to_embeds(message)
            if time.monotonic() - self.started < TOKEN_LIFETIME:
                await self.interaction.followup.send(embeds=embeds)
            elif isinstance(self.interaction.channel, discord.abc.Messageable):
                await self.interaction.channel.send(embeds=embeds)
