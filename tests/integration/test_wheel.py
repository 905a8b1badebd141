"""The wheel as a user installs it: ``kg init`` and ``kg build`` in a folder of one's own.

Every other test runs from this repository; this one builds the wheel, installs it into a
fresh virtual environment outside the repository and starts a project there, so a file the
wheel forgets (the ontology, the shapes, the queries) fails here first.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

from conftest import REPO

SHIPPED = (
    "src",
    "ontology",
    "queries",
    "pyproject.toml",
    "setup.py",
    "MANIFEST.in",
    "README.md",
    "LICENSE",
)


def _run(args: list[str | Path], cwd: Path, env: dict[str, str]) -> str:
    done = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout + done.stderr


def test_the_wheel_starts_and_builds_a_project_outside_the_repository(tmp_path: Path) -> None:
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    for name in SHIPPED:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(
                source, checkout / name, ignore=shutil.ignore_patterns("*.egg-info", "__pycache__")
            )
        else:
            shutil.copyfile(source, checkout / name)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    _run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            tmp_path / "dist",
            checkout,
        ],
        tmp_path,
        env,
    )
    (wheel,) = (tmp_path / "dist").glob("dckg-*.whl")

    fresh = tmp_path / "fresh"
    _run([sys.executable, "-m", "venv", "--without-pip", fresh], tmp_path, env)
    python = fresh / "bin" / "python"
    _run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            python,
            "install",
            "--quiet",
            "--no-deps",
            "--no-index",
            wheel,
        ],
        tmp_path,
        env,
    )
    # The dependencies come from this environment's site-packages (no second download);
    # dckg itself only from the wheel: a .pth line adds a path, not its editable finders.
    purelib = Path(sysconfig.get_paths()["purelib"])
    fresh_lib = Path(
        _run(
            [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            tmp_path,
            env,
        ).strip()
    )
    (fresh_lib / "dependencies-of-the-test.pth").write_text(f"{purelib}\n", encoding="utf-8")
    where = _run([python, "-c", "import kg; print(kg.__file__)"], tmp_path, env).strip()
    assert Path(where).is_relative_to(fresh), where

    kg = fresh / "bin" / "kg"
    home = tmp_path / "elsewhere"
    home.mkdir()
    said = _run([kg, "init", "my-graph"], home, env)
    assert "Next: cd my-graph && kg build" in said
    project = home / "my-graph"
    assert (project / "ontology" / "shapes.ttl").is_file()
    assert sorted(p.name for p in (project / "queries").glob("*.rq")) == sorted(
        p.name for p in (REPO / "queries").glob("*.rq")
    )
    built = _run([kg, "build"], project, env)
    assert "conforms to the shapes" in built, built
    assert (project / "out" / "kg.ttl").is_file()
    listing = _run([kg, "query", "--list"], project, env)
    assert "top10-lists" in listing
    again = subprocess.run(
        [str(kg), "init", "my-graph"], cwd=home, env=env, capture_output=True, text=True
    )
    assert again.returncode == 2 and "is not an empty folder" in again.stderr
