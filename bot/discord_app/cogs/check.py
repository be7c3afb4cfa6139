"""/check and /summarize: one source in, the core's check, embeds out."""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.budget import ensure_budget
from bot.discord_app.cogs.review import post_cards
from bot.discord_app.messages import Answer, to_embeds
from bot.errors import InputError
from bot.ingest.language import SUPPORTED_LANGUAGES
from bot.jobs.interactions import CheckRequest
from bot.languages import parse_languages
from bot.pipeline import check_article, check_text
from bot.present.embeds import details_page, report_messages, summary_messages
from bot.present.i18n import locale_language, t
from bot.progress import PROGRESS_AFTER, PROGRESS_EVERY
from bot.records import Report
from bot.store.articles import load_check
from bot.store.guilds import guild_settings

if TYPE_CHECKING:
    from bot.discord_app.client import ParallaxBot

ATTACHMENT_TYPES = (".txt", ".md", ".markdown", ".html", ".htm")


def cooldown_key(interaction: discord.Interaction) -> tuple[int | None, int]:
    """Per member and server."""
    return (interaction.guild_id, interaction.user.id)


class DetailsButton(discord.ui.DynamicItem[discord.ui.Button],
                    template=r"parallax:details:(?P<check>[0-9a-f]{16})"):
    """Shows each model's rationale and evidence to whoever presses it, privately: the first
    page of the whole report, with Previous and Next when there are more."""

    def __init__(self, check_id: str, label: str = "Details") -> None:
        super().__init__(discord.ui.Button(label=label, style=discord.ButtonStyle.secondary,
                                           custom_id=f"parallax:details:{check_id}"))
        self.check_id = check_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button,
                             match: object, /) -> DetailsButton:
        return cls(match["check"])  # type: ignore[index]

    async def callback(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        locale = interaction.locale.value
        shown = await _details_page(interaction, self.check_id, 1)
        if shown is None:
            await interaction.followup.send(t("report_gone", locale), ephemeral=True)
            return
        embeds, page, pages = shown
        if pages > 1:
            await interaction.followup.send(embeds=embeds, ephemeral=True,
                                            view=details_view(self.check_id, page, pages, locale))
        else:
            await interaction.followup.send(embeds=embeds, ephemeral=True)


class DetailsPageButton(discord.ui.DynamicItem[discord.ui.Button],
                        template=r"parallax:details:(?P<check>[0-9a-f]{16}):(?P<page>\d{1,6})"):
    """Previous or Next on a Details page: shows page ``page`` in place. The report is read
    from the store at each press, so the buttons work after a restart."""

    def __init__(self, check_id: str, page: int, label: str = "", disabled: bool = False
                 ) -> None:
        super().__init__(discord.ui.Button(label=label or str(page), disabled=disabled,
                                           style=discord.ButtonStyle.secondary,
                                           custom_id=f"parallax:details:{check_id}:{page}"))
        self.check_id, self.page = check_id, page

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button,
                             match: object, /) -> DetailsPageButton:
        return cls(match["check"], int(match["page"]))  # type: ignore[index]

    async def callback(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer()  # the page is edited in place
        locale = interaction.locale.value
        shown = await _details_page(interaction, self.check_id, self.page)
        if shown is None:
            await interaction.edit_original_response(content=t("report_gone", locale),
                                                     embeds=[], view=None)
            return
        embeds, page, pages = shown
        await interaction.edit_original_response(
            embeds=embeds, view=details_view(self.check_id, page, pages, locale))


def details_view(check_id: str, page: int, pages: int, locale: str) -> discord.ui.View:
    """Previous and Next for page ``page`` of ``pages``; their custom ids carry the target."""
    view = discord.ui.View(timeout=None)
    view.add_item(DetailsPageButton(check_id, page - 1, f"◀ {t('previous', locale)}",
                                    disabled=page <= 1))
    view.add_item(DetailsPageButton(check_id, page + 1, f"{t('next', locale)} ▶",
                                    disabled=page >= pages))
    return view


async def _details_page(interaction: discord.Interaction, check_id: str, page: int
                        ) -> tuple[list[discord.Embed], int, int] | None:
    bot: ParallaxBot = interaction.client  # type: ignore[assignment]
    report = await bot.app.store.run(load_check, check_id, str(interaction.guild_id))
    if report is None:
        return None
    message, number, pages = details_page(report, interaction.locale.value, page)
    return to_embeds(message), number, pages


class CheckCog(commands.Cog):
    """Members check and summarize articles."""

    def __init__(self, bot: ParallaxBot) -> None:
        self.bot = bot

    @app_commands.command(name="check", description="Summarize an article and cross-check "
                          "its claims with several models")
    @app_commands.describe(url="Link to the article", text="The article's text",
                           file="The article as a .txt, .md or .html file",
                           languages="Summary languages, e.g. en,fr (default: the server's)")
    @app_commands.checks.cooldown(3, 60.0, key=cooldown_key)
    @app_commands.guild_only()
    async def check(self, interaction: discord.Interaction, url: str | None = None,
                    text: str | None = None, file: discord.Attachment | None = None,
                    languages: str | None = None) -> None:
        await self._run(interaction, url, text, file, languages, summaries_only=False)

    @app_commands.command(name="summarize", description="Summarize an article in your languages")
    @app_commands.describe(url="Link to the article", text="The article's text",
                           file="The article as a .txt, .md or .html file",
                           languages="Summary languages, e.g. en,fr (default: the server's)")
    @app_commands.checks.cooldown(3, 60.0, key=cooldown_key)
    @app_commands.guild_only()
    async def summarize(self, interaction: discord.Interaction, url: str | None = None,
                        text: str | None = None, file: discord.Attachment | None = None,
                        languages: str | None = None) -> None:
        await self._run(interaction, url, text, file, languages, summaries_only=True)

    @check.autocomplete("languages")
    @summarize.autocomplete("languages")
    async def languages_autocomplete(self, interaction: discord.Interaction,
                                     current: str) -> list[app_commands.Choice[str]]:
        """Complete the last code of a comma-separated list (at most 25 choices, no I/O)."""
        done, _, last = current.rpartition(",")
        prefix = f"{done}," if done else ""
        codes = sorted(c for c in SUPPORTED_LANGUAGES if c.startswith(last.strip().lower()))
        return [app_commands.Choice(name=prefix + c, value=prefix + c) for c in codes[:25]]

    async def _run(self, interaction: discord.Interaction, url: str | None, text: str | None,
                   file: discord.Attachment | None, languages: str | None,
                   summaries_only: bool) -> None:
        given = [v for v in (url, text, file) if v]
        if len(given) != 1:
            raise InputError("give exactly one source: url, text or file")
        if file is not None and not file.filename.lower().endswith(ATTACHMENT_TYPES):
            raise InputError("the file must be .txt, .md or .html")
        if file is not None and file.size > self.bot.app.limits.max_bytes:
            raise InputError(f"the file is too large: {file.size:,} bytes")
        await interaction.response.defer(thinking=True)  # Discord allows 3 s: defer first
        task = asyncio.current_task()
        if task is not None:
            self.bot.track(task)
        app, guild_id = self.bot.app, str(interaction.guild_id)
        settings = await app.store.run(guild_settings, guild_id)
        langs = parse_languages(languages) or settings.languages or (
            locale_language(interaction.locale.value),)
        if self.bot.work.queued:  # --gateway-only: a worker checks and answers
            guild_locale = interaction.guild.preferred_locale.value if interaction.guild else "en"
            await self.bot.work.check(interaction, CheckRequest(
                text or url or (file.url if file else ""), bool(text), list(langs),
                summaries_only, guild_locale))
            return
        answer = Answer(interaction)
        await answer.start()
        progress = _Progress(answer, interaction.locale.value)
        await ensure_budget(app, guild_id)
        if text:
            report = await check_text(text, app, langs, progress=progress, guild_id=guild_id)
        else:
            source = url or (file.url if file else "")
            report = await check_article(source, app, langs, progress=progress,
                                         guild_id=guild_id)
        await progress.stop()
        await self._answer(answer, report, langs, summaries_only)
        if not summaries_only and interaction.guild is not None:
            await post_cards(self.bot, report, interaction.guild, settings)

    async def _answer(self, answer: Answer, report: Report, langs: tuple[str, ...],
                      summaries_only: bool) -> None:
        locale = answer.interaction.locale.value
        builder = summary_messages if summaries_only else report_messages
        messages = builder(report, locale, langs)
        view = None
        if not summaries_only and report.claims:
            view = discord.ui.View(timeout=None)
            view.add_item(DetailsButton(report.check_id, t("details", locale)))
        await answer.edit(content=None, embeds=to_embeds(messages[0]), view=view)
        await answer.send_rest(messages[1:])


class _Progress:
    """Edits the deferred answer as stages finish, once a check takes more than a moment."""

    def __init__(self, answer: Answer, locale: str) -> None:
        self.answer, self.locale = answer, locale
        self.last = 0.0
        self.task: asyncio.Task[None] | None = None
        self.stopped = False

    def __call__(self, stage: str) -> None:
        now = time.monotonic()
        if (self.stopped or now - self.answer.started < PROGRESS_AFTER
                or now - self.last < PROGRESS_EVERY or (self.task and not self.task.done())):
            return
        self.last = now
        self.task = asyncio.ensure_future(self.answer.edit(content=f"⏳ {stage}…"))

    async def stop(self) -> None:
        """No more progress edits; wait for one in flight so it cannot land after the answer."""
        self.stopped = True
        if self.task is not None:
            await asyncio.gather(self.task, return_exceptions=True)


async def setup(bot: ParallaxBot) -> None:
    """Add the cog and its persistent Details and page buttons."""
    bot.add_dynamic_items(DetailsButton, DetailsPageButton)
    await bot.add_cog(CheckCog(bot))
