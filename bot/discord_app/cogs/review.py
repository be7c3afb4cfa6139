"""The moderators' queue: cards for flagged claims, their buttons, /review queue and settings."""

from __future__ import annotations

import asyncio
import logging
import re
import secrets
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord_app.messages import to_embeds
from bot.discord_app.tree import answer_privately
from bot.moderation import (
    Member,
    can_moderate,
    card_posted,
    claim_cards,
    decide,
    injection_warning,
    queue,
)
from bot.present.claim_marks import review_decision
from bot.present.i18n import t
from bot.present.limits import http_url
from bot.present.review_cards import review_card
from bot.records import ClaimResult, Consensus, GuildSettings, Report, Review, ReviewAction
from bot.store.articles import latest_review, load_check
from bot.store.guilds import guild_settings, save_guild_settings
from bot.store.reviews import claim_card

if TYPE_CHECKING:
    from bot.discord_app.client import ParallaxBot

log = logging.getLogger("parallax.discord")
ORPHAN_FORM_GRACE = 0.5  # seconds
BUTTONS = (
    (ReviewAction.ACCURATE, "accurate", discord.ButtonStyle.success),
    (ReviewAction.INACCURATE, "inaccurate", discord.ButtonStyle.danger),
    (ReviewAction.NEEDS_CONTEXT, "needs_context", discord.ButtonStyle.primary),
    (ReviewAction.DISMISS, "dismiss", discord.ButtonStyle.secondary),
    (ReviewAction.NOTE, "add_note", discord.ButtonStyle.secondary),
)


def member_of(interaction: discord.Interaction) -> Member:
    """The core's view of who pressed: permissions from the interaction, roles by id."""
    user, guild = interaction.user, interaction.guild
    perms = interaction.permissions
    roles = (frozenset(str(r.id) for r in user.roles) if isinstance(user, discord.Member)
             else frozenset())
    return Member(str(user.id), is_owner=bool(guild and guild.owner_id == user.id),
                  administrator=perms.administrator, manage_messages=perms.manage_messages,
                  role_ids=roles, in_guild=str(guild.id) if guild else None)


def card_embed(result: ClaimResult, report: Report, reason: str, review: Review | None,
               locale: str) -> discord.Embed:
    """The card of one claim as a discord.py embed."""
    decision = None if review is None else review_decision(review)
    card = review_card(result, report.article.title, report.article.canonical_url, reason,
                       injection_warning(report), decision, locale)
    return to_embeds([card])[0]


def card_view(claim_id: str, locale: str) -> discord.ui.View:
    """The five buttons of a card; their custom ids carry the claim id."""
    view = discord.ui.View(timeout=None)
    for action, key, style in BUTTONS:
        view.add_item(ReviewButton(action, claim_id, t(key, locale), style))
    return view


async def post_cards(bot: ParallaxBot, report: Report, guild: discord.Guild,
                     settings: GuildSettings) -> int:
    """Post a card for each newly flagged claim to the moderators' channel; how many."""
    if settings.mod_channel_id is None:
        return 0
    channel = guild.get_channel(int(settings.mod_channel_id))
    if not isinstance(channel, discord.TextChannel):
        log.warning("guild %s: moderators' channel %s not found", guild.id,
                    settings.mod_channel_id)
        return 0
    locale = guild.preferred_locale.value
    posted = 0
    for result, reason in await claim_cards(bot.app, report, str(guild.id), str(channel.id)):
        message = await channel.send(embed=card_embed(result, report, reason, None, locale),
                                     view=card_view(result.claim.id, locale))
        await card_posted(bot.app, result.claim.id, str(guild.id), str(message.id))
        posted += 1
    return posted


async def refreshed_card(bot: ParallaxBot, claim_id: str, guild_id: str,
                         locale: str) -> discord.Embed | None:
    """The card of a claim as it stands now (with its latest decision)."""
    report = await bot.app.store.run(load_check, claim_id.rsplit("-", 1)[0], guild_id)
    card = await bot.app.store.run(claim_card, claim_id, guild_id)
    if report is None:
        return None
    result = next((r for r in report.claims if r.claim.id == claim_id), None)
    if result is None:
        return None
    review = await bot.app.store.run(latest_review, claim_id, guild_id)
    reason = card["reason"] if card else ""
    return card_embed(result, report, reason, review, locale)


class ReviewButton(discord.ui.DynamicItem[discord.ui.Button],
                   template=r"parallax:review:(?P<action>[a-z-]+):(?P<claim>[0-9a-f]{16}-\d+)"):
    """One decision on one claim; state lives in the database, keyed by the custom id."""

    def __init__(self, action: ReviewAction, claim_id: str, label: str = "",
                 style: discord.ButtonStyle = discord.ButtonStyle.secondary) -> None:
        super().__init__(discord.ui.Button(
            label=label or action.value, style=style,
            custom_id=f"parallax:review:{action.value}:{claim_id}"))
        self.action, self.claim_id = action, claim_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button,
                             match: object, /) -> ReviewButton:
        return cls(ReviewAction(match["action"]), match["claim"])  # type: ignore[index]

    async def callback(self, interaction: discord.Interaction) -> None:
        bot: ParallaxBot = interaction.client  # type: ignore[assignment]
        member, guild_id = member_of(interaction), str(interaction.guild_id)
        settings = await bot.app.store.run(guild_settings, guild_id)
        if not can_moderate(member, settings):  # checked here, not only by command defaults
            await interaction.response.send_message(t("not_moderator", interaction.locale.value),
                                                    ephemeral=True)
            return
        if self.action is ReviewAction.NOTE:
            await interaction.response.send_modal(NoteModal(self.claim_id))
            return
        await decide(bot.app, self.claim_id, guild_id, member, self.action)
        await update_card(interaction, self.claim_id)


class NoteModal(discord.ui.Modal):
    """A moderator's note on a claim."""

    note: discord.ui.TextInput[NoteModal] = discord.ui.TextInput(
        label="Note", style=discord.TextStyle.paragraph, max_length=1000)

    def __init__(self, claim_id: str) -> None:
        # One id per open form: discord.py keeps one form per id, so two moderators writing
        # notes on one card at once would otherwise lose one of them.
        super().__init__(title="Add a note",
                         custom_id=f"parallax:note:{claim_id}:{secrets.token_hex(4)}")
        self.claim_id = claim_id

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await submit_note(interaction, self.claim_id, self.note.value)


_NOTE_FORM = re.compile(r"parallax:note:(?P<claim>[0-9a-f]{16}-\d+):[0-9a-f]{8}")


async def submit_note(interaction: discord.Interaction, claim_id: str, note: str) -> None:
    """Record a moderator's note and show it on the card; refuse one who may not moderate."""
    bot: ParallaxBot = interaction.client  # type: ignore[assignment]
    try:
        await decide(bot.app, claim_id, str(interaction.guild_id), member_of(interaction),
                     ReviewAction.NOTE, note)
    except PermissionError:  # lost the role since opening the form, or not in a server
        await answer_privately(interaction, t("not_moderator", interaction.locale.value))
        return
    await update_card(interaction, claim_id)


def submitted_text(data: dict) -> str | None:
    """The value of the first text input of a submitted form (in action rows or labels)."""
    stack = list(reversed(data.get("components") or []))
    while stack:
        component = stack.pop()
        if component.get("type") == discord.ComponentType.text_input.value:
            return str(component.get("value") or "")
        stack += reversed(component.get("components") or [])
        if component.get("component"):
            stack.append(component["component"])
    return None


async def update_card(interaction: discord.Interaction, claim_id: str) -> None:
    """Show the decision on the card that was pressed (a fresh token: no expiry problem)."""
    bot: ParallaxBot = interaction.client  # type: ignore[assignment]
    embed = await refreshed_card(bot, claim_id, str(interaction.guild_id),
                                 interaction.locale.value)
    if embed is None:
        await interaction.response.send_message("Recorded.", ephemeral=True)
    else:
        await interaction.response.edit_message(embed=embed)


class ReviewCog(commands.GroupCog, group_name="review",
                group_description="The moderators' review queue"):
    """/review queue and /review settings."""

    def __init__(self, bot: ParallaxBot) -> None:
        self.bot = bot
        super().__init__()

    @commands.Cog.listener()
    async def on_interaction(self, interaction: discord.Interaction) -> None:
        """A note form this process does not hold (open across a restart, or sent again) is
        read from the submission itself: the claim is in its id, the note in its field, and
        the sender's right to moderate is checked as for any note. What cannot be read gets a
        private answer instead of Discord's "interaction failed"."""
        data = interaction.data or {}
        custom_id = str(data.get("custom_id", ""))
        if (interaction.type is not discord.InteractionType.modal_submit
                or not custom_id.startswith("parallax:note:")):
            return
        await asyncio.sleep(ORPHAN_FORM_GRACE)  # let the form's own handler answer first
        if interaction.response.is_done():
            return
        form, note = _NOTE_FORM.fullmatch(custom_id), submitted_text(dict(data))
        if form is None or not note:
            await answer_privately(interaction, t("form_expired", interaction.locale.value))
            return
        await submit_note(interaction, form["claim"], note[:1000])

    @app_commands.command(name="queue", description="Flagged claims awaiting a decision")
    @app_commands.describe(page="Page of the queue, from 1")
    @app_commands.default_permissions(manage_messages=True)
    @app_commands.guild_only()
    async def queue_command(self, interaction: discord.Interaction,
                            page: app_commands.Range[int, 1, 1000] = 1) -> None:
        settings = await self.bot.app.store.run(guild_settings, str(interaction.guild_id))
        if not can_moderate(member_of(interaction), settings):
            raise PermissionError(t("not_moderator", interaction.locale.value))
        rows = await queue(self.bot.app, str(interaction.guild_id), page - 1)
        embed = discord.Embed(title=f"{t('review_queue', interaction.locale.value)} · {page}")
        for row in rows:
            link = (f"https://discord.com/channels/{interaction.guild_id}/{row['channel_id']}/"
                    f"{row['message_id']}" if row["message_id"] else "")
            embed.add_field(name=(row["title"] or http_url(row["source"]) or "—")[:250],
                            value=f"{row['text'][:700]}\n{row['consensus']} · {link}"[:1024],
                            inline=False)
        if not rows:
            embed.description = t("queue_empty", interaction.locale.value)
        await interaction.response.send_message(embed=embed, ephemeral=True)

    @app_commands.command(name="settings", description="Where and what the queue shows")
    @app_commands.describe(channel="The moderators' channel", role="The moderators' role",
                           abstained="Also flag claims the panel declined to judge",
                           refuted="Flag claims the panel agrees are false",
                           misleading="Flag claims the panel agrees are misleading")
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.checks.has_permissions(manage_guild=True)
    @app_commands.guild_only()
    async def settings_command(self, interaction: discord.Interaction,
                               channel: discord.TextChannel, role: discord.Role | None = None,
                               abstained: bool = False, refuted: bool = True,
                               misleading: bool = True) -> None:
        store = self.bot.app.store
        current = await store.run(guild_settings, str(interaction.guild_id))
        flags = {c for c, on in ((Consensus.ABSTAINED, abstained),
                                 (Consensus.AGREED_REFUTED, refuted),
                                 (Consensus.AGREED_MISLEADING, misleading)) if on}
        updated = GuildSettings(current.guild_id, current.languages, str(channel.id),
                                str(role.id) if role else None, frozenset(flags),
                                current.daily_budget_usd)
        await store.run(save_guild_settings, updated)
        shown = ", ".join(sorted(["disputed", *(f.value for f in flags)]))
        await interaction.response.send_message(
            f"Flagged claims go to {channel.mention}; flagged: {shown}.", ephemeral=True)


async def setup(bot: ParallaxBot) -> None:
    """Add the cog; register the card buttons so old cards work after a restart."""
    bot.add_dynamic_items(ReviewButton)
    await bot.add_cog(ReviewCog(bot))
