"""The options that changed on purpose: kg query --out, kg link --links-dir (--out deprecated);
the --formats check in the library; the public surface of ``kg`` pinned."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import kg
from conftest import FIXTURES, REPO
from kg.cli import main
from kg.outputs import ALL_FORMATS, Build, FormatError, OutputFormat, parse_formats
from kg.pipeline import BuildResult
from kg.project import Project


def run(project: Project, *args: str) -> Result:
    return CliRunner().invoke(main, ["--project", str(project.root), *args])


def test_the_public_surface_is_pinned() -> None:
    assert kg.__all__ == [
        "BuildResult",
        "InputError",
        "KgError",
        "ProblemFound",
        "Project",
        "RecordError",
        "RemoteError",
        "__version__",
        "build_project",
        "find_project",
        "validate_files",
    ]
    for name in kg.__all__:
        assert getattr(kg, name) is not None, name


def test_python_dash_m_kg_is_the_kg_command() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "kg", "--version"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0 and done.stdout == f"kg (dckg) {kg.__version__}\n"


def test_formats_are_checked_once_in_the_library() -> None:
    assert parse_formats("nt, ttl") == {OutputFormat.NT, OutputFormat.TTL}
    assert parse_formats(f.value for f in OutputFormat) == ALL_FORMATS
    with pytest.raises(FormatError, match="unknown format rdfxml; choose from jsonld, nt"):
        parse_formats("nt,rdfxml")
    with pytest.raises(FormatError, match=r"unknown format \(none\)"):
        parse_formats(" , ")
    with pytest.raises(FormatError, match="views are drawn from the embedded store"):
        parse_formats("nt,views")
    assert OutputFormat.VIEWS.files == ("analysis", "site")
    out = Build(Path("elsewhere"))
    assert (out.store, out.nt, out.site) == tuple(
        Path("elsewhere", n) for n in ("store", "kg.nt", "site")
    )


def test_kg_query_out_reads_a_build_written_elsewhere(
    built_mini: BuildResult, tmp_path: Path
) -> None:
    project = Project(tmp_path / "project")
    shutil.copytree(FIXTURES / "mini", project.root)
    shutil.copytree(REPO / "ontology", project.ontology_dir)
    project.queries_dir.mkdir()
    (project.queries_dir / "areas.rq").write_text(
        "SELECT ?a WHERE { ?a a <https://w3id.org/dckg/ontology#ProvincialLevelDivision> }\n"
        "ORDER BY ?a\n",
        encoding="utf-8",
    )
    default = run(project, "query", "areas", "-f", "csv")  # out/ of this project: no build
    assert default.exit_code == 2 and "kg build" in default.output
    elsewhere = run(project, "query", "areas", "-f", "csv", "--out", str(built_mini.out_dir))
    assert elsewhere.exit_code == 0, elsewhere.output
    assert elsewhere.output.splitlines() == [
        "a",
        "https://w3id.org/dckg/id/area/alpha",
        "https://w3id.org/dckg/id/area/beta",
    ]


def test_kg_link_links_dir_and_its_deprecated_alias(mini: Project, tmp_path: Path) -> None:
    dumps = [
        "--dump",
        str(FIXTURES / "geonames" / "admin1CodesASCII.txt"),
        "--dump",
        str(FIXTURES / "geonames" / "admin2Codes.txt"),
    ]
    new = run(mini, "link", "--target", "geonames", *dumps, "--links-dir", str(tmp_path / "a"))
    assert new.exit_code == 0, new.output
    assert "deprecated" not in new.output
    old = run(mini, "link", "--target", "geonames", *dumps, "--out", str(tmp_path / "b"))
    assert old.exit_code == 0, old.output
    assert "Warning: kg link --out is deprecated" in old.stderr and "--links-dir" in old.stderr
    made = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert made and made == sorted(p.name for p in (tmp_path / "b").iterdir())
    for name in made:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    assert not (mini.data_dir / "links").exists() or not any((mini.data_dir / "links").iterdir())
