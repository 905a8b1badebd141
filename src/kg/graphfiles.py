"""The analysis as files for other tools: GraphML, GEXF and node-link JSON of every projection
of :mod:`kg.analyse`, and ``measures.json``; byte-identical from one build to the next."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

import networkx as nx

from kg.analyse import Analysis

EXPORT_SUFFIXES = (".graphml", ".gexf", ".json")
MEASURES = "measures.json"


def export_names(analysis: Analysis) -> list[str]:
    """The names of the files :func:`write_analysis` writes, sorted (known before it runs)."""
    return sorted(
        [f"{p.name}{suffix}" for p in analysis.projections for suffix in EXPORT_SUFFIXES]
        + [MEASURES]
    )


def _write(path: Path, text: str) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)


def write_analysis(
    analysis: Analysis, folder: Path, *, keep: Callable[[str, str], bool] | None = None
) -> list[Path]:
    """GraphML, GEXF and node-link JSON of every projection, and ``measures.json``.

    The JSON holds every node, edge and attribute of a projection, so the GraphML and GEXF are
    a function of it: ``keep(name, json_text)`` may put the previous build's two files in place
    (kg.views) and return True, and they are not written again.
    """
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for projection in analysis.projections:
        graph = projection.graph.copy()
        graph.graph = {"name": projection.name, "description": projection.description}
        base = folder / projection.name
        data = nx.node_link_data(graph, edges="edges")
        text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
        _write(base.with_suffix(".json"), text)
        if keep is None or not keep(projection.name, text):
            _write(base.with_suffix(".graphml"), "\n".join(nx.generate_graphml(graph)) + "\n")
            gexf = "\n".join(nx.generate_gexf(graph)) + "\n"
            # networkx stamps today's date into <meta>; the output must not depend on the day
            _write(base.with_suffix(".gexf"), re.sub(r' lastmodifieddate="[^"]*"', "", gexf))
        written += [base.with_suffix(s) for s in EXPORT_SUFFIXES]
    measures = folder / MEASURES
    _write(
        measures,
        json.dumps(asdict(analysis.measures), ensure_ascii=False, indent=1, sort_keys=True) + "\n",
    )
    written.append(measures)
    return written
