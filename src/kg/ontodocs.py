"""The ontology's documentation page (pyLODE 3.3.4), with en and zh labels apart and its
embedded JSON-LD in a fixed order, so that two builds give the same bytes."""

from __future__ import annotations

import gc
import html
import json
import re
import warnings
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from kg.errors import InputError


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    return path


_SCHEMA_ORG = re.compile(
    r'(<script id="schema.org" type="application/ld\+json">)(.*?)(</script>)', re.DOTALL
)


def _canonical(value: Any) -> Any:
    """JSON with every list sorted, so that set order inside pyLODE does not show."""
    if isinstance(value, dict):
        return {k: _canonical(v) for k, v in value.items()}
    if isinstance(value, list):
        items = [_canonical(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return value


def _sorted_json_ld(match: re.Match[str]) -> str:
    """pyLODE's embedded JSON-LD lists nodes in hash order; sort it for byte-identical pages."""
    data = _canonical(json.loads(match.group(2)))
    text = json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False)
    return f"{match.group(1)}\n{text}\n{match.group(3)}"


def write_ontology_docs(ontology: Sequence[Path], folder: Path, *, style: str = "") -> Path:
    """``folder/index.html``: pyLODE's documentation of the ontology files, en and zh labels apart.

    ``style`` (CSS, such as the site's ``@font-face`` rule) is added after pyLODE's own.
    """
    import logging

    from rdflib import Graph
    from rdflib.namespace import DCTERMS, OWL, RDF, RDFS

    graph = Graph()
    for path in ontology:
        graph.parse(path, format="turtle")
    # pyLODE takes the SKOS concept schemes for ontologies too and joins all their titles
    titles = {
        getattr(title, "language", None): str(title)
        for ontology_iri in graph.subjects(RDF.type, OWL.Ontology)
        for title in graph.objects(ontology_iri, DCTERMS.title)
    }
    labels: dict[str, dict[str, str]] = defaultdict(dict)
    for subject, label in graph.subject_objects(RDFS.label):
        language = getattr(label, "language", None)
        if language in ("en", "zh"):
            labels[str(subject)][language] = str(label)
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        from pylode import OntPub  # its import configures the root logger at DEBUG

        root.handlers[:] = handlers
        logging.disable(logging.INFO)  # pyLODE logs its progress at INFO on the root logger
        with warnings.catch_warnings():
            # pyLODE reads its CSS with an open() it never closes
            warnings.simplefilter("ignore", ResourceWarning)
            # a copy, since pyLODE changes the graph it is given; sort_subjects, or the order of
            # the sections and of the labels in a heading follows Python's per-process hashing
            page = OntPub(ontology=graph + Graph(), sort_subjects=True).make_html()
            gc.collect()
    except Exception as error:  # pyLODE reports bad ontologies with assorted exceptions
        raise InputError(
            f"pyLODE could not document {', '.join(map(str, ontology))}: {error}",
            hint="check that the ontology parses (kg validate) and declares an owl:Ontology",
        ) from None
    finally:
        logging.disable(logging.NOTSET)
        root.handlers[:] = handlers
        root.setLevel(level)
    page = _SCHEMA_ORG.sub(_sorted_json_ld, page)
    if titles:
        heading = " · ".join(titles[lang] for lang in ("en", "zh") if lang in titles)
        page = re.sub(
            r"<title>.*?</title>", f"<title>{html.escape(heading)}</title>", page, count=1
        )
        page = re.sub(r"<h1>.*?</h1>", f"<h1>{html.escape(heading)}</h1>", page, count=1)
    for pair in sorted((p["en"], p["zh"]) for p in labels.values() if "en" in p and "zh" in p):
        en, zh = (html.escape(x, quote=False) for x in pair)
        for joined in (f"<h3>{en}{zh}\n", f"<h3>{zh}{en}\n"):
            page = page.replace(joined, f'<h3>{en} · <span lang="zh">{zh}</span>\n')
    if style:
        page = page.replace("</head>", f"<style>\n{style}\n</style>\n</head>", 1)
    return _write(folder / "index.html", page)
