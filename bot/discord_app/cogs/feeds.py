"""/feeds add, list, entries and remove (adding and removing need the manage-server permission)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.polling import MIN_INTERVAL, follow_feed
from bot.present.feed_entries import entry_outcome
from bot.store.feeds import entries_of, get_feed, list_feeds, remove_feed

if TYPE_CHECKING:
    from bot.discord_app.client import ParallaxBot


class FeedsCog(commands.GroupCog, group_name="feeds",
               group_description="News feeds this server follows"):
    """The server's RSS and Atom feeds."""

    def __init__(self, bot: ParallaxBot) -> None:
        self.bot = bot
        super().__init__()

    @app_commands.command(name="add", description="Follow an RSS or Atom feed")
    @app_commands.describe(url="The feed's address", check="Also cross-check new articles' "
                           "claims (costs more)", interval="Minutes between polls (5 or more)")
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.checks.has_permissions(manage_guild=True)
    @app_commands.guild_only()
    async def add(self, interaction: discord.Interaction, url: str, check: bool = False,
                  interval: app_commands.Range[int, MIN_INTERVAL, 1440] = 15) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        feed, seen = await follow_feed(self.bot.app, str(interaction.guild_id), url, check,
                                       interval, self.bot.clock())
        await interaction.followup.send(
            f"Following feed {feed.id}: {feed.title or feed.url}. Its {seen} current entries "
            "are remembered and will not be posted; new ones go into the digests.",
            ephemeral=True)

    @app_commands.command(name="list", description="The feeds this server follows")
    @app_commands.guild_only()
    async def list_command(self, interaction: discord.Interaction) -> None:
        feeds = await self.bot.app.store.run(list_feeds, str(interaction.guild_id))
        embed = discord.Embed(title="Feeds")
        for feed in feeds[:25]:
            state = "⏸️ paused" if feed.state == "paused" else "▶️ active"
            lines = [f"{state} · every {feed.interval_minutes} min"
                     f"{' · claims checked' if feed.check_claims else ''}",
                     f"last success: {feed.last_success_at or 'never'}"]
            if feed.last_error:
                lines.append(f"last error: {feed.last_error[:300]}")
            embed.add_field(name=f"{feed.id} · {(feed.title or feed.url)[:200]}",
                            value="\n".join(lines)[:1024], inline=False)
        if not feeds:
            embed.description = "No feeds yet: /feeds add url"
        await interaction.response.send_message(embed=embed, ephemeral=True)

    @app_commands.command(name="entries",
                          description="What became of a feed's newest entries, and why")
    @app_commands.describe(feed_id="The feed's number, from /feeds list")
    @app_commands.guild_only()
    async def entries(self, interaction: discord.Interaction, feed_id: int) -> None:
        store = self.bot.app.store
        feed = await store.run(get_feed, feed_id)
        if feed is None or feed.guild_id != str(interaction.guild_id):
            await interaction.response.send_message(f"This server has no feed {feed_id}.",
                                                    ephemeral=True)
            return
        embed = discord.Embed(title=f"Feed {feed.id} · {(feed.title or feed.url)[:200]}")
        for entry in await store.run(entries_of, feed_id, 10):
            embed.add_field(name=f"{entry.status} · {(entry.title or '(no title)')[:200]}",
                            value=f"{entry.first_seen_at}\n{entry_outcome(entry)}"[:1024],
                            inline=False)
        if not embed.fields:
            embed.description = "No entries seen yet."
        await interaction.response.send_message(embed=embed, ephemeral=True)

    @app_commands.command(name="remove", description="Stop following a feed")
    @app_commands.describe(feed_id="The feed's number, from /feeds list")
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.checks.has_permissions(manage_guild=True)
    @app_commands.guild_only()
    async def remove(self, interaction: discord.Interaction, feed_id: int) -> None:
        removed = await self.bot.app.store.run(remove_feed, feed_id, str(interaction.guild_id))
        text = f"Feed {feed_id} removed." if removed else f"This server has no feed {feed_id}."
        await interaction.response.send_message(text, ephemeral=True)


async def setup(bot: ParallaxBot) -> None:
    """Add the cog."""
    await bot.add_cog(FeedsCog(bot))
