"""``kg build`` with nothing changed since the build in out/ does not build again (issue 16);
any change to what the build reads, to its options, to its code or to out/ itself does."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from kg import fingerprint, views
from kg.cli import main
from kg.project import Project

UP_TO_DATE = "up to date, nothing it is built from changed"
FORMATS = ("--formats", "nt,ttl")  # the quickest build that still writes the graph
SOURCE = Path("data/sources/test-report.yaml")


def _build(project: Project, *args: str) -> Result:
    return CliRunner().invoke(
        main, ["--project", str(project.root), "build", *args], catch_exceptions=False
    )


def _files(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file of ``folder``: its inode and modification time (a rebuild changes both)."""
    return {
        str(p.relative_to(folder)): (p.stat().st_ino, p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _summary(output: str) -> str:
    (line,) = [line for line in output.splitlines() if line.startswith("Built ")]
    return line.split("; conforms to the shapes")[0]


def test_nothing_changed_is_not_built_again_and_force_builds(mini: Project) -> None:
    first = _build(mini)
    assert first.exit_code == 0, first.output
    assert UP_TO_DATE not in first.output
    before = _files(mini.out_dir)
    again = _build(mini)
    assert again.exit_code == 0, again.output
    assert UP_TO_DATE in again.output
    assert _summary(again.output) == _summary(first.output)
    assert _files(mini.out_dir) == before  # not one file of out/ written again
    assert not list(mini.root.glob(".out.building-*"))
    forced = _build(mini, "--force")
    assert forced.exit_code == 0, forced.output
    assert UP_TO_DATE not in forced.output
    assert _summary(forced.output) == _summary(first.output)
    assert _files(mini.out_dir).keys() == before.keys()
    assert _files(mini.out_dir) != before  # a new out/, swapped in
    assert UP_TO_DATE in _build(mini).output  # the forced build is the one recorded now


def test_a_record_hashes_only_the_files_that_changed(
    mini: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    hashed: list[str] = []
    real = views.file_digest

    def counted(path: Path) -> str:
        hashed.append(path.relative_to(mini.root).as_posix())
        return real(path)

    monkeypatch.setattr(views, "file_digest", counted)
    assert _build(mini, *FORMATS).exit_code == 0
    assert SOURCE.as_posix() in hashed  # the first record hashes every file
    hashed.clear()
    assert _build(mini, *FORMATS, "--force").exit_code == 0
    assert hashed == []  # the same times and sizes: the digests of the last record
    path = mini.root / SOURCE
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Test", "Tset", 1), encoding="utf-8")  # the same size
    assert _build(mini, *FORMATS).exit_code == 0
    assert set(hashed) == {SOURCE.as_posix()}  # (read by the up-to-date check, then recorded)
    path.write_text(text, encoding="utf-8")  # the old bytes back, with new times
    hashed.clear()
    assert _build(mini, *FORMATS).exit_code == 0
    assert set(hashed) == {SOURCE.as_posix()}


def test_a_save_without_an_edit_is_no_change(mini: Project) -> None:
    assert _build(mini, *FORMATS).exit_code == 0
    path = mini.root / SOURCE
    path.write_bytes(path.read_bytes())  # a new modification time, the same bytes
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    assert UP_TO_DATE in _build(mini, *FORMATS).output


def _append(relative: str, text: str) -> Callable[[Project], None]:
    def change(project: Project) -> None:
        path = project.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(text)

    return change


def _remove(relative: str) -> Callable[[Project], None]:
    return lambda project: (project.root / relative).unlink()


def _same_size_edit(relative: str, old: str, new: str) -> Callable[[Project], None]:
    """``old`` replaced by ``new`` (as long) in ``relative``, its modification time kept."""

    def change(project: Project) -> None:
        path = project.root / relative
        stat = path.stat()
        text = path.read_text(encoding="utf-8")
        assert old in text and len(old.encode()) == len(new.encode())
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        assert path.stat().st_size == stat.st_size

    return change


CHANGES: dict[str, Callable[[Project], None]] = {
    "a data file edited": _append(str(SOURCE), "# a curator's note\n"),
    "a data file edited, its size and time kept": _same_size_edit(
        str(SOURCE), "{en: the test report,", "{en: the best report,"
    ),
    "a data file added": lambda p: (p.data_dir / "reference" / "more.yaml").write_text(
        "areas: []\n", encoding="utf-8"
    ),
    "a query added": _append("queries/all.rq", "SELECT * WHERE { ?s ?p ?o }\n"),
    "the ontology edited": _append("ontology/dckg.ttl", "\n# a comment\n"),
    "the shapes edited": _append("ontology/shapes.ttl", "\n# a comment\n"),
    "the source text edited": _append("texts/test-report.txt", "\n"),
    "dckg.toml edited": _append("dckg.toml", "\n# a comment\n"),
    "a file of out/ edited": _append("out/kg.ttl", "\n"),
    "a file of out/ edited, its size and time kept": _same_size_edit(
        "out/kg.ttl", "Test Report", "Best Report"
    ),
    "a file of out/ removed": _remove("out/kg.nt"),
    "a file added to out/": _append("out/extra.txt", "x\n"),
}


@pytest.mark.parametrize("change", CHANGES, ids=list(CHANGES))
def test_a_change_builds_again(mini: Project, change: str) -> None:
    assert _build(mini, *FORMATS).exit_code == 0
    assert UP_TO_DATE in _build(mini, *FORMATS).output  # the change below is the only one
    CHANGES[change](mini)
    result = _build(mini, *FORMATS)
    assert result.exit_code == 0, result.output
    assert UP_TO_DATE not in result.output
    assert "Built " in result.output
    assert (mini.out_dir / "kg.nt").is_file() and not (mini.out_dir / "extra.txt").exists()


def test_other_formats_or_another_out_folder_build_again(mini: Project, tmp_path: Path) -> None:
    assert _build(mini, *FORMATS).exit_code == 0
    result = _build(mini, "--formats", "nt")
    assert UP_TO_DATE not in result.output and not (mini.out_dir / "kg.ttl").exists()
    assert UP_TO_DATE in _build(mini, "--formats", "nt").output
    elsewhere = _build(mini, "--formats", "nt", "--out", str(tmp_path / "elsewhere"))
    assert UP_TO_DATE not in elsewhere.output and (tmp_path / "elsewhere" / "kg.nt").is_file()


def test_other_code_builds_again(mini: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    """kg's own files (and the libraries' versions) are in the key: a developer's edit counts."""
    assert _build(mini, *FORMATS).exit_code == 0
    monkeypatch.setattr(views, "code_digest", lambda: "the digest of other code")
    assert UP_TO_DATE not in _build(mini, *FORMATS).output
    assert UP_TO_DATE in _build(mini, *FORMATS).output


def _break_a_shape(project: Project) -> None:
    """A share of 160%: the loader and the quote check pass it, the shapes do not."""
    report = project.root / SOURCE
    report.write_text(
        report.read_text(encoding="utf-8")
        .replace("value: 60\n", "value: 160\n")
        .replace("wording: {zh: 60%以上}", "wording: {zh: 160%以上}")
        .replace("zh: 甲省部件占比60%以上}", "zh: 甲省部件占比160%以上}"),
        encoding="utf-8",
    )
    text = project.root / "texts" / "test-report.txt"
    text.write_text(
        text.read_text(encoding="utf-8").replace("占比60%", "占比160%"), encoding="utf-8"
    )


def test_a_build_that_found_problems_finds_them_again(mini: Project) -> None:
    assert _build(mini, *FORMATS).exit_code == 0
    before = _files(mini.out_dir)
    _break_a_shape(mini)
    found = _build(mini, *FORMATS)
    assert found.exit_code == 1, found.output
    problem = "a share is stated in percent (unit:PERCENT), between 0 and 100"
    assert problem in found.output and UP_TO_DATE not in found.output
    again = _build(mini, *FORMATS)
    assert again.exit_code == 1, again.output
    assert problem in again.output and f"{mini.root / SOURCE}:" in again.output
    assert "up to date: nothing changed since the build that found this" in again.output
    assert "hint: fix the records at the file:line shown" in again.output
    assert _files(mini.out_dir) == before  # the build before the problems is still out/
    forced = _build(mini, *FORMATS, "--force")
    assert forced.exit_code == 1 and "up to date" not in forced.output


def test_a_build_that_failed_keeps_no_record(mini: Project) -> None:
    report = mini.root / SOURCE
    report.write_text(
        report.read_text(encoding="utf-8").replace("value: 1425000", "value: 142.5万"),
        encoding="utf-8",
    )
    for _ in range(2):
        result = _build(mini, *FORMATS)
        assert result.exit_code == 2 and "Error:" in result.output
        assert "up to date" not in result.output
    assert not fingerprint.record_path(mini.out_dir.resolve()).exists()


def test_a_file_edited_while_the_build_runs_is_built_again(
    mini: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kg import pipeline

    real = pipeline.build_project

    def build_and_save(*args: object, **kwargs: object) -> pipeline.BuildResult:
        result = real(*args, **kwargs)  # type: ignore[arg-type]
        # as long as before: the record must not hold the old size and the new bytes' digest
        _same_size_edit(str(SOURCE), "{en: the test report,", "{en: the best report,")(mini)
        return result

    monkeypatch.setattr(pipeline, "build_project", build_and_save)
    assert _build(mini, *FORMATS).exit_code == 0
    monkeypatch.setattr(pipeline, "build_project", real)
    assert UP_TO_DATE not in _build(mini, *FORMATS).output
    assert UP_TO_DATE in _build(mini, *FORMATS).output


def test_the_up_to_date_build_loads_none_of_the_heavy_libraries(mini: Project) -> None:
    assert _build(mini, *FORMATS).exit_code == 0
    probe = (
        "import sys\nfrom kg.cli import main\n"
        f"main(['--project', {str(mini.root)!r}, 'build', '--formats', 'nt,ttl'], "
        "standalone_mode=False)\n"
        "print(' '.join(sorted(sys.modules)))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert UP_TO_DATE in done.stdout
    loaded = set(done.stdout.split())
    heavy = {"rdflib", "pyoxigraph", "pyshacl", "matplotlib", "networkx", "ruamel.yaml", "yaml"}
    assert not heavy & loaded, heavy & loaded
