"""LexRank scores and extractive summaries in several languages and scripts."""

import json
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from bot.providers import offline
from bot.text.rank import (
    content_indexes,
    extractive_summary,
    length_units,
    rank_sentences,
    tokenize,
)
from bot.text.sentences import join_sentences

CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus"

TOPICAL = [
    "The river floods the valley every spring after the snow melts in the mountains.",
    "Farmers in the valley depend on the spring floods of the river for their fields.",
    "My neighbour collects stamps from small islands.",
    "When the river floods, the valley fields receive fresh silt from the mountains.",
]


def test_tokenize_by_script() -> None:
    assert tokenize("The Rhine, l’accès to rivers 2021!", "en") == [
        "rhine",
        "accès",
        "rivers",
        "2021",
    ]
    assert tokenize("Binnenschifffahrt", "de") == ["binnen"]  # truncation stands in for a stemmer
    assert tokenize("富士山は高い", "ja") == ["富士", "士山", "山は", "は高", "高い"]
    # Combining marks stay inside the word (Python's \w alone would cut these apart).
    assert tokenize("हिन्दी भाषा", "hi") == ["हिन्दी", "भाषा"]
    assert tokenize("مُحَمَّد", "ar") == ["مُحَمَّد"]
    assert tokenize("الْمُتَوَسِّط", "ar") == ["الْمُتَوَسِّ"]  # six letters, their marks kept
    assert tokenize("ไทย", "th") == ["ไท", "ทย"]


def test_length_units_and_content_indexes() -> None:
    assert length_units("Le résultat est prévisible.") == 4
    assert length_units("富士山は高い山です") == 4.5
    sentences = ["A title line", "A real sentence with words.", "Too short.", "Sub heading", "Ok."]
    assert content_indexes(sentences) == [1]
    # Unpunctuated prose (Thai, say) keeps its lines, apart from the first (the title).
    assert content_indexes(["title line here", "one two three four", "five six seven eight"]) == [
        1,
        2,
    ]


def test_rank_small_inputs() -> None:
    assert rank_sentences([]) == []
    assert rank_sentences(["Only one sentence here."]) == pytest.approx([1.0])
    two = rank_sentences(["Cats sleep a lot.", "Dogs bark loudly."])
    assert two == pytest.approx([0.5, 0.5])


def test_rank_prefers_central_sentences_and_is_deterministic() -> None:
    scores = rank_sentences(TOPICAL, "en")
    assert len(scores) == len(TOPICAL)
    assert sum(scores) == pytest.approx(1.0)
    assert min(range(len(scores)), key=scores.__getitem__) == 2  # the off-topic one
    assert rank_sentences(TOPICAL, "en") == scores


def test_rank_without_stop_words_and_in_cjk() -> None:
    finnish = [
        "Joki tulvii laaksoon joka kevät lumen sulaessa vuorilla.",
        "Laakson viljelijät tarvitsevat joen kevättulvia pelloilleen.",
        "Naapurini kerää postimerkkejä.",
        "Kun joki tulvii laaksoon, pellot saavat uutta lietettä vuorilta.",
    ]
    scores = rank_sentences(finnish, "fi")
    assert min(range(4), key=scores.__getitem__) == 2
    chinese = [
        "长江是中国最长的河流。",
        "长江流经中国的许多省份。",
        "我喜欢吃苹果。",
        "中国的长江非常长。",
    ]
    scores = rank_sentences(chinese, "zh")
    assert min(range(4), key=scores.__getitem__) == 2


def test_rank_caps_the_graph() -> None:
    sentences = [f"Sentence {n} talks about rivers and valleys number {n}." for n in range(300)]
    scores = rank_sentences(sentences, "en")
    assert len(scores) == 300
    assert all(score == 0.0 for score in scores[200:])
    assert all(score > 0.0 for score in scores[:200])


def test_summary_is_verbatim_ordered_and_skips_the_title() -> None:
    text = "Rivers and valleys\n\n" + " ".join(TOPICAL)
    summary = extractive_summary(text, "en", max_sentences=2)
    assert len(summary) == 2
    assert all(sentence in text for sentence in summary)
    assert "Rivers and valleys" not in summary
    assert summary == sorted(summary, key=text.index)
    assert "My neighbour collects stamps from small islands." not in summary


def test_summary_limits() -> None:
    text = " ".join(TOPICAL)
    assert extractive_summary(text, max_sentences=0) == []
    assert len(extractive_summary(text, max_sentences=1)) == 1
    assert sum(map(len, extractive_summary(text, max_chars=200))) <= 200
    # The best sentence is kept even when it alone exceeds max_chars: sentences are never cut.
    assert len(extractive_summary(text, max_chars=10)) == 1


def test_summary_small_texts() -> None:
    assert extractive_summary("") == []
    assert extractive_summary("   ") == []
    assert extractive_summary("Just a headline") == ["Just a headline"]
    assert extractive_summary("Headline\n\nOne real sentence is here.") == [
        "One real sentence is here."
    ]
    two = "The first sentence is here. The second sentence follows it."
    assert extractive_summary(two) == [
        "The first sentence is here.",
        "The second sentence follows it.",
    ]


@pytest.mark.parametrize(
    ("name", "language"),
    [
        ("en-webb-telescope.txt", "en"),
        ("fr-ai-safety.txt", "fr"),
        ("de-rhein.txt", "de"),
        ("es-museo-prado.txt", "es"),
        ("ja-fujisan.txt", "ja"),
        ("ar-nile.txt", "ar"),
    ],
)
def test_summary_of_corpus_articles(name: str, language: str) -> None:
    text = (CORPUS / name).read_text(encoding="utf-8")
    summary = extractive_summary(text, language)
    assert 1 <= len(summary) <= 3
    assert all(sentence in text for sentence in summary)
    assert sum(map(len, summary)) <= 600
    assert text.strip().splitlines()[0] not in summary  # the title


def test_a_long_text_is_summarized_without_a_hang() -> None:
    # Speed is bench/ingest.py's figure (the summary is part of every offline check); here
    # only a blow-up (quadratic in the sentences: minutes) fails, on any machine.
    article = (CORPUS / "fr-ai-safety.txt").read_text(encoding="utf-8")
    words = article.split()
    big = " ".join(
        " ".join(words[(n * 7 + k) % len(words)] for k in range(14)) + "." for n in range(1200)
    )
    assert len(big) > 100_000
    started = time.perf_counter()
    summary = extractive_summary(big, "fr")
    assert time.perf_counter() - started < 60  # 1.0 s measured on a loaded 2-core machine
    assert 1 <= len(summary) <= 3 and all(sentence in big for sentence in summary)


SCRIPTS = Path(__file__).resolve().parents[1] / "data" / "scripts"
SCRIPT_ARTICLES = json.loads((SCRIPTS / "expected.json").read_text(encoding="utf-8"))


def test_tokenize_scripts_without_spaces() -> None:
    # Khmer, Lao and Burmese runs become character bigrams, like Thai; their digits are numbers.
    assert tokenize("កម្ពុជា", "km")[:2] == ["កម", "ម្"]
    assert tokenize("ລາວ ໒໐໒໔", "lo") == ["ລາ", "າວ", "໒໐໒໔"]
    assert tokenize("မြန်မာ", "my")[0] == "မြ"
    # Tibetan syllables are separated by the tsheg: each is a term.
    assert tokenize("བོད་ཀྱི་སློབ་གྲྭ", "bo") == ["བོད", "ཀྱི", "སློབ", "གྲྭ"]


def test_a_sentence_cut_inside_its_line_is_no_title() -> None:
    first = "คณะรัฐมนตรีอนุมัติงบประมาณสำหรับโครงการรถไฟความเร็วสูง"
    second = "โครงการนี้จะเชื่อมกรุงเทพมหานครกับจังหวัดนครราชสีมา"
    sentences = [first, second]
    assert content_indexes(sentences) == [1]  # without line information: the first is a title
    assert content_indexes(sentences, ends=[False, True]) == [0, 1]
    assert content_indexes(sentences, ends=[True, True]) == [1]
    # An article with no title line keeps its lead in the summary.
    assert extractive_summary(f"{first} {second}", "th", max_sentences=1) == [first]


@pytest.mark.parametrize("name", sorted(SCRIPT_ARTICLES))
def test_offline_summary_in_every_script_is_whole_sentences(name: str) -> None:
    text = (SCRIPTS / name).read_text(encoding="utf-8")
    language, sentences = SCRIPT_ARTICLES[name]["language"], SCRIPT_ARTICLES[name]["sentences"]
    summary = extractive_summary(text, language)
    assert len(summary) == 3
    assert all(s in sentences[1:] for s in summary)  # whole body sentences, not the title
    assert sorted(summary, key=sentences.index) == summary
    # What the offline provider returns: the sentences as running text of the article's script.
    article = SimpleNamespace(text=text, language=SimpleNamespace(code=language))
    request = SimpleNamespace(article=article, summary_sentences=3, languages=(language,))
    returned = offline._summaries(request).summaries[0].text  # type: ignore[arg-type]
    assert returned == join_sentences(summary)
    if language in ("ja", "zh-Hans"):
        assert returned == "".join(summary)  # no space between CJK sentences
