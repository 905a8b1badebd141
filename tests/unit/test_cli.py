"""The CLI contract: exit codes 0/1/2, messages with file:line, no tracebacks, out/ kept whole."""

from __future__ import annotations

import os
from pathlib import Path

import click
from click.testing import CliRunner, Result

from conftest import REPO
from kg import __version__
from kg.cli import main
from kg.pipeline import OUTPUT_FILES
from kg.project import Project

BASE = Path(__file__).resolve().parents[1] / "shapes" / "base.ttl"


def run(project: Project | None, *args: str) -> Result:
    prefix = ["--project", str(project.root)] if project is not None else []
    return CliRunner().invoke(main, [*prefix, *args], catch_exceptions=False)


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def test_version() -> None:
    result = run(None, "--version")
    assert result.exit_code == 0
    assert __version__ in result.output


def test_build_writes_out_and_prints_a_summary(mini: Project) -> None:
    result = run(mini, "build")
    assert result.exit_code == 0, result.output
    assert "5 statements from 1 source; conforms to the shapes" in result.output
    for name in OUTPUT_FILES:
        assert (mini.out_dir / name).is_file(), name
    assert (mini.out_dir / "store" / "CURRENT").is_file()
    assert not list(mini.root.glob(".out.building-*"))


def test_malformed_record_exits_2_and_keeps_the_previous_out(mini: Project) -> None:
    assert run(mini, "build").exit_code == 0
    before = _snapshot(mini.out_dir)
    report = mini.data_dir / "sources" / "test-report.yaml"
    report.write_text(
        report.read_text(encoding="utf-8").replace("value: 1425000", "value: 142.5万"),
        encoding="utf-8",
    )
    result = run(mini, "build")
    assert result.exit_code == 2
    assert "Error:" in result.output and f"{report}:" in result.output
    assert "Traceback" not in result.output
    assert _snapshot(mini.out_dir) == before


def test_shape_violation_exits_1_with_file_and_line(mini: Project) -> None:
    assert run(mini, "build").exit_code == 0
    before = _snapshot(mini.out_dir)
    report = mini.data_dir / "sources" / "test-report.yaml"
    text = (
        report.read_text(encoding="utf-8")
        .replace("value: 60\n", "value: 160\n")
        .replace("wording: {zh: 60%以上}", "wording: {zh: 160%以上}")
        .replace("zh: 甲省部件占比60%以上}", "zh: 甲省部件占比160%以上}")
    )
    report.write_text(text, encoding="utf-8")
    # The quote and the source text say 160% too: only the shape is left to catch it.
    source_text = mini.root / "texts" / "test-report.txt"
    source_text.write_text(
        source_text.read_text(encoding="utf-8").replace("占比60%", "占比160%"), encoding="utf-8"
    )
    result = run(mini, "build")
    assert result.exit_code == 1
    line = next(n for n, t in enumerate(text.splitlines(), 1) if "id: widget-share-2021" in t)
    assert f"{report}:{line}: " in result.output
    assert "a share is stated in percent (unit:PERCENT), between 0 and 100" in result.output
    assert _snapshot(mini.out_dir) == before


def test_validate_exit_codes(mini: Project, tmp_path: Path) -> None:
    assert run(mini, "validate", str(BASE)).exit_code == 0
    broken = tmp_path / "broken.ttl"
    broken.write_text(
        BASE.read_text(encoding="utf-8").replace('dckg:adminCode "990000"', 'dckg:adminCode "99"'),
        encoding="utf-8",
    )
    result = run(mini, "validate", str(broken))
    assert result.exit_code == 1
    assert "GB/T 2260 code must be one string of six digits" in result.output
    garbage = tmp_path / "garbage.ttl"
    garbage.write_text("this is not turtle", encoding="utf-8")
    result = run(mini, "validate", str(garbage))
    assert result.exit_code == 2 and "not valid RDF" in result.output
    assert run(mini, "validate", str(tmp_path / "missing.ttl")).exit_code == 2


def test_stats_after_a_build(mini: Project) -> None:
    assert run(mini, "build").exit_code == 0
    result = run(mini, "stats")
    assert result.exit_code == 0
    assert "Statements by source" in result.output and "widgets" in result.output


def test_stats_without_a_build(mini: Project) -> None:
    result = run(mini, "stats")
    assert result.exit_code == 2 and "run `kg build` first" in result.output


def test_no_project_is_an_input_error(tmp_path: Path, monkeypatch: object) -> None:
    result = CliRunner().invoke(main, ["--project", str(tmp_path), "build"])
    assert result.exit_code == 2
    assert "not a dckg project" in result.output


def test_every_command_has_help_and_is_documented() -> None:
    """Each command is in README's table of commands and has its own section in docs/cli.md."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    reference = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
    assert isinstance(main, click.Group)
    for name, command in main.commands.items():
        assert command.help, name
        assert f"| `kg {name}" in readme, name
        assert f"\n## `kg {name}" in reference, name


def test_query_formats_and_ask_exit_codes(mini: Project, tmp_path: Path) -> None:
    assert run(mini, "build").exit_code == 0
    (mini.queries_dir).mkdir(exist_ok=True)
    (mini.queries_dir / "widgets.rq").write_text(
        "#+ summary: widget values\n#+ tags: [test]\n"
        "PREFIX dckg: <https://w3id.org/dckg/ontology#>\n"
        "SELECT ?s ?v WHERE { ?s dckg:indicator ?_indicator_iri ; dckg:value ?v } ORDER BY ?v\n"
        "#+ defaults:\n#+   - indicator_iri: https://w3id.org/dckg/id/indicator/widgets\n",
        encoding="utf-8",
    )
    (mini.queries_dir / "has-alpha.rq").write_text(
        "#+ summary: is the area called Alpha?\n"
        'ASK { ?_area_iri <http://www.w3.org/2000/01/rdf-schema#label> "Alpha"@en }\n',
        encoding="utf-8",
    )
    csv_out = run(mini, "query", "widgets", "--format", "csv")
    assert csv_out.exit_code == 0, csv_out.output
    assert csv_out.output.splitlines()[0] == "s,v"
    assert csv_out.output.splitlines()[1].endswith(",2")
    tsv_out = run(mini, "query", "widgets", "-f", "tsv")
    assert tsv_out.output.splitlines()[0] == "?s\t?v"
    assert '"2"^^<http://www.w3.org/2001/XMLSchema#integer>' in tsv_out.output
    json_out = run(mini, "query", "widgets", "-f", "json")
    assert '"vars": [' in json_out.output and '"bindings"' in json_out.output
    assert run(mini, "query", "has-alpha", "-p", "area=alpha").exit_code == 0
    false = run(mini, "query", "has-alpha", "-p", "area=beta")
    assert false.exit_code == 1 and false.output.strip() == "false"
    nowhere = run(mini, "query", "has-alpha", "-p", "area=nowhere")  # a typo, not a "no"
    assert nowhere.exit_code == 2 and "names nothing in the graph" in nowhere.output
    missing = run(mini, "query", "has-alpha")
    assert missing.exit_code == 2 and "needs --param area=VALUE" in missing.output
    listing = run(mini, "query", "--list")
    assert listing.exit_code == 0 and "widget values" in listing.output


def test_query_on_an_endpoint_that_is_down(mini: Project, free_port: int) -> None:
    (mini.queries_dir).mkdir(exist_ok=True)
    (mini.queries_dir / "any.rq").write_text(
        "#+ summary: any\nASK { ?s ?p ?o }\n", encoding="utf-8"
    )
    result = run(
        mini, "query", "any", "--endpoint", f"http://127.0.0.1:{free_port}/query", "--timeout", "5"
    )
    assert result.exit_code == 3
    assert "cannot reach" in result.output and "Traceback" not in result.output


def test_build_formats_choose_the_files(mini: Project) -> None:
    full = run(mini, "build")
    assert full.exit_code == 0, full.output
    want = {name: (mini.out_dir / name).read_bytes() for name in ("kg.nt", "kg.ttl")}
    result = run(mini, "build", "--formats", "nt, ttl")
    assert result.exit_code == 0, result.output
    assert {name: (mini.out_dir / name).read_bytes() for name in want} == want
    assert not (mini.out_dir / "kg.trig").exists()
    assert not (mini.out_dir / "kg.jsonld").exists()
    assert not (mini.out_dir / "store").exists()
    assert (mini.out_dir / "void.ttl").is_file() and (mini.out_dir / "statements.csv").is_file()
    mini.queries_dir.mkdir(exist_ok=True)
    (mini.queries_dir / "all.rq").write_text("SELECT * WHERE { ?s ?p ?o }\n", encoding="utf-8")
    query = run(mini, "query", "all")
    assert query.exit_code == 2 and "no store" in query.output and "kg build" in query.output
    bad = run(mini, "build", "--formats", "nt,rdfxml")
    assert bad.exit_code == 2 and "unknown format rdfxml" in bad.output
    assert run(mini, "build", "--formats", "store").exit_code == 0
    assert (mini.out_dir / "store" / "CURRENT").is_file()
    assert not (mini.out_dir / "kg.trig").exists() and not (mini.out_dir / "kg.nt").exists()


def test_a_format_the_query_form_cannot_take_is_exit_2(mini: Project) -> None:
    """A SELECT asked for Turtle once printed a table, silently."""
    assert run(mini, "build").exit_code == 0
    mini.queries_dir.mkdir(exist_ok=True)
    (mini.queries_dir / "areas.rq").write_text(
        "#+ summary: areas\nSELECT ?s WHERE { ?s a ?c } LIMIT 1\n", encoding="utf-8"
    )
    (mini.queries_dir / "anything.rq").write_text(
        "#+ summary: anything\nASK { ?s ?p ?o }\n", encoding="utf-8"
    )
    (mini.queries_dir / "copy.rq").write_text(
        "#+ summary: copy\nCONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 1\n", encoding="utf-8"
    )
    for name, fmt, takes in (
        ("areas", "turtle", "table, csv, tsv or json"),
        ("areas", "ntriples", "table, csv, tsv or json"),
        ("anything", "turtle", "table, csv, tsv or json"),
        ("copy", "csv", "turtle or ntriples"),
    ):
        result = run(mini, "query", name, "--format", fmt)
        assert result.exit_code == 2, (name, fmt, result.output)
        assert f"takes --format {takes}" in result.output, result.output
    assert run(mini, "query", "copy", "--format", "ntriples").exit_code == 0
    assert run(mini, "query", "anything", "--format", "json").exit_code == 0


def test_help_lists_commands_in_the_order_of_the_workflow() -> None:
    result = run(None, "--help")
    listed = [
        line.split()[0]
        for line in result.output.split("Commands:")[1].splitlines()
        if line.startswith("  ") and line.split()
    ]
    workflow = ["build", "validate", "stats", "query", "serve", "load", "link", "analyse", "report"]
    assert [c for c in listed if c in workflow] == workflow, listed
    assert listed[: len(workflow) + 1] == ["init", *workflow], listed
    assert "Example:" in result.output


def test_tables_never_split_an_id_and_suggest_csv_when_too_wide(
    linked_repo: Path,
) -> None:
    """At 80 columns `kg query --list` once printed "identifier-resoluti" / "on-nodes"."""
    import subprocess
    import sys

    env = {**os.environ, "COLUMNS": "80"}
    kg = [sys.executable, "-m", "kg.cli", "--project", str(linked_repo), "query"]
    listing = subprocess.run([*kg, "--list"], capture_output=True, text=True, env=env)
    assert listing.returncode == 0, listing.stderr
    names = [p.stem for p in (linked_repo / "queries").glob("*.rq")]
    tokens = set(listing.stdout.replace("│", " ").split())
    for name in names:
        assert name in tokens, f"{name} was split across lines"
    wide = subprocess.run(
        [*kg, "area-statements", "--param", "area=henan"], capture_output=True, text=True, env=env
    )
    assert wide.returncode == 0, wide.stderr
    assert "--format csv" in wide.stderr
    statement_ids = [
        token
        for token in wide.stdout.replace("│", " ").split()
        if token.startswith("id:statement/")
    ]
    assert statement_ids, wide.stdout
    as_csv = subprocess.run(
        [*kg, "area-statements", "--param", "area=henan", "--format", "csv"],
        capture_output=True,
        text=True,
        env=env,
    )
    ids = {
        line.split(",")[0].replace("https://w3id.org/dckg/id/", "id:")
        for line in as_csv.stdout.splitlines()[1:]
    }
    assert set(statement_ids) == ids  # each id whole, none cut in two
