"""The command tree and its one error handler."""

from __future__ import annotations

import contextlib
import logging
import uuid

import discord
from discord import app_commands

from bot.errors import ParallaxError
from bot.redact import mask

log = logging.getLogger("parallax.discord")


class ParallaxTree(app_commands.CommandTree):
    """A user's mistake gets a private one-line answer; a bug gets an id that is logged."""

    async def on_error(self, interaction: discord.Interaction,
                       error: app_commands.AppCommandError) -> None:
        cause = error.original if isinstance(error, app_commands.CommandInvokeError) else error
        if isinstance(cause, app_commands.CommandOnCooldown):
            message = f"Slow down: try again in {cause.retry_after:.0f} s."
        elif isinstance(cause, app_commands.MissingPermissions | app_commands.CheckFailure):
            message = "You are not allowed to use this command here."
        elif isinstance(cause, ParallaxError):
            message = cause.reason
        elif isinstance(cause, PermissionError):
            message = str(cause)
        else:
            error_id = uuid.uuid4().hex[:8]
            log.error("error %s in /%s", error_id,
                      interaction.command.qualified_name if interaction.command else "?",
                      exc_info=cause)
            message = f"Something went wrong on our side (error id {error_id})."
        await answer_privately(interaction, message)


async def answer_privately(interaction: discord.Interaction, message: str) -> None:
    """An ephemeral one-line answer, whatever state the interaction is in."""
    message = mask(message)  # some answers are an exception's own text
    try:
        if not interaction.response.is_done():
            await interaction.response.send_message(message, ephemeral=True)
            return
        # A public "thinking…" placeholder would stay forever: remove it first.
        if interaction.response.type is discord.InteractionResponseType.deferred_channel_message:
            with contextlib.suppress(discord.HTTPException):
                await interaction.delete_original_response()
        await interaction.followup.send(message, ephemeral=True)
    except discord.HTTPException:
        log.warning("could not tell the user: %s", message)
