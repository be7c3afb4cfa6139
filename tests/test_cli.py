"""The command line end to end: a subprocess runs `parallax` as a user would."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "data" / "corpus"

ARTICLES = {
    "fr-ai-safety.txt": "fr", "en-webb-telescope.txt": "en", "de-rhein.txt": "de",
    "es-museo-prado.txt": "es", "ja-fujisan.txt": "ja", "ar-nile.txt": "ar",
}


def parallax(*args: str, stdin: bytes | None = None, cwd: Path | None = None):
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args], input=stdin, capture_output=True,
        cwd=cwd, timeout=120, env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)},
    )


def rows(db: Path) -> dict[str, int]:
    if not db.exists():
        return {}
    with sqlite3.connect(db) as conn:
        names = [r[0] for r in conn.execute("select name from sqlite_master where type='table'")]
        # Full-text indexes' shadow tables hold their own settings rows: not data.
        return {n: conn.execute(f'select count(*) from "{n}"').fetchone()[0]
                for n in names if not n.startswith(("_", "sqlite")) and "_fts" not in n}


@pytest.mark.parametrize(("name", "language"), sorted(ARTICLES.items()))
def test_check_json_every_corpus_article(tmp_path, name, language):
    db = tmp_path / "p.db"
    done = parallax("check", str(CORPUS / name), "--json", "--db", str(db), "--lang", "en,fr")
    assert done.returncode == 0, done.stderr.decode()
    report = json.loads(done.stdout)
    assert set(report) >= {"article", "summaries", "claims", "panel", "warnings"}
    assert report["article"]["language"] == language
    assert report["article"]["chars"] > 100 and len(report["article"]["sha256"]) == 64
    assert report["panel"][0]["provider"] == "offline"
    assert report["panel"][0]["status"] == "offline"
    assert any("offline" in w for w in report["warnings"])
    assert set(report["summaries"]) == {"en", "fr"}
    own = report["summaries"].get(language)
    if own:
        assert own["text"] and own["model"] == "offline"
    other = report["summaries"]["en" if language != "en" else "fr"]
    assert other["text"] == "" and "cannot translate" in other["note"]
    assert report["claims"], "the offline provider proposes claim candidates"
    text = (CORPUS / name).read_text(encoding="utf-8")
    for claim in report["claims"]:
        assert " ".join(claim["quote"].split()) in " ".join(text.split())
        assert claim["consensus"] == "abstained" and claim["flagged"] is False
        assert [v["verdict"] for v in claim["verdicts"]] == ["uncertain"]
        assert "no verifier configured" in claim["verdicts"][0]["rationale"]


def test_terminal_report_says_offline(tmp_path):
    done = parallax("check", str(CORPUS / "fr-ai-safety.txt"), "--lang", "fr,en",
                    "--db", str(tmp_path / "p.db"))
    out = done.stdout.decode()
    assert done.returncode == 0, done.stderr.decode()
    for expected in ("language fr", "Summary [fr]", "Summary [en]", "cannot translate",
                     "Claims", "no verifier configured", "Wojciech Zaremba"):
        assert expected in out, expected


def test_second_check_returns_stored_report_without_new_rows(tmp_path):
    db = tmp_path / "p.db"
    args = ("check", str(CORPUS / "de-rhein.txt"), "--json", "--db", str(db))
    first = json.loads(parallax(*args).stdout)
    before = rows(db)
    second = json.loads(parallax(*args).stdout)
    assert rows(db) == before
    assert second["cached"] is True and first["cached"] is False
    assert second["claims"] == first["claims"] and second["summaries"] == first["summaries"]
    fresh = json.loads(parallax(*args, "--fresh").stdout)
    assert fresh["cached"] is False and rows(db)["checks"] == before["checks"] + 1
    assert rows(db)["articles"] == before["articles"]


def test_stdin_source(tmp_path):
    data = (CORPUS / "en-webb-telescope.txt").read_bytes()
    done = parallax("check", "-", "--json", "--db", str(tmp_path / "p.db"), stdin=data)
    assert done.returncode == 0, done.stderr.decode()
    assert json.loads(done.stdout)["article"]["source"] == "-"


def test_html_file_is_extracted(tmp_path):
    done = parallax("check", str(CORPUS / "article-page.html"), "--json",
                    "--db", str(tmp_path / "p.db"))
    report = json.loads(done.stdout)
    assert report["article"]["title"] == "Webb telescope marks another year of discoveries"
    quotes = " ".join(c["quote"] for c in report["claims"])
    assert "Ariane 5" in quotes
    assert "mortgage" not in quotes and "Most read" not in quotes


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ("empty.txt", "no text"),
        ("whitespace-only.txt", "no text"),
        ("binary.bin", "not text"),
        ("feed.xml", "an rss or atom feed, not an article"),
        ("does-not-exist.txt", "no such file"),
        ("ftp://example.org/a.txt", "unsupported scheme"),
        ("file:///etc/passwd", "unsupported scheme"),
        ("http://127.0.0.1:9/a", "not a public address"),
        ("http://2130706433/a", "not a public address"),
        ("http://[::ffff:127.0.0.1]/a", "not a public address"),
        ("http://169.254.169.254/latest/meta-data/", "not a public address"),
    ],
)
def test_bad_input_exits_2_with_one_line_and_no_rows(tmp_path, source, reason):
    db = tmp_path / "p.db"
    path = CORPUS / source
    done = parallax("check", str(path) if path.exists() else source, "--db", str(db))
    err = done.stderr.decode()
    assert done.returncode == 2, err
    assert err.count("\n") == 1 and err.startswith("parallax: error:"), err
    assert reason in err.lower(), err
    assert "Traceback" not in err and done.stdout == b""
    assert all(count == 0 for count in rows(db).values())


def test_oversize_article_refused(tmp_path):
    big = tmp_path / "big.txt"
    big.write_text(("Word " * 30 + "in 2024.\n") * 1000, encoding="utf-8")
    done = parallax("check", str(big), "--db", str(tmp_path / "p.db"))
    assert done.returncode == 2
    assert "article too long" in done.stderr.decode() and "100,000" in done.stderr.decode()


def test_bad_config_exits_2(tmp_path):
    (tmp_path / "parallax.toml").write_text("colour = 1\n")
    done = parallax("check", str(CORPUS / "de-rhein.txt"), cwd=tmp_path)
    assert done.returncode == 2
    assert "unknown key 'colour'" in done.stderr.decode()


def test_bad_language_option(tmp_path):
    done = parallax("check", str(CORPUS / "de-rhein.txt"), "--lang", "en,!!",
                    "--db", str(tmp_path / "p.db"))
    assert done.returncode == 2 and "language code" in done.stderr.decode()


def test_version_and_db_stats(tmp_path):
    assert parallax("--version").stdout.decode().startswith("parallax, version")
    db = tmp_path / "p.db"
    parallax("check", str(CORPUS / "es-museo-prado.txt"), "--db", str(db))
    out = parallax("db", "stats", "--db", str(db)).stdout.decode()
    assert "articles" in out and "model_calls" in out
    assert rows(db)["model_calls"] == 3  # summarize, extract, verify: every call is a row


SIMPLIFIED = ("长江流域今年夏季遭遇严重干旱\n\n"
              "据国家气候中心2024年8月12日发布的报告，"
              "长江中下游地区的降水量比常年同期偏少百分之四十。"
              "武汉、南京和上海等城市连续三十天最高气温超过三十五摄氏度。"
              "水利部表示，三峡水库已经向下游增加补水二十亿立方米，"
              "以保障沿岸城市的供水和航运安全。")


def test_lang_codes_are_canonical_and_distinct(tmp_path):
    done = parallax("check", str(CORPUS / "de-rhein.txt"), "--json", "--lang", "en,EN,DE,de",
                    "--db", str(tmp_path / "p.db"))
    assert done.returncode == 0, done.stderr.decode()
    assert list(json.loads(done.stdout)["summaries"]) == ["en", "de"]


@pytest.mark.parametrize("codes", ["xx", "en,xx", "en-XX", "und"])
def test_lang_codes_that_are_not_languages_are_refused(tmp_path, codes):
    db = tmp_path / "p.db"
    done = parallax("check", str(CORPUS / "de-rhein.txt"), "--lang", codes, "--db", str(db))
    err = done.stderr.decode()
    assert done.returncode == 2, err
    assert err.startswith("parallax: error: --lang: '") and err.count("\n") == 1, err
    assert "is not a language code" in err and not db.exists()


def test_offline_traditional_chinese_of_a_simplified_article_is_the_cannot_translate_note(
        tmp_path):
    article = tmp_path / "zh.txt"
    article.write_text(SIMPLIFIED, encoding="utf-8")
    done = parallax("check", str(article), "--json", "--lang", "zh-hant,zh-TW,zh,zh-Hans",
                    "--db", str(tmp_path / "p.db"))
    assert done.returncode == 0, done.stderr.decode()
    report = json.loads(done.stdout)
    assert report["article"]["language"] == "zh-Hans"
    summaries = report["summaries"]
    assert list(summaries) == ["zh-Hant", "zh-TW", "zh", "zh-Hans"]
    for traditional in ("zh-Hant", "zh-TW"):
        assert summaries[traditional]["text"] == ""
        assert "cannot translate" in summaries[traditional]["note"]
    assert summaries["zh"]["text"] and summaries["zh"]["text"] == summaries["zh-Hans"]["text"]
    for sentence in filter(None, summaries["zh"]["text"].split("。")):  # the article's own
        assert sentence.strip() in SIMPLIFIED


@pytest.mark.parametrize("source", ["example.com/news/1", "www.lemonde.fr/international/a.html",
                                    "lemonde.fr"])
def test_a_web_address_without_a_scheme_is_told_to_add_one(tmp_path, source):
    done = parallax("check", source, "--db", str(tmp_path / "p.db"), cwd=tmp_path)
    err = done.stderr.decode()
    assert done.returncode == 2 and err.count("\n") == 1, err
    assert "no such file" in err and f"write https://{source}" in err


def test_a_missing_file_that_is_not_an_address_gets_no_suggestion(tmp_path):
    done = parallax("check", "notes.txt", "--db", str(tmp_path / "p.db"), cwd=tmp_path)
    err = done.stderr.decode()
    assert done.returncode == 2 and "no such file" in err and "https://" not in err


def test_a_refused_private_address_names_the_setting_that_allows_it(tmp_path):
    done = parallax("check", "http://127.0.0.1:9/a", "--db", str(tmp_path / "p.db"))
    err = done.stderr.decode()
    assert done.returncode == 2 and err.count("\n") == 1, err
    assert "not a public address" in err and "allow_private_networks = true" in err
    assert "allowed_networks" in err


@pytest.mark.parametrize("command", [("db", "stats"), ("usage",)])
def test_reading_commands_refuse_a_missing_database_and_create_nothing(tmp_path, command):
    typo = tmp_path / "dat" / "parallax.db"
    done = parallax(*command, "--db", str(typo), cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.decode() == f"parallax: error: no database at {typo}\n"
    assert not typo.exists() and not typo.parent.exists()
    # Without --db: the configured database, missing too in a fresh directory.
    done = parallax(*command, cwd=tmp_path)
    assert done.returncode == 2
    assert "no database at data/parallax.db" in done.stderr.decode()
    assert list(tmp_path.iterdir()) == []
