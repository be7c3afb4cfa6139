"""`parallax check URL` end to end against loopback HTTP servers: refusals leave nothing behind."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import sys
from pathlib import Path

import pytest

from tests.fakes.http_server import HTTPServer

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "data" / "corpus"


async def parallax(tmp_path: Path, *args: str, config: str = "") -> tuple[int, str, str]:
    (tmp_path / "parallax.toml").write_text(
        f'database = "{tmp_path / "p.db"}"\nmax_fetch_bytes = 20000\n{config}', encoding="utf-8")
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", "check", *args, cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)})
    out, err = await asyncio.wait_for(proc.communicate(), 60)
    return proc.returncode or 0, out.decode(), err.decode()


def stored_rows(tmp_path: Path) -> int:
    db = tmp_path / "p.db"
    if not db.exists():
        return 0
    with sqlite3.connect(db) as conn:
        tables = [r[0] for r in conn.execute(
            "select name from sqlite_master where type='table' and name not like '\\_%' escape '\\'"
            " and name not like 'sqlite%' and name not like '%\\_fts%' escape '\\'")]
        # (a full-text index's shadow tables hold its own settings rows: not data)
        return sum(conn.execute(f'select count(*) from "{t}"').fetchone()[0] for t in tables)


@pytest.mark.parametrize("host", ["127.0.0.1", "2130706433", "0x7f000001", "127.1",
                                  "[::ffff:127.0.0.1]"])
async def test_private_forms_refused_and_server_untouched(tmp_path, host):
    async with HTTPServer() as server:
        server.page("/a", (CORPUS / "article-page.html").read_bytes(), "text/html")
        url = server.url("/a").replace("127.0.0.1", host)
        code, out, err = await parallax(tmp_path, url)
        assert server.requests == []
    assert code == 2 and out == ""
    assert err.startswith("parallax: error:") and err.count("\n") == 1
    assert "not a public address" in err
    assert stored_rows(tmp_path) == 0


async def test_allowed_network_fetches_and_checks_the_page(tmp_path):
    async with HTTPServer() as server:
        server.page("/a", (CORPUS / "article-page.html").read_bytes(), "text/html")
        code, out, err = await parallax(tmp_path, server.url("/a?utm_source=x#top"), "--json",
                                        config='allowed_networks = ["127.0.0.1/32"]\n')
    assert code == 0, err
    report = json.loads(out)
    assert report["article"]["title"] == "Webb telescope marks another year of discoveries"
    assert report["article"]["canonical_url"].endswith("/a")


async def test_redirect_to_a_private_address_refused(tmp_path):
    async with HTTPServer() as public, HTTPServer(host="127.0.0.2") as private:
        private.page("/secret", b"internal", "text/plain")
        public.redirect("/a", private.url("/secret"))
        code, _, err = await parallax(tmp_path, public.url("/a"),
                                      config='allowed_networks = ["127.0.0.1/32"]\n')
        assert private.requests == []
    assert code == 2 and "not a public address" in err
    assert stored_rows(tmp_path) == 0


async def test_oversize_body_refused(tmp_path):
    async with HTTPServer() as server:
        server.oversize("/big", 200_000)
        code, _, err = await parallax(tmp_path, server.url("/big"),
                                      config='allowed_networks = ["127.0.0.1/32"]\n')
    assert code == 2 and "too large" in err
    assert stored_rows(tmp_path) == 0
