"""Text from the user's files reaches the terminal as written: no emoji codes, no markup.

rich turns ``:100:`` into an emoji and ``[red]`` into a colour unless told not to, on a
terminal and in a pipe alike; an error on line 100 once printed as ``file.yaml💯``.
"""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
from pathlib import Path

from kg.pipeline import build_project
from kg.project import Project

TEXT = ":100: :thumbs_up: [red]x[/]"
QUERY = f'''#+ summary: "{TEXT}"
SELECT ?text WHERE {{ VALUES ?text {{ "{TEXT}" }} }}
'''


def _in_a_pipe(args: list[str], cwd: Path) -> str:
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=120)
    return done.stdout + done.stderr


def _in_a_terminal(args: list[str], cwd: Path) -> str:
    """Run with stdout and stderr on a pseudo-terminal, so that rich sees a terminal."""
    leader, follower = pty.openpty()
    env = {**os.environ, "COLUMNS": "200", "TERM": "xterm-256color"}
    process = subprocess.Popen(args, cwd=cwd, stdout=follower, stderr=follower, env=env)
    os.close(follower)
    chunks = []
    while True:
        ready, _, _ = select.select([leader], [], [], 120)
        if not ready:
            break
        try:
            data = os.read(leader, 65536)
        except OSError:  # the child closed its side
            break
        if not data:
            break
        chunks.append(data)
    process.wait(timeout=120)
    os.close(leader)
    return b"".join(chunks).decode("utf-8", "replace")


def _project_with_a_query(mini: Project) -> Project:
    (mini.root / "queries").mkdir(exist_ok=True)
    (mini.root / "queries" / "emoji.rq").write_text(QUERY, encoding="utf-8")
    build_project(mini)
    return mini


def test_query_list_and_answer_keep_emoji_codes_and_brackets(mini: Project) -> None:
    project = _project_with_a_query(mini)
    kg = [sys.executable, "-m", "kg.cli", "--project", str(project.root), "query"]
    for run in (_in_a_pipe, _in_a_terminal):
        listing = run([*kg, "--list"], project.root)
        answer = run([*kg, "emoji"], project.root)
        for output in (listing, answer):
            assert ":100:" in output and ":thumbs_up:" in output, (run.__name__, output)
            assert "[red]x[/]" in output, (run.__name__, output)
            assert "\N{HUNDRED POINTS SYMBOL}" not in output
            assert "\N{THUMBS UP SIGN}" not in output


def test_an_error_on_line_100_prints_its_line_number_on_a_terminal(mini: Project) -> None:
    reference = mini.data_dir / "reference" / "reference.yaml"
    lines = reference.read_text(encoding="utf-8").splitlines(keepends=True)
    beta = next(i for i, line in enumerate(lines) if "en: Beta" in line)
    lines[beta] = lines[beta].replace("code_sources: [test-codes]", 'code_sources: ":thumbs_up:"')
    padded = lines[:beta] + ["#\n"] * (99 - beta) + lines[beta:]
    reference.write_text("".join(padded), encoding="utf-8")
    output = _in_a_terminal(
        [sys.executable, "-m", "kg.cli", "--project", str(mini.root), "build"], mini.root
    )
    assert "reference.yaml:100: 'code_sources' is ':thumbs_up:'" in output, output
