"""``kg --version``, ``kg query`` and ``import kg`` start without the build's heavy libraries."""

from __future__ import annotations

import subprocess
import sys

import kg
from kg import prefixes, vocab

HEAVY = ("rdflib", "pyshacl", "networkx", "matplotlib", "ruamel.yaml", "jinja2")


def _imported_after(code: str) -> set[str]:
    probe = f"{code}\nimport sys\nprint(' '.join(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return set(done.stdout.split())


def test_the_cli_and_the_package_import_none_of_the_heavy_libraries() -> None:
    for code in ("import kg", "import kg.cli", "import kg.cli, kg.queries"):
        loaded = _imported_after(code)
        assert not {name for name in HEAVY if name in loaded}, code


def test_the_pipelines_names_still_come_from_kg() -> None:
    from kg.pipeline import BuildResult, build_project, validate_files

    assert (kg.build_project, kg.validate_files, kg.BuildResult) == (
        build_project,
        validate_files,
        BuildResult,
    )
    assert "build_project" in dir(kg)


def test_the_plain_prefixes_are_rdflibs_namespaces() -> None:
    from rdflib.namespace import DCAT, DCTERMS, OWL, PROV, RDF, RDFS, SKOS, TIME, VOID, XSD

    for name, namespace in {
        "dcat": DCAT,
        "dcterms": DCTERMS,
        "owl": OWL,
        "prov": PROV,
        "rdf": RDF,
        "rdfs": RDFS,
        "skos": SKOS,
        "time": TIME,
        "void": VOID,
        "xsd": XSD,
    }.items():
        assert prefixes.PREFIXES[name] == str(namespace), name
    assert prefixes.PREFIXES["dckg"] == str(vocab.DCKG)
    assert prefixes.PREFIXES["id"] == str(vocab.ID)


def _kg(*args: str, cwd: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kg", *args], capture_output=True, text=True, cwd=cwd, check=False
    )


def test_the_command_ends_with_its_exit_code_and_all_its_output(tmp_path: object) -> None:
    """``kg`` skips the interpreter's teardown (kg.cli.run): what it printed, through a pipe,
    and its exit code are those of a normal exit."""
    done = _kg("--version")
    assert (done.returncode, done.stdout) == (0, f"kg (dckg) {kg.__version__}\n")
    done = _kg("--project", str(tmp_path), "build")  # not a project: the user's mistake
    assert (
        done.returncode == 2 and done.stderr.startswith("Error:") and "Traceback" not in done.stderr
    )
    done = _kg("no-such-command")
    assert done.returncode == 2 and "No such command" in done.stderr


def test_the_quick_exit_still_runs_the_exit_handlers_and_waits_for_threads(
    tmp_path: object,
) -> None:
    marks = f"{tmp_path}/marks"
    probe = f"""
import atexit, sys, threading, time
from kg import cli

def late():
    time.sleep(0.3)
    open({marks!r}, "a").write("thread\\n")

atexit.register(lambda: open({marks!r}, "a").write("atexit\\n"))
threading.Thread(target=late).start()
sys.argv = ["kg", "--version"]
cli.run()
"""
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    with open(marks, encoding="utf-8") as handle:
        assert handle.read() == "thread\natexit\n"
