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
