"""The terminal report: claims in scripts without spaces wrap within the width, nothing cut."""

from __future__ import annotations

import io

import pytest
from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from bot.present.text import render_report
from bot.present.wrap import NO_END, NO_START, break_offsets, wrap_lines
from bot.records import (
    Article,
    Claim,
    ClaimResult,
    Consensus,
    Language,
    MemberStatus,
    PanelMember,
    Report,
    Summary,
    Usage,
    Verdict,
    Vote,
)

WIDTH = 80
JAPANESE = ("東京都の人口は約1400万人で、前年より増えた。政府は「来年度も同じ水準を維持する」と"
            "発表し、専門家は少子化の影響を指摘している。")
CHINESE = ("国家统计局周二公布的数据显示，今年第三季度国内生产总值同比增长百分之四点八，"
           "低于市场预期，消费和投资增速均有所放缓。")
THAI = ("รัฐบาลประกาศเพิ่มงบประมาณการศึกษาร้อยละห้าในปีนี้เพื่อสร้างโรงเรียนใหม่สามร้อยแห่งทั่วประเทศ"
        "และจ้างครูเพิ่มอีกหนึ่งหมื่นคนภายในสองปี")
MIXED = "NASA のジェイムズ・ウェッブ宇宙望遠鏡は、2021年12月25日に打ち上げられた。" * 3


def report_with(*texts: str, language: str = "ja") -> Report:
    article = Article("a1b2c3d4e5f60718", "f" * 64, "x" * 500, "見出し", Language(language, 0.99),
                      "https://news.example/a")
    results = tuple(
        ClaimResult(Claim(f"c{i}", i, text, text),
                    (Vote(f"c{i}", "sonnet", Verdict.SUPPORTED, 0.9, "ok"),
                     Vote(f"c{i}", "llama", Verdict.REFUTED, 0.7, "no")),
                    Consensus.DISPUTED, True)
        for i, text in enumerate(texts))
    panel = tuple(PanelMember(m, "openai", m, MemberStatus.OK, 10, Usage(1, 1))
                  for m in ("sonnet", "llama"))
    summaries = {language: Summary(language, MIXED, "sonnet")}
    return Report(article, summaries, results, panel)


def rendered(report: Report, width: int = WIDTH) -> list[str]:
    console = Console(file=io.StringIO(), width=width, color_system=None, legacy_windows=False)
    render_report(report, console)
    return console.file.getvalue().splitlines()  # type: ignore[attr-defined]


def claim_column(lines: list[str]) -> str:
    """The claims table's second column, row after row, without spaces or borders."""
    cells = [line.split("│")[2] for line in lines if line.count("│") >= 4]
    return "".join("".join(cells).split())


@pytest.mark.parametrize("text", [JAPANESE, CHINESE, THAI, MIXED], ids=["ja", "zh", "th", "mix"])
def test_claims_without_spaces_wrap_within_the_width_and_keep_every_character(text):
    lines = rendered(report_with(text))
    assert all(cell_len(line) <= WIDTH for line in lines)
    assert "".join(text.split()) in claim_column(lines)
    assert "…" not in claim_column(lines)


def test_several_wide_claims_each_wrap_in_their_own_row():
    lines = rendered(report_with(JAPANESE, CHINESE, THAI), width=60)
    assert all(cell_len(line) <= 60 for line in lines)
    column = claim_column(lines)
    at = [column.find("".join(t.split())) for t in (JAPANESE, CHINESE, THAI)]
    assert -1 not in at and at == sorted(at)


def test_the_summary_panel_wraps_wide_text_within_the_width():
    lines = rendered(report_with(JAPANESE))
    assert all(cell_len(line) <= WIDTH for line in lines)
    body = "".join("".join(line.strip("│╭╮╰╯─ ").split()) for line in lines)
    assert "".join(MIXED.split()) in body


def lines_of(text: str, width: int) -> list[str]:
    return [line.plain for line in wrap_lines(Text(text), width)]


@pytest.mark.parametrize("width", [7, 10, 23, 40])
@pytest.mark.parametrize("text", [JAPANESE, CHINESE, THAI, MIXED,
                                  "plain English words wrap at spaces only " * 3],
                         ids=["ja", "zh", "th", "mix", "en"])
def test_lines_fit_keep_the_text_and_respect_kinsoku(text, width):
    lines = lines_of(text, width)
    assert all(cell_len(line) <= width for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert not any(line[:1] in NO_START for line in lines[1:])
    assert not any(line[-1:] in NO_END for line in lines)


def test_latin_words_are_never_split_and_cjk_breaks_between_characters():
    assert lines_of("the quick brown fox", 10) == ["the quick", "brown fox"]
    assert lines_of("日本語の文章", 4) == ["日本", "語の", "文章"]
    assert lines_of("約1400万人", 5) == ["約", "1400", "万人"]  # digits stay together


def test_wide_text_fills_the_line_instead_of_jumping_to_the_next():
    # rich moves a space-less run to a new line, leaving the first one nearly empty.
    assert lines_of("NASA の宇宙望遠鏡は打ち上げられた", 16)[0] == "NASA の宇宙望遠"


def test_thai_folds_between_clusters_never_splitting_marks_from_their_letter():
    for width in range(1, 30):
        for line in lines_of(THAI, width):
            assert cell_len(line) <= width
            assert line[0] not in "\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e47\u0e48\u0e49"
            if width > 3:  # a leading vowel stays with its consonant where a syllable fits
                assert line[-1] not in "\u0e40\u0e41\u0e42\u0e43\u0e44"


def test_break_offsets_of_text_that_fits_is_empty():
    assert break_offsets("短い", 10) == [] and break_offsets("", 10) == []
