"""BM25 through FTS5, with figures and names weighing most, in spaced and unspaced scripts."""

from __future__ import annotations

from bot.evidence.ranking import Rendering, query_weights, score_passages, terms


def best(claim: Rendering, passages: list[tuple[str, str]], *more: Rendering) -> int:
    scores = score_passages([claim, *more], passages)
    return max(range(len(passages)), key=scores.__getitem__)


def test_figures_outweigh_common_words():
    claim = Rendering("The city of Lyon spent 4,200,000 euros on new trams in 2024.", "en")
    passages = [
        ("The city spent money on new trams, the city said, and new trams are popular.", "en"),
        ("Lyon's transport authority confirmed a bill of 4 200 000 euros for 2024.", "en"),
        ("Paris bought buses in 2019 for a much larger sum.", "en"),
    ]
    assert best(claim, passages) == 1


def test_names_weigh_more_than_other_words():
    weights = query_weights([Rendering("Yesterday Angela Merkel visited the factory", "en")])[0]
    name = terms("Merkel", "en")[0]
    word = terms("factory", "en")[0]
    assert weights[name] > weights[word]
    assert weights[terms("Yesterday", "en")[0]] == 1.0  # a capital at the start is no name


def test_one_shared_word_is_not_evidence():
    claim = Rendering("Parliament approved the pension reform by 287 votes to 252.", "en")
    scores = score_passages([claim], [("The weather in the parliament district was fine.",
                                       "en")])
    assert scores == [0.0]


def test_chinese_claim_finds_chinese_passage_by_bigrams():
    claim = Rendering("北京地铁票价将上涨百分之十", "zh")
    passages = [("上海的天气很好，市民去公园散步。", "zh"),
                ("北京市交通委员会宣布，地铁票价明年上涨百分之十。", "zh"),
                ("北京的烤鸭很有名，游客很多。", "zh")]
    assert best(claim, passages) == 1


def test_japanese_and_thai():
    ja = Rendering("東京都の予算は八兆円", "ja")
    assert best(ja, [("大阪の天気は晴れです。", "ja"),
                     ("東京都の新年度予算は総額八兆円となった。", "ja")]) == 1
    th = Rendering("รัฐบาลขึ้นค่าแรงขั้นต่ำเป็น 400 บาท", "th")
    assert best(th, [("ทีมฟุตบอลชนะการแข่งขันเมื่อคืนนี้", "th"),
                     ("รัฐบาลประกาศขึ้นค่าแรงขั้นต่ำเป็น 400 บาททั่วประเทศ", "th")]) == 1


def test_english_rendering_finds_an_english_passage_for_a_german_claim():
    claim = Rendering("Die Bundesregierung erhöht das Kindergeld auf 255 Euro.", "de")
    english = Rendering("The federal government raises child benefit to 255 euros.", "en")
    passages = [("The government announced new rules for electric cars.", "en"),
                ("Germany's federal government will raise child benefit to 255 euros a "
                 "month, the finance ministry said.", "en")]
    assert best(claim, passages, english) == 1


def test_scores_are_meaningful_with_few_candidates():
    # FTS5 gives ~0 weight to a term in half the rows: two candidates must still be told apart.
    claim = Rendering("Acme Corp cut 1,500 jobs in Ohio.", "en")
    scores = score_passages([claim], [("Acme Corp said it cut 1,500 jobs in Ohio.", "en"),
                                      ("Acme Corp opened a store in Ohio.", "en")])
    assert scores[0] > scores[1] > 0
