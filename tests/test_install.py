"""The package as a user gets it: the wheel, its declared dependencies, and the Docker recipe.

The two slow tests build the wheel with the pip of a fresh ``python -m venv`` (the pip the
machine's Python bundles, often older than the project's), look inside it, install it there with
its dependencies from the registry, and run a check from another directory (about 45 s for the
wheel and 1.5 to 3 min for the install). Set ``PARALLAX_SKIP_INSTALL_TEST=1`` to skip them
locally; CI (``CI=true``) always runs them.
"""

from __future__ import annotations

import ast
import fnmatch
import importlib.metadata as metadata
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import pytest
from click.testing import CliRunner
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "samples" / "fr-ai-safety.txt"
# Generous: a cold install downloads every dependency; the limit only stops a hung pip.
PIP_TIMEOUT = 1800

SKIP_SLOW = bool(os.environ.get("PARALLAX_SKIP_INSTALL_TEST")) and not os.environ.get("CI")


# --- declared dependencies -------------------------------------------------------------------


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _declared() -> dict[str, Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return {_norm(r.name): r for r in map(Requirement, project["dependencies"])}


def _third_party_imports() -> dict[str, str]:
    """Top-level modules that ``bot/`` imports outside the standard library, with one user."""
    found: dict[str, str] = {}
    for path in sorted((ROOT / "bot").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.partition(".")[0]
                if top not in sys.stdlib_module_names and top not in {"bot", "__future__"}:
                    found.setdefault(top, str(path.relative_to(ROOT)))
    return found


def test_every_module_the_package_imports_is_a_declared_dependency() -> None:
    declared = _declared()
    providers = metadata.packages_distributions()
    missing = []
    for module, user in _third_party_imports().items():
        dists = providers.get(module, [])
        if not any(_norm(d) in declared for d in dists):
            missing.append(f"{module} (imported by {user}; installed from {dists or 'nothing'})")
    assert not missing, "imported but not in [project].dependencies: " + ", ".join(missing)


def _legacy_extra(extra: str) -> str:
    # How pip before 23.3 (pkg_resources' safe_extra) compared extras: '-' and '_' differ.
    return re.sub(r"[^A-Za-z0-9.-]+", "_", extra).lower()


def _plain_requirements(dist: metadata.Distribution) -> list[Requirement]:
    reqs = [Requirement(text) for text in dist.requires or []]
    return [r for r in reqs if r.marker is None or r.marker.evaluate({"extra": ""})]


def _extra_requirements(dist: metadata.Distribution, extra: str) -> list[Requirement]:
    reqs = [Requirement(text) for text in dist.requires or []]
    return [
        r for r in reqs
        if r.marker is not None
        and r.marker.evaluate({"extra": extra}) and not r.marker.evaluate({"extra": ""})
    ]


def test_every_extra_in_the_dependency_tree_resolves_with_an_old_pip() -> None:
    # A dependency that asks for `pkg[some_extra]` while pkg provides `some-extra` is resolved by
    # a current pip (PEP 685 normalizes both) and silently skipped by pip < 23.3, the pip most
    # systems ship. Whatever such an extra brings must then be required plainly elsewhere.
    installed: set[str] = set()
    left_out: list[tuple[str, str]] = []  # (why, distribution name)
    seen: set[tuple[str, frozenset[str]]] = set()
    todo = [
        (r.name, set(r.extras), "parallax") for r in _declared().values()
        if r.marker is None or r.marker.evaluate({"extra": ""})
    ]
    while todo:
        name, extras, wanted_by = todo.pop()
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue  # a platform's own dependency, not installed on this one
        installed.add(_norm(name))
        provided = {_legacy_extra(p) for p in dist.metadata.get_all("Provides-Extra") or []}
        honoured = {e for e in extras if _legacy_extra(e) in provided}
        for extra in extras - honoured:
            left_out += [
                (f"{wanted_by} asks for {dist.name}[{extra}], which brings {sub.name}", sub.name)
                for sub in _extra_requirements(dist, extra)
            ]
        if (key := (_norm(name), frozenset(honoured))) in seen:
            continue
        seen.add(key)
        todo += [(sub.name, set(sub.extras), dist.name) for sub in _plain_requirements(dist)]
        for extra in honoured:
            todo += [
                (sub.name, set(sub.extras), f"{dist.name}[{extra}]")
                for sub in _extra_requirements(dist, extra)
            ]
    lost = sorted({why for why, sub in left_out if _norm(sub) not in installed})
    assert not lost, "pip < 23.3 would leave out: " + "; ".join(lost)


# --- the wheel, built and installed by the machine's own pip -----------------------------------


@dataclass(frozen=True)
class Venv:
    """A fresh virtual environment made by ``python -m venv``, with the pip it bundles."""

    path: Path

    @property
    def python(self) -> Path:
        return self.path / "bin" / "python"

    def pip(self, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.python), "-m", "pip", *args],
            capture_output=True, text=True, timeout=PIP_TIMEOUT, cwd=cwd, check=False,
        )


def _context_sources() -> list[str]:
    """What the Dockerfile copies from the build context: the sources a build needs."""
    return [src for copy in _dockerfile().copies if copy.from_stage is None for src in copy.sources]


def _copy_sources(dest: Path) -> Path:
    for src in _context_sources():
        origin = ROOT / src
        if origin.is_dir():
            shutil.copytree(origin, dest / src, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            (dest / src).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(origin, dest / src)
    return dest


@pytest.fixture(scope="module")
def machine_venv(tmp_path_factory: pytest.TempPathFactory) -> Venv:
    # Made from the interpreter running the tests; a venv of a venv uses the base Python and the
    # pip that Python bundles (ensurepip), which is what `python3 -m venv` gives a user.
    path = tmp_path_factory.mktemp("venv") / "env"
    subprocess.run([sys.executable, "-m", "venv", str(path)], check=True, timeout=300)
    return Venv(path)


@pytest.fixture(scope="module")
def wheel(machine_venv: Venv, tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Built from a copy so that the build leaves no build/ or egg-info in the checkout.
    source = _copy_sources(tmp_path_factory.mktemp("source"))
    out = tmp_path_factory.mktemp("wheel")
    done = machine_venv.pip("wheel", "--no-deps", "--wheel-dir", str(out), str(source))
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    (built,) = out.glob("parallax-*.whl")
    return built


@pytest.mark.skipif(SKIP_SLOW, reason="PARALLAX_SKIP_INSTALL_TEST is set")
def test_the_wheel_carries_every_module_and_the_prompts(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        modules = {
            str(PurePosixPath(p.relative_to(ROOT))) for p in (ROOT / "bot").rglob("*.py")
            if "__pycache__" not in p.parts
        }
        assert modules - names == set()
        prompts = sorted((ROOT / "prompts").glob("*.md"))
        assert prompts
        for prompt in prompts:
            packed = f"bot/prompt_files/{prompt.name}"
            assert packed in names
            assert archive.read(packed) == prompt.read_bytes()


def _run_parallax(venv: Venv, args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {
        key: value for key, value in os.environ.items()
        if not key.endswith("_API_KEY") and key not in {"PARALLAX_CONFIG", "PYTHONPATH"}
    }
    return subprocess.run(
        [str(venv.path / "bin" / "parallax"), *args],
        capture_output=True, text=True, cwd=cwd, env=env, timeout=300, check=False,
    )


@pytest.mark.skipif(SKIP_SLOW, reason="PARALLAX_SKIP_INSTALL_TEST is set")
def test_the_installed_wheel_checks_a_sample_from_another_directory(
    machine_venv: Venv, wheel: Path, tmp_path: Path
) -> None:
    installed = machine_venv.pip("install", str(wheel))
    assert installed.returncode == 0, installed.stdout[-3000:] + installed.stderr[-3000:]
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.copy2(SAMPLE, elsewhere / SAMPLE.name)

    done = _run_parallax(machine_venv, ["check", SAMPLE.name, "--offline", "--json"], elsewhere)
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout)
    assert report["status"] == "complete"
    assert report["failed_stages"] == []
    assert report["article"]["language"] == "fr"
    assert report["summaries"]["fr"]["text"]
    assert report["claims"]
    assert {v["verdict"] for c in report["claims"] for v in c["verdicts"]} == {"uncertain"}
    assert [m["provider"] for m in report["panel"]] == ["offline"]
    assert (elsewhere / "data" / "parallax.db").is_file()  # the default database, beside it

    # The README's sample check in the image, with the image's paths mapped to what the
    # Dockerfile copied there, runs the same way.
    (command,) = [c for c in _readme_docker_runs() if c.argv[:2] == ["parallax", "check"]]
    args = [_host_path(arg) for arg in command.argv[1:]]
    done = _run_parallax(machine_venv, args, elsewhere)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "offline" in done.stdout


# --- the Dockerfile and the README's Docker commands --------------------------------------------


@dataclass(frozen=True)
class Copy:
    """One COPY instruction: its sources (in the context or a stage) and its destination."""

    sources: tuple[str, ...]
    dest: str
    from_stage: str | None


@dataclass(frozen=True)
class Dockerfile:
    """What the tests need from the Dockerfile's final image and its build context."""

    copies: tuple[Copy, ...]  # every stage's
    final_copies: tuple[Copy, ...]
    workdir: str
    volumes: tuple[str, ...]
    user: str | None
    cmd: list[str]
    runs: tuple[str, ...]  # the final stage's RUN lines


def _instructions(text: str) -> list[tuple[str, str]]:
    joined = re.sub(r"\\\n", " ", "\n".join(
        line for line in text.splitlines() if not line.lstrip().startswith("#")
    ))
    out = []
    for line in joined.splitlines():
        if line.strip():
            keyword, _, rest = line.strip().partition(" ")
            out.append((keyword.upper(), rest.strip()))
    return out


def _dockerfile() -> Dockerfile:
    copies: list[Copy] = []
    final: dict[str, object] = {}
    for keyword, rest in _instructions((ROOT / "Dockerfile").read_text(encoding="utf-8")):
        if keyword == "FROM":
            final = {"copies": [], "workdir": "/", "volumes": [], "user": None, "cmd": [],
                     "runs": []}
        elif keyword == "COPY":
            words = shlex.split(rest)
            flags = {w.split("=", 1)[0]: w.split("=", 1)[-1] for w in words if w.startswith("--")}
            paths = [w for w in words if not w.startswith("--")]
            dest = str(PurePosixPath(final["workdir"], paths[-1]))  # type: ignore[arg-type]
            copy = Copy(tuple(p.rstrip("/") for p in paths[:-1]), dest, flags.get("--from"))
            copies.append(copy)
            final["copies"].append(copy)  # type: ignore[attr-defined]
        elif keyword == "WORKDIR":
            final["workdir"] = str(PurePosixPath(final["workdir"], rest))  # type: ignore[arg-type]
        elif keyword == "VOLUME":
            final["volumes"].extend(json.loads(rest))  # type: ignore[attr-defined]
        elif keyword == "USER":
            final["user"] = rest
        elif keyword == "CMD":
            final["cmd"] = json.loads(rest)
        elif keyword == "RUN":
            final["runs"].append(rest)  # type: ignore[attr-defined]
    return Dockerfile(
        tuple(copies), tuple(final["copies"]), str(final["workdir"]),  # type: ignore[arg-type]
        tuple(final["volumes"]), final["user"], final["cmd"],  # type: ignore[arg-type]
        tuple(final["runs"]),  # type: ignore[arg-type]
    )


@dataclass(frozen=True)
class DockerRun:
    """One ``docker run`` of the README: its options and the command run in the image."""

    image: str
    mounts: tuple[tuple[str, str], ...]  # (source, destination)
    argv: list[str]


_VALUE_OPTIONS = {"-e", "--env", "-v", "--volume", "--name", "-p", "--publish", "-w",
                  "--workdir", "--env-file", "-u", "--user", "--mount", "--network"}


def _readme_docker_commands() -> list[list[str]]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Docker\n", 1)[1].split("\n## ", 1)[0]
    block = section.split("```sh\n", 1)[1].split("```", 1)[0]
    lines = block.replace("\\\n", " ").splitlines()
    return [shlex.split(line, comments=True) for line in lines if line.strip()]


def _readme_docker_runs() -> list[DockerRun]:
    runs = []
    for words in _readme_docker_commands():
        if words[:2] != ["docker", "run"]:
            continue
        rest, mounts = words[2:], []
        while rest[0].startswith("-"):
            option = rest.pop(0)
            if option in _VALUE_OPTIONS:
                value = rest.pop(0)
                if option in {"-v", "--volume"}:
                    source, dest, *_ = value.split(":")
                    mounts.append((source, dest))
        runs.append(DockerRun(rest[0], tuple(mounts), rest[1:]))
    return runs


def _in(path: str, folder: str) -> bool:
    return PurePosixPath(path).is_relative_to(PurePosixPath(folder))


def _host_path(arg: str) -> str:
    """The file in the checkout that the Dockerfile copied to ``arg`` (else ``arg`` itself)."""
    image = _dockerfile()
    for copy in image.final_copies:
        if copy.from_stage is None and _in(arg, copy.dest):
            (source,) = copy.sources
            return str(ROOT / source / PurePosixPath(arg).relative_to(copy.dest))
    return arg


def test_the_readme_builds_the_image_it_runs() -> None:
    commands = _readme_docker_commands()
    builds = [w for w in commands if w[:2] == ["docker", "build"]]
    assert builds, "the README's Docker section starts with docker build"
    tag = builds[0][builds[0].index("-t") + 1]
    runs = _readme_docker_runs()
    assert runs and {run.image for run in runs} == {tag}


def test_each_readme_docker_command_is_a_parallax_command_line() -> None:
    from bot.cli import cli

    image = _dockerfile()
    for run in _readme_docker_runs():
        argv = run.argv or image.cmd
        assert argv[0] == "parallax", argv
        result = CliRunner().invoke(cli, [*argv[1:], "--help"])
        assert result.exit_code == 0, (argv, result.output)


def test_the_readme_sample_check_reads_a_file_the_image_carries_outside_the_volume() -> None:
    image = _dockerfile()
    checks = [run for run in _readme_docker_runs() if run.argv[:2] == ["parallax", "check"]]
    assert checks, "the README shows a check of a sample article in the image"
    for run in checks:
        paths = [a for a in run.argv[2:] if not a.startswith("-") and "/" in a]
        assert paths, run.argv
        for path in paths:
            inside = str(PurePosixPath(image.workdir, path))
            assert not any(_in(inside, volume) for volume in image.volumes), inside
            host = Path(_host_path(inside))
            assert host.is_file() and _in(str(host), str(ROOT)), (path, host)


def test_the_readme_mounts_land_where_the_image_reads_them() -> None:
    image = _dockerfile()
    for run in _readme_docker_runs():
        for source, dest in run.mounts:
            if "/" not in source:  # a named volume: only on a declared volume
                assert dest in image.volumes, (source, dest)
            elif PurePosixPath(dest).name == "parallax.toml":  # read from the working directory
                assert str(PurePosixPath(dest).parent) == image.workdir, dest


def test_the_image_runs_the_bot_as_a_user_with_the_database_on_a_volume() -> None:
    image = _dockerfile()
    assert image.cmd == ["parallax", "run"]
    assert image.user not in {None, "root", "0"}
    # The default database (data/parallax.db, relative to the working directory) is on a volume.
    assert str(PurePosixPath(image.workdir, "data")) in image.volumes
    # pip is upgraded before anything is installed with it.
    installs = [i for i, run in enumerate(image.runs) if "pip install" in run]
    upgrades = [i for i, run in enumerate(image.runs) if re.search(r"--upgrade \S*pip\b", run)]
    assert upgrades and installs and upgrades[0] <= installs[0]
    assert re.search(r"pip install .*--upgrade", image.runs[upgrades[0]].split("&&")[0])


def _ignored(path: str, patterns: list[str]) -> bool:
    # .dockerignore: the last matching pattern wins, '!' re-includes, a match covers a folder.
    parts = PurePosixPath(path).parts
    result = False
    for pattern in patterns:
        negate = pattern.startswith("!")
        glob = pattern.lstrip("!").strip("/")
        prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
        if any(
            fnmatch.fnmatchcase(prefix, glob)
            or (glob.startswith("**/") and fnmatch.fnmatchcase(prefix.split("/")[-1], glob[3:]))
            for prefix in prefixes
        ):
            result = not negate
    return result


def test_the_build_context_leaves_out_local_state_and_keeps_the_sources() -> None:
    patterns = [
        line.strip() for line in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    for local in (".venv/bin/python", ".git/HEAD", "data/parallax.db", "data/parallax.db-wal",
                  "bot/__pycache__/cli.cpython-311.pyc", "parallax.toml", ".pytest_cache/x"):
        assert _ignored(local, patterns), local
    for source in _context_sources():
        files = [ROOT / source] if (ROOT / source).is_file() else (ROOT / source).rglob("*")
        for file in files:
            relative = str(PurePosixPath(file.relative_to(ROOT)))
            if file.is_file() and "__pycache__" not in file.parts:
                assert not _ignored(relative, patterns), relative
