"""Every console block of README.md and docs/ is what the tool prints (documentation tests).

Each ```console block is a session: ``$ command`` lines, each followed by the output it
prints. The test runs the commands in a fresh copy of the repository's project, built once
(or of the fictional project, for a block marked ``<!-- console: fixture -->``), and
compares the output line by line. Only durations (``7.4 s``), rates (``triples/s``), the
temporary project's path (shown as ``/home/you/dckg``) and the port of a server the test
starts are normalised; counts, names, exit codes and messages must match exactly.

Marks, on the line before a block:
- ``<!-- console: fixture -->``: run in the fictional project of tests/fixtures/mini;
- ``<!-- console: server -->``: needs a server (``kg serve``, ``oxigraph serve … &``),
  started and stopped here, under the ``server`` marker;
- ``<!-- console: stand-ins -->``: uses the stand-ins of tests/fixtures and kg extract's
  gold (copied into the project as ``tests/fixtures/`` and ``tests/extract/gold/``);
- ``<!-- console: not run: REASON -->``: shown to readers, not run (at most three).

A fenced block marked ``<!-- file: NAME -->`` is written to NAME in the project before the
next console block runs (the text a command reads). ``../shared`` beside the project copy is
the repository's ``../shared``, as in a clone.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from conftest import FIXTURES, REPO, copy_project, pick_free_port
from conftest import SHARED_SOURCES as _SOURCES
from kg.server import oxigraph_command, wait_for_port

SHARED = _SOURCES.parent
DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
BLOCK = re.compile(
    r"(?:<!-- console: (?P<mark>[^\n]*?) -->[ \t]*\n)?^```console\n(?P<body>.*?)^```", re.S | re.M
)
FILE = re.compile(r"<!-- file: (?P<name>\S+) -->[ \t]*\n^```[^\n]*\n(?P<body>.*?)^```", re.S | re.M)
SHOWN_AS = "/home/you/dckg"
PORT_IN_DOCS = re.compile(r"(127\.0\.0\.1:|--port )(\d{4,5})")
MOST_NOT_RUN = 3
COLUMNS = "100"


@dataclass(frozen=True)
class Step:
    command: str
    expected: tuple[str, ...]


@dataclass(frozen=True)
class Block:
    path: Path
    line: int
    mark: str
    steps: tuple[Step, ...]
    files: tuple[tuple[str, str], ...] = ()

    @property
    def name(self) -> str:
        return f"{self.path.relative_to(REPO)}:{self.line}"


def _steps(body: str) -> tuple[Step, ...]:
    steps: list[Step] = []
    command: str | None = None
    expected: list[str] = []
    lines = body.split("\n")
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.startswith("$ "):
            if command is not None:
                steps.append(Step(command, tuple(expected)))
            command, expected = line[2:], []
            while command.endswith("\\") and index + 1 < len(lines):  # a continued command
                index += 1
                command = command[:-1].rstrip() + " " + lines[index].strip()
        elif command is not None:
            expected.append(line)
        index += 1
    if command is not None:
        steps.append(Step(command, tuple(expected)))
    return tuple(Step(s.command, tuple(_trim(list(s.expected)))) for s in steps)


def _trim(lines: list[str]) -> list[str]:
    while lines and not lines[-1].strip():
        lines.pop()
    return lines


def blocks() -> list[Block]:
    found = []
    for path in DOCS:
        text = path.read_text(encoding="utf-8")
        pending = [(m.start(), m.group("name"), m.group("body")) for m in FILE.finditer(text)]
        for match in BLOCK.finditer(text):
            line = text.count("\n", 0, match.start("body"))
            files = tuple((name, body) for at, name, body in pending if at < match.start())
            pending = [item for item in pending if item[0] > match.start()]
            found.append(
                Block(
                    path,
                    line,
                    (match.group("mark") or "").strip(),
                    _steps(match.group("body")),
                    files,
                )
            )
    return found


BLOCKS = blocks()
RUN = [b for b in BLOCKS if not b.mark.startswith("not run")]


def _strip_comment(command: str) -> str:
    """``kg serve   # in another terminal`` -> ``kg serve`` (a # inside quotes is kept)."""
    lexer = shlex.shlex(command, posix=True, punctuation_chars=False)
    lexer.whitespace_split = True
    lexer.commenters = "#"
    try:
        return shlex.join(list(lexer)) if "#" in command else command
    except ValueError:
        return command


def normalise(text: str, root: Path) -> list[str]:
    text = text.replace(str(root), SHOWN_AS)
    text = re.sub(r"\b\d+(?:\.\d+)? s\b", "N s", text)
    text = re.sub(r"\b[\d,]+(?:\.\d+)? triples/s", "N triples/s", text)
    return _trim([line.rstrip() for line in text.split("\n")])


@dataclass
class Session:
    """One block's shell: its project copy, environment, background servers, last exit code."""

    root: Path
    env: dict[str, str]
    ports: dict[str, str] = field(default_factory=dict)
    background: list[subprocess.Popen[bytes]] = field(default_factory=list)
    last: int = 0

    def port(self, text: str) -> str:
        """The doc's ports (127.0.0.1:7878) become free ones, the same for the whole block."""

        def free(match: re.Match[str]) -> str:
            documented = match.group(2)
            self.ports.setdefault(documented, str(pick_free_port()))
            return f"{match.group(1)}{self.ports[documented]}"

        return PORT_IN_DOCS.sub(free, text)

    def unport(self, text: str) -> str:
        for documented, used in self.ports.items():
            text = text.replace(f"127.0.0.1:{used}", f"127.0.0.1:{documented}")
        return text

    def run(self, step: Step) -> str:
        command = self.port(_strip_comment(step.command))
        if command == "echo $?":
            return f"{self.last}\n"
        if command.startswith("export "):
            name, _, value = command[len("export ") :].partition("=")
            self.env[name] = shlex.split(value)[0] if value else ""
            return ""
        words = shlex.split(command)
        if words[0] == "kg":
            words = [sys.executable, "-m", "kg.cli", *words[1:]]
        elif words[0] == "oxigraph":  # the PyPI package's server, beside this Python
            words = [oxigraph_command(), *words[1:]]
        serving = words[:2] == [sys.executable, "-m"] and words[3:4] == ["serve"]
        if words[-1] == "&" or serving:
            return self._background([w for w in words if w != "&"], len(step.expected))
        done = subprocess.run(
            words,
            cwd=self.root,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            timeout=600,
        )
        self.last = done.returncode
        return done.stdout.decode("utf-8", "replace")

    def _background(self, words: list[str], lines: int) -> str:
        process = subprocess.Popen(
            words, cwd=self.root, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
        self.background.append(process)
        for port in self.ports.values():
            wait_for_port(int(port), timeout=60, process=process)
        assert process.stdout is not None
        return "".join(process.stdout.readline().decode() for _ in range(lines))

    def close(self) -> None:
        for process in self.background:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            if process.stdout is not None:
                process.stdout.close()


def _copy_built(source: Path, target: Path) -> Path:
    shutil.copytree(source, target, symlinks=True)
    return target


@pytest.fixture(scope="module")
def built_projects(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The repository's project and the fictional one, each copied and built once."""
    base = tmp_path_factory.mktemp("docs")
    repo = base / "repo"
    repo.mkdir()
    for name in ("ontology", "queries", "data"):
        shutil.copytree(REPO / name, repo / name)
    mini = copy_project(FIXTURES / "mini", base / "mini").root
    for root in (repo, mini):
        done = subprocess.run(
            [sys.executable, "-m", "kg.cli", "build"], cwd=root, capture_output=True, timeout=900
        )
        assert done.returncode == 0, done.stdout + done.stderr
    return {"repo": repo, "fixture": mini}


def _params() -> Iterator[object]:
    for block in RUN:
        marks = [pytest.mark.server] if block.mark == "server" else []
        yield pytest.param(block, id=block.name, marks=marks)


@pytest.mark.parametrize("block", list(_params()))
def test_console_block(block: Block, built_projects: dict[str, Path], tmp_path: Path) -> None:
    kind = "fixture" if block.mark == "fixture" else "repo"
    root = _copy_built(built_projects[kind], tmp_path / "dckg")
    if block.mark == "stand-ins":
        shutil.copytree(FIXTURES, root / "tests" / "fixtures")
        for folder in ("gold", "heldout"):
            shutil.copytree(
                REPO / "tests" / "extract" / folder, root / "tests" / "extract" / folder
            )
    for name, body in block.files:
        (root / name).write_text(body, encoding="utf-8")
    if SHARED.is_dir():
        (tmp_path / "shared").symlink_to(SHARED)
    env = {**os.environ, "COLUMNS": COLUMNS, "PYTHONUNBUFFERED": "1", "NO_COLOR": "1"}
    env.pop("KG_STORE_PASSWORD", None)
    session = Session(root, env)
    try:
        for step in block.steps:
            started = time.monotonic()
            output = session.unport(session.run(step))
            assert normalise(output, root) == normalise("\n".join(step.expected), root), (
                f"{block.name}: $ {step.command} ({time.monotonic() - started:.1f} s)"
            )
    finally:
        session.close()


def test_blocks_run_and_not_run(summary: Callable[[str], None]) -> None:
    not_run = [b for b in BLOCKS if b.mark.startswith("not run")]
    for block in not_run:
        reason = block.mark.partition(":")[2].strip()
        assert reason, f"{block.name}: a block that is not run says why"
    summary(f"{len(RUN)} console blocks run, {len(not_run)} not run")
    assert len(not_run) <= MOST_NOT_RUN, [b.name for b in not_run]
    assert len(RUN) >= 10
