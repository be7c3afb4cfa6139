"""/settings languages and budget, /status and /help."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.languages import parse_languages
from bot.present.i18n import t
from bot.store.guilds import guild_settings, save_guild_settings, spent_today
from bot.store.reviews import pending_count

if TYPE_CHECKING:
    from bot.discord_app.client import ParallaxBot

HELP = (
    ("/check", "help_check"),
    ("/summarize", "help_summarize"),
    ("/review queue", "help_review_queue"),
    ("/review settings", "help_review_settings"),
    ("/settings languages", "help_settings_languages"),
    ("/settings budget", "help_settings_budget"),
    ("/status", "help_status"),
    ("/feeds add · list · entries · remove", "help_feeds"),
    ("/digest subscribe · list · preview · now · unsubscribe", "help_digest"),
)


class SettingsCog(commands.GroupCog, group_name="settings",
                  group_description="This server's Parallax settings"):
    """Server settings (manage-server permission)."""

    def __init__(self, bot: ParallaxBot) -> None:
        self.bot = bot
        super().__init__()

    @app_commands.command(name="languages", description="Default summary languages")
    @app_commands.describe(languages="Comma-separated codes, e.g. en,fr,de")
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.checks.has_permissions(manage_guild=True)
    @app_commands.guild_only()
    async def languages(self, interaction: discord.Interaction, languages: str) -> None:
        codes = parse_languages(languages)
        await self._update(interaction, languages=codes)
        await interaction.response.send_message(
            f"Summaries will be written in: {', '.join(codes)}.", ephemeral=True)

    @app_commands.command(name="budget", description="Daily cap on model spending, in US dollars")
    @app_commands.describe(dollars="The cap per day (UTC); 0 removes it")
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.checks.has_permissions(manage_guild=True)
    @app_commands.guild_only()
    async def budget(self, interaction: discord.Interaction,
                     dollars: app_commands.Range[float, 0.0, 10_000.0]) -> None:
        await self._update(interaction, daily_budget_usd=dollars or None)
        text = f"Daily budget: ${dollars:.2f}." if dollars else "No daily budget."
        await interaction.response.send_message(text, ephemeral=True)

    async def _update(self, interaction: discord.Interaction, **changes: object) -> None:
        store = self.bot.app.store
        current = await store.run(guild_settings, str(interaction.guild_id))
        await store.run(save_guild_settings, replace(current, **changes))  # type: ignore[arg-type]


class InfoCog(commands.Cog):
    """/status and /help, for everyone."""

    def __init__(self, bot: ParallaxBot) -> None:
        self.bot = bot

    @app_commands.command(name="status", description="Panel health, today's spending, queue")
    @app_commands.guild_only()
    async def status(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        app, guild_id = self.bot.app, str(interaction.guild_id)
        locale = interaction.locale.value
        health = await asyncio.gather(*(p.probe() for p in app.panel))
        spent = await app.store.run(spent_today, guild_id)
        waiting = await app.store.run(pending_count, guild_id)
        settings = await app.store.run(guild_settings, guild_id)
        embed = discord.Embed(title=t("status", locale))
        embed.add_field(name=t("panel", locale), inline=False, value="\n".join(
            f"{p.name} ({p.model}): {h}" for p, h in zip(app.panel, health, strict=True))[:1024])
        budget = (f" / ${settings.daily_budget_usd:.2f}" if settings.daily_budget_usd else "")
        embed.add_field(name=t("spent_today", locale), value=f"${spent:.4f}{budget}")
        embed.add_field(name=t("review_queue", locale), value=str(waiting))
        queue = getattr(self.bot.work, "queue", None)  # --gateway-only: the workers' queue
        if queue is not None:
            jobs = await queue.counts()
            embed.add_field(name="Jobs", inline=False, value=(
                f"{jobs.waiting} waiting · {jobs.running} in progress · {jobs.failed} failed · "
                f"{jobs.workers} worker(s)"))
        await interaction.followup.send(embed=embed, ephemeral=True)

    @app_commands.command(name="help", description="What each Parallax command does")
    async def help(self, interaction: discord.Interaction) -> None:
        locale = interaction.locale.value
        embed = discord.Embed(title="Parallax", description=t("help_intro", locale))
        for name, key in HELP:
            embed.add_field(name=name, value=t(key, locale), inline=False)
        await interaction.response.send_message(embed=embed, ephemeral=True)


async def setup(bot: ParallaxBot) -> None:
    """Add both cogs."""
    await bot.add_cog(SettingsCog(bot))
    await bot.add_cog(InfoCog(bot))
