"""A throwaway PostgreSQL server for the tests, and one fresh database per test.

The machines have PostgreSQL 15's server installed but not running
(``/usr/lib/postgresql/15/bin``, a ``postgres`` system user). The session starts a cluster of
its own: ``initdb`` with trust authentication in a temporary directory, as the ``postgres``
user (the tests run as root, which PostgreSQL refuses to run as), listening on a free
loopback port with its socket in the same temporary directory; it is stopped and removed at
the end. ``PARALLAX_TEST_POSTGRES`` (a ``postgresql://`` URL of a superuser, or a role that
may create databases) names an existing server instead, and nothing is started.

Each test gets a database of its own, copied (``CREATE DATABASE ... TEMPLATE``) from a
template that the migrations were applied to once, or from ``template0`` for a blank one.

The store suite's fixtures are here too: ``database`` is parametrized over both backends
(a SQLite file, a Postgres database), ``store`` opens a :class:`~bot.store.Store` on it and
``db`` a synchronous connection. The Postgres server starts only when a test asks for it.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import pytest

from bot.store import Db, Store, open_database

BIN = Path(os.environ.get("PARALLAX_PG_BIN", "/usr/lib/postgresql/15/bin"))
ENV_SERVER = "PARALLAX_TEST_POSTGRES"
TEMPLATE = "parallax_migrated"
_counter = itertools.count(1)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_postgres(*command: str | Path) -> list[str]:
    """``command`` run as the ``postgres`` system user when the tests run as root."""
    args = [str(part) for part in command]
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


@dataclass
class Cluster:
    """A PostgreSQL server the tests may create databases on."""

    base_url: str  # ends with the maintenance database, e.g. postgresql://u@h:p/postgres
    directory: Path | None = None  # set when this session started the server itself
    _databases: list[str] = field(default_factory=list)

    @classmethod
    def start(cls) -> Cluster:
        """initdb and start a private server on a free loopback port."""
        if not (BIN / "initdb").exists():
            raise RuntimeError(f"{BIN / 'initdb'} is missing: install Debian's postgresql-15 "
                               f"package, or name a server in {ENV_SERVER}")
        directory = Path(tempfile.mkdtemp(prefix="parallax-pg-"))
        data, sockets = directory / "data", directory / "socket"
        sockets.mkdir()
        if os.geteuid() == 0:
            shutil.chown(directory, "postgres", "postgres")
            shutil.chown(sockets, "postgres", "postgres")
        port = _free_port()
        run = {"check": True, "capture_output": True, "text": True}
        try:
            subprocess.run(_as_postgres(BIN / "initdb", "-D", data, "-U", "postgres",
                                        "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"),
                           **run)
            # Durability is not under test: no fsync makes CREATE DATABASE and commits fast.
            options = (f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off "
                       "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
            subprocess.run(_as_postgres(BIN / "pg_ctl", "-D", data, "-l", directory / "log",
                                        "-o", options, "-w", "-t", "60", "start"), **run)
        except subprocess.CalledProcessError as exc:
            shutil.rmtree(directory, ignore_errors=True)
            raise RuntimeError(f"could not start PostgreSQL: {exc.stderr or exc.stdout}") from None
        return cls(f"postgresql://postgres@127.0.0.1:{port}/postgres", directory)

    def url(self, database: str) -> str:
        """The URL of ``database`` on this server."""
        return self.base_url.rsplit("/", 1)[0] + "/" + database

    def create_database(self, template: str = "template0") -> str:
        """A new, empty (or ``template``'s copy) database; returns its URL."""
        name = f"parallax_test_{os.getpid()}_{next(_counter)}"
        with psycopg.connect(self.base_url, autocommit=True) as conn:
            conn.execute(f'create database "{name}" template "{template}"')
        self._databases.append(name)
        return self.url(name)

    def drop_database(self, url: str) -> None:
        """Remove a database made by :meth:`create_database` (its connections are ended)."""
        name = url.rsplit("/", 1)[1]
        with psycopg.connect(self.base_url, autocommit=True) as conn:
            conn.execute(f'drop database if exists "{name}" with (force)')
        with contextlib.suppress(ValueError):
            self._databases.remove(name)

    def stop(self) -> None:
        """Drop what this session made; stop and remove a server it started."""
        if self.directory is None:
            for url in [self.url(name) for name in self._databases]:
                with contextlib.suppress(psycopg.Error):
                    self.drop_database(url)
            return
        subprocess.run(_as_postgres(BIN / "pg_ctl", "-D", self.directory / "data", "-m",
                                    "immediate", "-w", "stop"), capture_output=True, check=False)
        shutil.rmtree(self.directory, ignore_errors=True)


def _migrated_template(cluster: Cluster) -> str:
    """A database with every migration applied, to copy for each test."""
    from bot.store.postgres import open_pool

    with psycopg.connect(cluster.base_url, autocommit=True) as conn:
        conn.execute(f'drop database if exists "{TEMPLATE}_{os.getpid()}" with (force)')
        conn.execute(f'create database "{TEMPLATE}_{os.getpid()}" template template0')
    name = f"{TEMPLATE}_{os.getpid()}"
    cluster._databases.append(name)
    open_pool(cluster.url(name), size=1).close()  # migrates, then lets go of the template
    return name


@dataclass
class PostgresServer:
    """What the fixture hands a test: the cluster, and databases made for it."""

    cluster: Cluster
    template: str

    def database(self, migrated: bool = True) -> str:
        """The URL of a new database: migrated (a copy of the template) or blank."""
        return self.cluster.create_database(self.template if migrated else "template0")


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A PostgreSQL server for the whole session (started here, or ``PARALLAX_TEST_POSTGRES``)."""
    named = os.environ.get(ENV_SERVER)
    cluster = Cluster(named) if named else Cluster.start()
    try:
        yield PostgresServer(cluster, _migrated_template(cluster))
    finally:
        cluster.stop()


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> Iterator[str]:
    """A fresh, migrated database for one test; dropped afterwards."""
    url = postgres_server.database()
    yield url
    postgres_server.cluster.drop_database(url)


BACKENDS = ["sqlite", "postgres"]


@pytest.fixture(params=BACKENDS)
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Path | str]:
    """A fresh, empty store of each backend in turn: a SQLite file in ``tmp_path``, or a
    migrated Postgres database (the store suite runs once on each)."""
    if request.param == "sqlite":
        yield tmp_path / "p.db"
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    url = server.database()
    yield url
    server.cluster.drop_database(url)


@pytest.fixture
async def store(database: Path | str) -> AsyncIterator[Store]:
    """An open :class:`~bot.store.Store` on ``database``."""
    async with Store(database) as opened:
        yield opened


@pytest.fixture
def db(database: Path | str) -> Iterator[Db]:
    """A synchronous connection to ``database``, to call store functions directly."""
    if isinstance(database, Path):
        sqlite = open_database(database)
        yield sqlite
        sqlite.close()
        return
    from bot.store.postgres import PostgresDb

    with psycopg.connect(database, autocommit=True) as conn:
        yield PostgresDb(conn)
