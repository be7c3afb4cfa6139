"""Sending what the core rendered: embed dicts to discord.py objects, long answers split."""

from __future__ import annotations

import time

import discord

from bot.present.limits import validate_message

# Interaction tokens live 15 minutes; past 14, edit through the channel instead.
TOKEN_LIFETIME = 14 * 60
INVALID_WEBHOOK_TOKEN = 50027


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
        self.expired = False  # Discord said the token is no longer valid

    @property
    def fresh(self) -> bool:
        """Whether the interaction token can still be used."""
        return not self.expired and time.monotonic() - self.started < TOKEN_LIFETIME

    async def start(self) -> None:
        """Learn the deferred message's id: past the token's life it is edited by id."""
        self.message = await self.interaction.original_response()

    async def edit(self, **fields: object) -> None:
        """Edit the original answer; through the channel once the token is too old."""
        if self.fresh:
            try:
                await self.interaction.edit_original_response(**fields)
                return
            except discord.HTTPException as exc:
                if exc.code != INVALID_WEBHOOK_TOKEN:
                    raise
                self.expired = True
        channel = self.interaction.channel
        if self.message is None or not isinstance(channel, discord.abc.Messageable):
            raise RuntimeError("the interaction expired and its message is unknown")
        partial = channel.get_partial_message(self.message.id)  # type: ignore[attr-defined]
        await partial.edit(**fields)

    async def send_rest(self, messages: list[list[dict]]) -> None:
        """Further messages of a long answer, as follow-ups (or channel posts once expired)."""
        for message in messages:
            embeds = to_embeds(message)
            if self.fresh:
                try:
                    await self.interaction.followup.send(embeds=embeds)
                    continue
                except discord.HTTPException as exc:
                    if exc.code != INVALID_WEBHOOK_TOKEN:
                        raise
                    self.expired = True
            if isinstance(self.interaction.channel, discord.abc.Messageable):
                await self.interaction.channel.send(embeds=embeds)
