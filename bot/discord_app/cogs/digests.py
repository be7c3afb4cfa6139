"""/digest subscribe, list, unsubscribe, preview and now."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.digest import preview, run_digest, subscribe_channel
from bot.discord_app.messages import to_embeds
from bot.errors import InputError
from bot.languages import parse_languages
from bot.present.digest_embeds import digest_messages
from bot.records import Subscription
from bot.store.digests import get_subscription, list_subscriptions, remove_subscription

if TYPE_CHECKING:
    from bot.discord_app.client import ParallaxBot


class DigestCog(commands.GroupCog, group_name="digest",
                group_description="Scheduled digests of new articles"):
    """Channel subscriptions to the server's digest."""

    def __init__(self, bot: ParallaxBot) -> None:
        self.bot = bot
        super().__init__()

    @app_commands.command(name="subscribe", description="Post a digest to a channel on a "
                          "schedule")
    @app_commands.describe(channel="Where to post", schedule="hourly, daily@HH:MM or "
                           "weekly@mon@HH:MM", languages="Summary languages, e.g. en,fr",
                           timezone="IANA timezone, e.g. Europe/Paris (default UTC)")
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.checks.has_permissions(manage_guild=True)
    @app_commands.guild_only()
    async def subscribe_command(self, interaction: discord.Interaction,
                                channel: discord.TextChannel, schedule: str,
                                languages: str | None = None, timezone: str = "UTC") -> None:
        sub, created = await subscribe_channel(
            self.bot.app, str(interaction.guild_id), str(channel.id), schedule, timezone,
            parse_languages(languages), self.bot.clock())
        if self.bot.scheduler is not None:
            await self.bot.scheduler.sync()
        # One subscription per channel: subscribing it again changes that one, and says so.
        what = "" if created else " updated (the channel was already subscribed)"
        await interaction.response.send_message(
            f"Subscription {sub.id}{what}: {channel.mention} gets a digest {sub.schedule} "
            f"({sub.timezone}) in {', '.join(sub.languages)}.", ephemeral=True)

    @app_commands.command(name="list", description="This server's digest subscriptions")
    @app_commands.guild_only()
    async def list_command(self, interaction: discord.Interaction) -> None:
        subs = await self.bot.app.store.run(list_subscriptions, str(interaction.guild_id))
        lines = [f"{s.id} · <#{s.channel_id}> · {s.schedule} {s.timezone} · "
                 f"{','.join(s.languages)}"
                 + ("" if s.enabled else f" · ⛔ disabled: {s.disabled_reason}") for s in subs]
        await interaction.response.send_message(
            "\n".join(lines)[:1900] or "No subscriptions yet: /digest subscribe", ephemeral=True)

    @app_commands.command(name="unsubscribe", description="Stop a channel's digest")
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.checks.has_permissions(manage_guild=True)
    @app_commands.guild_only()
    async def unsubscribe(self, interaction: discord.Interaction, subscription_id: int) -> None:
        removed = await self.bot.app.store.run(remove_subscription, subscription_id,
                                               str(interaction.guild_id))
        if removed and self.bot.scheduler is not None:
            await self.bot.scheduler.sync()
        text = (f"Subscription {subscription_id} removed." if removed
                else f"This server has no subscription {subscription_id}.")
        await interaction.response.send_message(text, ephemeral=True)

    @app_commands.command(name="preview", description="What the next digest would be "
                          "(shown only to you)")
    @app_commands.guild_only()
    async def preview_command(self, interaction: discord.Interaction,
                              subscription_id: int) -> None:
        sub = await self._subscription(interaction, subscription_id)
        digest = await preview(self.bot.app, sub, self.bot.clock())
        messages = digest_messages(digest, sub.languages[0] if sub.languages else "en")
        await interaction.response.send_message(embeds=to_embeds(messages[0]), ephemeral=True)

    @app_commands.command(name="now", description="Post a digest of what is new, now")
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.checks.has_permissions(manage_guild=True)
    @app_commands.guild_only()
    async def now(self, interaction: discord.Interaction, subscription_id: int) -> None:
        sub = await self._subscription(interaction, subscription_id)
        if self.bot.scheduler is None:
            raise InputError("digests are not running in this bot")
        await interaction.response.defer(ephemeral=True, thinking=True)
        outcome = await run_digest(self.bot.app, self.bot.scheduler.poster, sub,
                                   self.bot.clock(), manual=True)
        text = {"posted": f"Posted a digest of {outcome.articles} article(s).",
                "empty": "Nothing new since the last digest: nothing posted.",
                "skipped": "A digest for this moment is already being posted."}.get(
                    outcome.status, f"Not posted ({outcome.status}): {outcome.error or ''}")
        await interaction.followup.send(text, ephemeral=True)

    async def _subscription(self, interaction: discord.Interaction,
                            sub_id: int) -> Subscription:
        sub = await self.bot.app.store.run(get_subscription, sub_id)
        if sub is None or sub.guild_id != str(interaction.guild_id):
            raise InputError(f"this server has no subscription {sub_id}")
        return sub


async def setup(bot: ParallaxBot) -> None:
    """Add the cog."""
    await bot.add_cog(DigestCog(bot))
