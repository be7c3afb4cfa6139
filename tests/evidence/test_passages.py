"""Passages of a few sentences in every script, and near-duplicate shingles."""

from __future__ import annotations

from bot.evidence.passages import (
    MAX_CHARS,
    containment,
    near_duplicate,
    shingles,
    split_passages,
)


def test_windows_of_three_sentences_overlap_by_one():
    text = " ".join(f"Sentence number {n} says something about item {n}." for n in range(7))
    passages = split_passages(text, "en")
    assert passages[0].startswith("Sentence number 0") and "item 2." in passages[0]
    assert passages[1].startswith("Sentence number 2")  # the last sentence of the first
    # Every sentence is in some passage, and no passage has more than three.
    for n in range(7):
        assert any(f"item {n}." in p for p in passages)
    assert all(p.count("Sentence number") <= 3 for p in passages)


def test_long_sentences_are_not_skipped_and_are_cut():
    long = "word " * 200  # 1,000 characters without a full stop
    text = f"{long.strip()}. Second sentence about the city council. Third one on the budget."
    passages = split_passages(text, "en")
    assert all(len(p) <= MAX_CHARS + 200 for p in passages)
    assert passages[0].endswith("…")
    assert any("Second sentence" in p for p in passages)


def test_chinese_japanese_thai_passages():
    zh = ("北京市政府周一宣布，地铁票价将上涨百分之十。新票价从三月起实施。"
          "市民对此反应不一。专家认为涨价合理。")
    assert len(split_passages(zh, "zh")) >= 2
    ja = ("東京都は月曜日、新しい予算案を発表した。総額は八兆円に上る。"
          "都議会で審議される予定だ。知事は説明した。")
    assert len(split_passages(ja, "ja")) >= 2
    th = ("รัฐบาลไทยประกาศขึ้นค่าแรงขั้นต่ำเป็น 400 บาททั่วประเทศ "
          "นโยบายนี้จะเริ่มใช้ในเดือนตุลาคมปีหน้า นักเศรษฐศาสตร์หลายคนแสดงความกังวลต่อผลกระทบ "
          "ผู้ประกอบการรายย่อยกล่าวว่าต้นทุนจะสูงขึ้นมาก")
    passages = split_passages(th, "th")
    assert passages and all(p in th or p.replace(" ", "") in th.replace(" ", "")
                            for p in passages)


def test_short_labels_are_not_passages():
    assert split_passages("Share\n\nMenu\n\nSign in", "en") == []


def test_copies_differing_in_punctuation_and_credit_are_near_duplicates():
    story = ("The central bank raised its key rate to 4.5 percent on Tuesday, the third "
             "increase this year, citing persistent inflation in services.")
    copy = story.replace(",", "").replace("Tuesday", "Tuesday ") + " (Reuters)"
    other = "The football club signed a new striker for a record fee after a long saga."
    assert near_duplicate(shingles(story), shingles(copy))
    assert not near_duplicate(shingles(story), shingles(other))
    assert containment(shingles(story), shingles(story + " " + other)) == 1.0
    assert containment(frozenset(), shingles(story)) == 0.0
