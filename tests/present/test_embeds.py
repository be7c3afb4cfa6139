"""The Discord embed builder against every platform limit, with long multilingual input."""

from __future__ import annotations

import itertools
import re
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.present.claim_marks import decision_text
from bot.present.embeds import details_embeds, details_page, report_messages, summary_messages
from bot.present.limits import (
    AUTHOR_LIMIT,
    DESCRIPTION_LIMIT,
    EMBEDS_LIMIT,
    FIELD_NAME_LIMIT,
    FIELD_VALUE_LIMIT,
    FIELDS_LIMIT,
    FOOTER_LIMIT,
    TITLE_LIMIT,
    TOTAL_LIMIT,
    clip,
    embed_chars,
    escape_markdown,
    pack_messages,
    split_text,
    validate_message,
)
from bot.present.review_cards import review_card
from bot.records import (
    Article,
    Claim,
    ClaimResult,
    Consensus,
    Evidence,
    Language,
    MemberStatus,
    PanelMember,
    Report,
    Review,
    ReviewAction,
    Summary,
    Usage,
    Verdict,
    Vote,
)

S, R, M, U, E = (Verdict.SUPPORTED, Verdict.REFUTED, Verdict.MISLEADING, Verdict.UNCERTAIN,
                 Verdict.ERROR)
MODELS = ("sonnet", "llama", "gpt")
# Scripts, emoji sequences, astral and combining characters: what a split must not mangle.
SNIPPETS = ("Le gouvernement a annoncé une hausse de 2,5 % du budget.",
            "Die Bundesregierung hat 1,2 Milliarden Euro bewilligt.",
            "El gobierno anunció 300 nuevas escuelas en 2024.",
            "東京都の人口は約1400万人で、前年より増えた。",
            "أعلنت الحكومة عن زيادة الميزانية بنسبة خمسة في المئة.",
            "👨‍👩‍👧‍👦 🇫🇷🇩🇪 👍🏽 ❤️", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝟙𝟚𝟛 🀄", "e\u0301te\u0301 a\u0308",
            "Здание построено в 1887 году.", "इस साल 12 नए अस्पताल खुले।")


def prose(chars: int, seed: int = 0, tag: str = "") -> str:
    """Multilingual text of about ``chars`` characters, different for each seed."""
    out = [tag] if tag else []
    for snippet in itertools.islice(itertools.cycle(SNIPPETS), seed, None):
        if sum(len(p) + 1 for p in out) >= chars:
            break
        out.append(snippet)
    return " ".join(out)


def make_report(claims: int = 3, claim_chars: int = 120, summary_chars: int = 400,
                languages: tuple[str, ...] = ("en",), title: str = "A title",
                models: tuple[str, ...] = MODELS, verdicts: list[tuple[Verdict, ...]] | None = None,
                consensus: list[Consensus] | None = None, warnings: tuple[str, ...] = (),
                rationale_chars: int = 80, translations: tuple[str, ...] = ()) -> Report:
    """A Report built directly from records, as big as a test needs."""
    article = Article("a1b2c3d4e5f60718", "f" * 64, "x" * 5000, title, Language("fr", 0.98),
                      "https://news.example/article", canonical_url="https://news.example/a")
    summaries = {lang: Summary(lang, prose(summary_chars, i, f"<{lang}>"), "sonnet")
                 for i, lang in enumerate(languages)}
    results = []
    for i in range(claims):
        text = prose(claim_chars, i, f"claim-{i:02d}:")
        claim = Claim(f"c{i}", i, text, text if i % 2 else prose(claim_chars, i + 3, "«quote»"),
                      {lang: f"[{lang}] {text}" for lang in translations})
        cast = verdicts[i] if verdicts else (S, R, U, M, E)[i % 5:] + (S, R, U, M, E)[:i % 5]
        votes = tuple(Vote(claim.id, m, cast[j % len(cast)], 0.8,
                           prose(rationale_chars, i + j, f"why-{i}-{j}"),
                           (Evidence("https://ev.example/x_y", "Source", "quoted"),))
                      for j, m in enumerate(models))
        c = consensus[i] if consensus else list(Consensus)[i % len(Consensus)]
        results.append(ClaimResult(claim, votes, c, c is Consensus.DISPUTED))
    panel = tuple(PanelMember(m, "openai", m, MemberStatus.OK, 500, Usage(1000, 100))
                  for m in models)
    return Report(article, summaries, tuple(results), panel, warnings, "chk-1", 2)


def embeds_of(messages: list[list[dict]]) -> list[dict]:
    return [e for message in messages for e in message]


def stream(messages: list[list[dict]]) -> str:
    """Every description and field value, in order, unescaped and without whitespace."""
    parts = []
    for e in embeds_of(messages):
        parts.append(e.get("description", ""))
        parts += [f["value"] for f in e.get("fields", [])]
    return norm("".join(parts))


def norm(text: str) -> str:
    return "".join(re.sub(r"\\([\\*_~`|\[\]<>#])", r"\1", text).split())


def assert_valid(messages: list[list[dict]]) -> None:
    assert messages
    for message in messages:
        assert validate_message(message) == []
        assert len(message) <= EMBEDS_LIMIT
        assert sum(embed_chars(e) for e in message) <= TOTAL_LIMIT
        for e in message:  # belt and braces: the limits one by one, not only via validate
            assert len(e.get("title", "")) <= TITLE_LIMIT
            assert len(e.get("description", "")) <= DESCRIPTION_LIMIT
            assert len(e.get("fields", [])) <= FIELDS_LIMIT
            assert len(e.get("footer", {}).get("text", "")) <= FOOTER_LIMIT
            assert len(e.get("author", {}).get("name", "")) <= AUTHOR_LIMIT
            for f in e.get("fields", []):
                assert 0 < len(f["name"]) <= FIELD_NAME_LIMIT
                assert 0 < len(f["value"]) <= FIELD_VALUE_LIMIT


def assert_in_order(haystack: str, needles: list[str]) -> None:
    at = 0
    for needle in needles:
        found = haystack.find(norm(needle), at)
        assert found >= 0, f"lost or out of order: {needle[:60]!r}"
        at = found + len(norm(needle))


@pytest.fixture(scope="module")
def huge() -> Report:
    return make_report(claims=50, claim_chars=900, summary_chars=10_000,
                       languages=("en", "fr", "de", "es", "ja"), title=prose(1000, 2),
                       warnings=("offline mode: x", prose(3000, 1)), rationale_chars=900)


def test_huge_report_fits_every_limit_and_loses_nothing(huge: Report):
    messages = report_messages(huge, "en", cost=0.5)
    assert_valid(messages)
    text = stream(messages)
    assert_in_order(text, [s.text for s in huge.summaries.values()])
    assert_in_order(text, [r.claim.text for r in huge.claims])
    first = messages[0][0]
    assert first["title"].endswith("…") and len(first["title"]) == TITLE_LIMIT
    assert first["url"] == "https://news.example/a"


def test_every_claim_shows_one_mark_per_model_in_panel_order(huge: Report):
    text = stream(report_messages(huge))
    marks = {S: "✅", R: "❌", M: "⚠️", U: "❔", E: "💥"}
    assert_in_order(text, [r.claim.text + "·".join(
        f"{marks[v.verdict]}{v.model}" for v in r.votes) for r in huge.claims
        if r.claim.quote == r.claim.text])


def test_counts_header_and_flags():
    consensus = [Consensus.AGREED_SUPPORTED, Consensus.AGREED_REFUTED, Consensus.DISPUTED,
                 Consensus.DISPUTED, Consensus.ABSTAINED, Consensus.AGREED_MISLEADING,
                 Consensus.INSUFFICIENT]
    report = make_report(claims=7, consensus=consensus)
    header = report_messages(report)[0][0]["description"]
    assert ("**Claims** 7 · ✅ Agreed 3 · ⚖️ Disputed 2 · ❔ Abstained 1 · "
            "💥 Not enough answers 1") in header
    assert "🚩 2 flagged for moderators" in header
    assert header.count("\n") >= 2 and "Français (fr, 98%)" in header
    fields = [f for e in embeds_of(report_messages(report)) for f in e.get("fields", [])]
    assert fields[2]["name"] == "#3 · ⚖️ Disputed · 🚩"
    assert fields[0]["name"] == "#1 · ✅ Agreed: supported"
    assert report_messages(report)[0][0]["color"] == 0xE74C3C  # a refuted claim: red


def test_footer_has_panel_tokens_cost_and_quorum():
    report = make_report()
    footer = embeds_of(report_messages(report, cost=0.0123))[-1]["footer"]["text"]
    assert footer == ("Panel: sonnet, llama, gpt · 3,300 tokens · cost ≈ $0.0123 · quorum 2 · "
                      "check chk-1")


def test_french_headings_and_translated_claims():
    report = make_report(languages=("fr",), translations=("fr",))
    embeds = embeds_of(report_messages(report, "fr"))
    titles = [e.get("title", "") for e in embeds]
    assert "Résumé · Français (fr)" in titles and "Affirmations" in titles
    assert "Accord" in embeds[0]["description"] and "Contesté" in embeds[0]["description"]
    assert_in_order(stream([embeds]), [f"[fr] {r.claim.text}" for r in report.claims])
    assert "jetons" in embeds[-1]["footer"]["text"]


def test_discord_locale_picks_translation_by_language():
    report = make_report(translations=("es", "zh-Hant"))
    assert "[es]" in stream(report_messages(report, "es-419"))
    assert "[zh-Hant]" in stream(report_messages(report, "zh-TW"))
    assert "[es]" not in stream(report_messages(report, "en-US"))


def test_warnings_offline_and_missing_summaries():
    report = make_report(warnings=("offline mode: no verifier", "@everyone"))
    note = "offline mode cannot translate: the summary exists only in 'fr'"
    report = replace(report, summaries={"fr": Summary("fr", "", "offline", note)})
    embeds = embeds_of(summary_messages(report, "de", languages=("fr", "ja")))
    text = "\n".join(e.get("description", "") for e in embeds)
    assert "Offline-Modus" in text and "nur in Français" in text
    assert "Keine Zusammenfassung in dieser Sprache." in text  # ja was asked for, not made
    assert not any(e.get("fields") for e in embeds)  # summaries only: no claims


def test_untrusted_markdown_and_mentions_are_escaped():
    report = make_report(claims=1, verdicts=[(S,)])
    text = "<@&123> [click](https://evil.example) **bold** # heading @everyone"
    claim = Claim("c0", 0, text, text)
    report = Report(report.article, {}, (ClaimResult(claim, (), Consensus.INSUFFICIENT, False),),
                    report.panel)
    value = embeds_of(report_messages(report))[-1]["fields"][0]["value"]
    assert not re.search(r"(?<!\\)[<\[\]*#]", value)  # nothing unescaped: no mention, link
    assert escape_markdown(text) in value
    assert "➖ not checked" in value


def test_single_huge_claim_and_many_long_model_names():
    models = tuple(f"model-{i}-" + "n" * 300 for i in range(30))
    report = make_report(claims=2, claim_chars=20_000, models=models, rationale_chars=2000)
    messages = report_messages(report)
    assert_valid(messages)
    assert_in_order(stream(messages), [r.claim.text for r in report.claims])
    assert_valid(details_embeds(report))


def test_empty_report():
    report = make_report(claims=0, languages=(), title="")
    for messages in (report_messages(report), summary_messages(report), details_embeds(report)):
        assert_valid(messages)
    assert norm("No check-worthy claims found.") in stream(report_messages(report))


def test_details_within_limits_and_complete(huge: Report):
    messages = details_embeds(huge, "ja")
    assert_valid(messages)
    text = stream(messages)
    assert_in_order(text, [v.rationale for r in huge.claims for v in r.votes])
    assert "確信度" in embeds_of(messages)[0]["fields"][0]["name"]


def test_review_card_within_limits_whatever_the_input():
    models = tuple(f"m{i}" + "x" * 300 for i in range(30))
    report = make_report(claims=1, claim_chars=8000, models=models, rationale_chars=3000)
    decision = {"action": "accurate", "moderator_id": 123, "note": prose(3000),
                "decided_at": "2026-03-01T12:00:00+00:00"}
    card = review_card(report.claims[0], prose(1000), "https://news.example/a", prose(3000),
                       prose(5000), decision, "en")
    assert validate_message([card]) == []
    names = [f["name"] for f in card["fields"]]
    assert "Reason flagged" in names and "⚠️ Prompt-injection warning" in names
    assert card["fields"][-1]["value"].startswith("Accurate — by <@123> at <t:1772366400:f>: ")
    assert len(card["fields"]) <= FIELDS_LIMIT and card["color"] == 0x2ECC71


def test_review_card_small_shows_everything():
    report = make_report(claims=1, verdicts=[(S, R, E)])
    card = review_card(report.claims[0], "Title", None, "disputed", None, None, "fr")
    assert "url" not in card and card["title"] == "Title"
    assert [f["name"][:1] for f in card["fields"]] == ["✅", "❌", "💥", "M"]
    assert card["fields"][0]["value"].startswith("why-0-0")
    assert report.claims[0].claim.text in card["description"].replace("\\", "")
    assert validate_message([card]) == []


@pytest.mark.parametrize(("decision", "expected"), [
    ({"action": "needs-context", "moderator_id": "42", "decided_at": 1700000000},
     "Needs context — by <@42> at <t:1700000000:f>"),
    ({"action": "dismiss", "moderator_id": 7, "note": "dup"}, "Dismiss — by <@7>: dup"),
    ({"action": "inaccurate", "moderator_id": 1, "decided_at": "yesterday"},
     "Inaccurate — by <@1> at yesterday"),
])
def test_decision_text(decision, expected):
    assert decision_text(decision, "en") == expected


def test_decisions_appear_in_reports():
    report = make_report(claims=2)
    messages = report_messages(report, decisions={"c1": {"action": "accurate",
                                                         "moderator_id": 9}})
    assert "🛡️ Moderators: Accurate — by <@9>" in embeds_of(messages)[-1]["fields"][1]["value"]


def test_reviews_in_the_report_appear_without_decisions():
    report = make_report(claims=2)
    review = Review("c1", "g1", "77", ReviewAction.ACCURATE, "checked the source",
                    "2024-05-01T12:00:00+00:00")
    reviewed = replace(report, claims=(report.claims[0], replace(report.claims[1], review=review)))
    fields = embeds_of(report_messages(reviewed, "fr"))[-1]["fields"]
    assert "🛡️" not in fields[0]["value"]
    assert ("🛡️ Modérateurs: Exact — par <@77> le <t:1714564800:f>: checked the source"
            in fields[1]["value"])
    # An explicit mapping still wins, even an empty one.
    assert "<@77>" not in stream(report_messages(reviewed, decisions={}))


def test_validate_message_reports_every_violation():
    field = {"name": "n" * 257, "value": "v" * 1025}
    bad = {"title": "t" * 257, "description": "d" * 4097, "fields": [field] * 26,
           "footer": {"text": "f" * 2049}, "author": {"name": "a" * 257}, "url": "javascript:x"}
    problems = validate_message([bad] * 11, content="c" * 2001)
    for word in ("content", "11 embeds", "title", "description", "26 fields", "name 257",
                 "value 1025", "footer", "author", "url", "characters in the message"):
        assert any(word in p for p in problems), word
    assert validate_message([{"fields": [{"name": " ", "value": ""}]}]) != []
    assert validate_message([{}]) == ["embed 0: empty"]


def test_pack_messages_respects_count_and_total():
    small = [{"description": "x"}] * 23
    assert [len(m) for m in pack_messages(small)] == [10, 10, 3]
    big = [{"description": "x" * 4000}] * 3
    assert [len(m) for m in pack_messages(big)] == [1, 1, 1]


@given(st.text(min_size=0, max_size=3000), st.integers(min_value=1, max_value=1100))
@settings(max_examples=200, deadline=None)
def test_split_text_keeps_every_character(text, limit):
    chunks = split_text(text, limit)
    assert all(0 < len(c) <= limit and c.strip() for c in chunks)
    assert "".join("".join(chunks).split()) == "".join(text.split())


def test_split_text_prefers_natural_breaks_and_keeps_clusters():
    assert split_text("one two three", 8) == ["one two", "three"]
    family = "👨‍👩‍👧‍👦" * 100
    for chunk in split_text(family, 50):
        assert not chunk.startswith("\u200d") and not chunk.endswith("\u200d")
    flags = "🇫🇷" * 100
    assert all(len(c) % 2 == 0 for c in split_text(flags, 51))
    assert clip("a" * 300, 256) == "a" * 255 + "…"


@given(st.text(min_size=1, max_size=3000), st.text(max_size=600), st.text(max_size=300))
@settings(max_examples=40, deadline=None)
def test_any_text_fits(claim_text, title, model):
    claim = Claim("c", 0, claim_text, claim_text, {"en": claim_text[::-1]})
    vote = Vote("c", model or "m", M, 0.5, claim_text, (Evidence(claim_text, title, title),))
    result = ClaimResult(claim, (vote,) * 3, Consensus.DISPUTED, True)
    base = make_report(claims=0)
    report = Report(Article("id", "s", claim_text, title, Language("und", 0.0), claim_text),
                    {"xx": Summary("xx", claim_text * 3, model, title)}, (result,) * 30,
                    base.panel, (title,))
    for messages in (report_messages(report), details_embeds(report), summary_messages(report)):
        assert_valid(messages)
    assert validate_message([review_card(result, title, claim_text, title, title,
                                         {"action": title, "moderator_id": model,
                                          "note": claim_text}, "ja")]) == []


def page_footers(messages: list[list[dict]]) -> list[str]:
    return [m[-1].get("footer", {}).get("text", "") for m in messages]


@pytest.mark.parametrize("locale", ["en", "ja"])
def test_details_pages_are_numbered_within_limits_and_lose_nothing(huge: Report, locale):
    pages = details_embeds(huge, locale)
    assert len(pages) > 5
    assert_valid(pages)
    n = len(pages)
    expected = ([f"page {i} of {n}" for i in range(1, n + 1)] if locale == "en"
                else [f"{n}ページ中{i}ページ目" for i in range(1, n + 1)])
    assert page_footers(pages) == expected
    assert_in_order(stream(pages), [r.claim.text for r in huge.claims])
    # Only the last embed of a page carries the page number.
    assert all("footer" not in e for page in pages for e in page[:-1])


def test_details_pages_full_to_the_brim_still_fit_their_page_footer():
    # Six long rationales fill each claim's embed close to the 6,000 characters of a message:
    # the page footer must have been kept room for, not squeezed in after.
    report = make_report(claims=8, claim_chars=3000, rationale_chars=1000,
                         models=tuple(f"model-{i}" for i in range(6)))
    pages = details_embeds(report)
    assert len(pages) > 1
    assert_valid(pages)
    assert all(f.startswith("page ") for f in page_footers(pages))


def test_details_page_picks_and_clamps_the_page(huge: Report):
    pages = details_embeds(huge)
    assert details_page(huge, "en", 2) == (pages[1], 2, len(pages))
    assert details_page(huge, "en", 0)[1:] == (1, len(pages))
    assert details_page(huge, "en", 10_000) == (pages[-1], len(pages), len(pages))


def test_a_short_report_is_one_page_without_a_page_number():
    pages = details_embeds(make_report(claims=2))
    assert len(pages) == 1 and "footer" not in pages[0][-1]
    assert details_page(make_report(claims=0), "en", 3)[1:] == (1, 1)
