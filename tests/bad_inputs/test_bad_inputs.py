"""The bad-input corpus: each folder breaks the mini project one way and names the exact answer.

A case folder holds:

- ``patch.yaml``: what the case breaks, as a list of ``edits`` applied to a copy of
  ``tests/fixtures/mini`` (already built, so its ``out/`` exists), the ``command`` to run
  (default ``[build]``) and the ``exit`` code expected;
- ``files/`` (optional): files copied over the project byte for byte (other encodings, bombs);
- ``expected.txt``: the exact output of the command, with ``$PROJECT`` for the project folder
  and ``$CASE`` for the case folder (both may also appear in ``command``).

Edits: ``{file: F, old: TEXT, new: TEXT}`` replaces the one occurrence of TEXT in F;
``{file: F, write: TEXT, pad_to: N}`` writes F (padded with a comment to N bytes);
``{symlink: F, to: TARGET}``; ``{remove: F}``.

Every case must also leave the previous ``out/`` byte for byte as it was, and show no traceback.
Run with ``KG_UPDATE_BAD_INPUTS=1`` to write the outputs seen into ``expected.txt`` (then review
them: an expected output is a promise to the user).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from ruamel.yaml import YAML

from conftest import copy_built
from kg import validate as validation
from kg.cli import main
from kg.pipeline import BuildResult
from oracle import agree

HERE = Path(__file__).parent
CASES = sorted(p for p in HERE.iterdir() if (p / "patch.yaml").is_file())
UPDATE = os.environ.get("KG_UPDATE_BAD_INPUTS") == "1"


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


@pytest.fixture(scope="module")
def base(
    tmp_path_factory: pytest.TempPathFactory, built_mini: BuildResult
) -> tuple[Path, dict[str, bytes]]:
    """The mini project, built once; each case starts from a copy of it and of its out/."""
    root = tmp_path_factory.mktemp("bad-inputs") / "base"
    project = copy_built(built_mini, root)
    return root, _snapshot(project.out_dir)


def _apply(root: Path, case: Path, edits: list[dict[str, Any]]) -> None:
    overlay = case / "files"
    if overlay.is_dir():
        shutil.copytree(overlay, root, dirs_exist_ok=True)
    for edit in edits:
        if "symlink" in edit:
            link = root / edit["symlink"]
            if link.is_dir() and not link.is_symlink():
                shutil.rmtree(link)
            link.symlink_to(edit["to"])
        elif "remove" in edit:
            (root / edit["remove"]).unlink()
        elif "write" in edit:
            data = edit["write"].encode("utf-8")
            pad = int(edit.get("pad_to", 0)) - len(data)
            if pad > 0:
                data += b"#" + b"x" * (pad - 2) + b"\n"
            (root / edit["file"]).write_bytes(data)
        else:
            path = root / edit["file"]
            text = path.read_text(encoding="utf-8")
            assert text.count(edit["old"]) == 1, f"{case.name}: {edit['old']!r} not once in {path}"
            path.write_text(text.replace(edit["old"], edit["new"]), encoding="utf-8")


def _prepare(case: Path, base_root: Path, tmp_path: Path) -> tuple[Path, dict[str, Any], list[str]]:
    """The case's broken copy of the project, its patch.yaml and its command line."""
    spec = YAML(typ="safe").load((case / "patch.yaml").read_text(encoding="utf-8"))
    root = tmp_path / "project"
    shutil.copytree(base_root, root, symlinks=True)
    _apply(root, case, spec.get("edits", []))
    command = [
        str(arg).replace("$CASE", str(case)).replace("$PROJECT", str(root))
        for arg in spec.get("command", ["build"])
    ]
    return root, spec, ["--project", str(root), *command]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input(case: Path, base: tuple[Path, dict[str, bytes]], tmp_path: Path) -> None:
    base_root, before = base
    root, spec, command = _prepare(case, base_root, tmp_path)

    result = CliRunner().invoke(main, command, catch_exceptions=False)

    output = result.output.replace(str(root), "$PROJECT").replace(str(case), "$CASE")
    # Paths under the current folder are shown relative to it (as a user typed them).
    output = output.replace(f"{os.path.relpath(case)}{os.sep}", f"$CASE{os.sep}")
    expected_file = case / "expected.txt"
    if UPDATE:
        expected_file.write_text(output, encoding="utf-8")
    assert "Traceback" not in output
    assert result.exit_code == spec["exit"], output
    assert output == expected_file.read_text(encoding="utf-8")
    assert _snapshot(root / "out") == before, "the previous out/ was changed"
    assert not list(root.glob(".out.building-*")), "a staging folder was left behind"


# The cases whose answer is a SHACL report: their graphs reach validation.
VALIDATED = [c for c in CASES if "onform" in (c / "expected.txt").read_text(encoding="utf-8")]


@pytest.mark.parametrize("case", VALIDATED, ids=[c.name for c in VALIDATED])
def test_engines_agree_on_a_bad_input(
    case: Path,
    base: tuple[Path, dict[str, bytes]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each graph the command validates: pyshacl, the oracle, reports what the compiled shapes
    report (the build runs in this process, so that its graph can be seen)."""
    root, _, command = _prepare(case, base[0], tmp_path)
    seen: list[str] = []

    def spy(data: Any, shapes: Any, origins: Any = None) -> Any:  # kg build's and kg validate's
        seen.append(agree(data.rdflib_graph(), shapes, origins).text())
        return real(data, shapes, origins)

    real = validation.validate_data
    monkeypatch.setattr(validation, "validate_data", spy)
    monkeypatch.setenv("KG_WORKERS", "inline")
    CliRunner().invoke(main, command, catch_exceptions=False)
    assert seen, "the command validated no graph"
    if command[2] == "validate":  # and pyshacl's own reading of the files prints the same
        pyshacl = CliRunner().invoke(main, [*command[:3], "--engine", "pyshacl", *command[3:]])
        output = pyshacl.output.replace(str(root), "$PROJECT").replace(str(case), "$CASE")
        output = output.replace(f"{os.path.relpath(case)}{os.sep}", f"$CASE{os.sep}")
        assert output == (case / "expected.txt").read_text(encoding="utf-8")


def test_the_corpus_is_large_enough() -> None:
    assert len(CASES) >= 40
