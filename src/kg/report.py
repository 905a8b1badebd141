"""The browsable report: static HTML pages, the figures beside them, the ontology's docs.

``write_site(store, analysis, folder, ...)`` writes ``index.html``, one page per province
(``provinces/ID.html``) and per source (``sources/ID.html``), ``figures/*.png|svg`` (see
:mod:`kg.figures`) and ``ontology/index.html`` (pyLODE). Tables are sorted and pyLODE's
embedded JSON-LD is put in a fixed order, so two builds of the same data give the same bytes.
"""

from __future__ import annotations

import gc
import html
import json
import re
import warnings
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx
from pyoxigraph import Store

from kg.analyse import Analysis, node_id
from kg.errors import InputError
from kg.figures import FIGURES, write_figures
from kg.queries import StoredQuery
from kg.stats import graph_stats
from kg.store import select

__all__ = ["FIGURES", "write_ontology_docs", "write_site"]

MAX_SOURCES = 20  # columns of the coverage tables; the rest are summed as "other sources"

# ---------------------------------------------------------------------------------------------
# What the pages show, read from the store
# ---------------------------------------------------------------------------------------------

_PREFIXES = """
PREFIX dckg: <https://w3id.org/dckg/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <https://schema.org/>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""

_STATEMENTS = (
    _PREFIXES
    + """
SELECT ?st ?class ?en ?zh ?source ?value ?unit ?qualifier ?time WHERE {
  ?st prov:wasDerivedFrom ?source .
  VALUES ?class { dckg:Observation dckg:GroupClaim dckg:FactClaim }
  ?st a ?class .
  OPTIONAL { ?st rdfs:label ?en . FILTER (lang(?en) = "en") }
  OPTIONAL { ?st rdfs:label ?zh . FILTER (lang(?zh) = "zh") }
  OPTIONAL { ?st dckg:value ?value }
  OPTIONAL { ?st dckg:unit/rdfs:label ?unit . FILTER (lang(?unit) = "en") }
  OPTIONAL { ?st dckg:qualifier/rdfs:label ?qualifier . FILTER (lang(?qualifier) = "en") }
  OPTIONAL { ?st dckg:refPeriod/rdfs:label ?period . FILTER (lang(?period) = "en") }
  OPTIONAL { ?st dckg:reportedOn ?reported }
  BIND (COALESCE(?period, CONCAT("as reported on ", STR(?reported)), "") AS ?time)
}
"""
)

_TOPICS = _PREFIXES + "SELECT ?st ?area WHERE { ?st dckg:area|dckg:member ?area }"

_QUOTES = (
    _PREFIXES
    + """
SELECT ?st ?quote ?exact ?lang ?translation ?page WHERE {
  ?st dckg:evidence ?quote . ?quote oa:exact ?exact . BIND (lang(?exact) AS ?lang)
  OPTIONAL { ?quote dckg:curatorTranslation ?translation }
  OPTIONAL { ?quote dckg:page ?page }
}
"""
)

_AREA_FACTS = (
    _PREFIXES
    + """
SELECT ?area ?code ?parent ?link WHERE {
  ?area a ?class .
  OPTIONAL { ?area dckg:adminCode ?code }
  OPTIONAL { ?area dckg:parentArea ?parent }
  OPTIONAL { ?area skos:exactMatch ?link }
  FILTER (STRSTARTS(STR(?area), "https://w3id.org/dckg/id/area/"))
}
"""
)

_SOURCE_FACTS = (
    _PREFIXES
    + """
SELECT ?source ?title ?published ?publisher ?based WHERE {
  VALUES ?class { dckg:Report dckg:NewsArticle }
  ?source a ?class .
  OPTIONAL { ?source dcterms:title ?title }
  OPTIONAL { ?source schema:datePublished ?published }
  OPTIONAL { ?source schema:publisher/rdfs:label ?publisher . FILTER (lang(?publisher) = "en") }
  OPTIONAL { ?source schema:isBasedOn ?based }
}
"""
)

_TRIPLES = "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }"
_LINKS = "SELECT ?o WHERE { ?s <http://www.w3.org/2004/02/skos/core#exactMatch> ?o }"


@dataclass(frozen=True)
class Quote:
    text: str
    lang: str
    translation: str
    page: str


@dataclass(frozen=True)
class Statement:
    id: str
    kind: str
    label_en: str
    label_zh: str
    source: str
    value: str
    unit: str
    qualifier: str
    time: str
    areas: tuple[str, ...]
    quotes: tuple[Quote, ...]


def statements(store: Store) -> list[Statement]:
    """Every statement with its areas and quotes, sorted by id."""
    topics: dict[str, set[str]] = defaultdict(set)
    for row in select(store, _TOPICS):
        topics[row["st"]].add(node_id(row["area"]))
    quotes: dict[str, set[Quote]] = defaultdict(set)
    for row in select(store, _QUOTES):
        quotes[row["st"]].add(Quote(row["exact"], row["lang"], row["translation"], row["page"]))
    found = {}
    for row in select(store, _STATEMENTS):
        found[row["st"]] = Statement(
            node_id(row["st"]),
            row["class"].rsplit("#", 1)[-1],
            row["en"],
            row["zh"],
            node_id(row["source"]),
            row["value"],
            row["unit"],
            row["qualifier"],
            row["time"],
            tuple(sorted(topics[row["st"]])),
            tuple(sorted(quotes[row["st"]], key=lambda q: (q.page, q.lang, q.text))),
        )
    return [found[k] for k in sorted(found)]


# ---------------------------------------------------------------------------------------------
# HTML
# ---------------------------------------------------------------------------------------------

_STYLE = """
body { font-family: "Noto Sans CJK SC", "Noto Sans", sans-serif; max-width: 72rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; font-size: 0.9rem; }
th, td { border: 1px solid #ccc; padding: 0.2rem 0.5rem; text-align: left; vertical-align: top; }
td.n { text-align: right; }
figure { margin: 1rem 0 2rem; }
figure img { max-width: 100%; border: 1px solid #ddd; }
pre { background: #f5f5f5; padding: 0.5rem; overflow-x: auto; }
blockquote { margin: 0.2rem 0; padding-left: 0.5rem; border-left: 3px solid #ccc; }
nav a { margin-right: 1rem; }
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _page(title: str, body: str, root: str) -> str:
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<link rel="icon" href="data:,">\n'
        f"<title>{_e(title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
        f'<nav><a href="{root}index.html">dckg report</a>'
        f'<a href="{root}ontology/index.html">ontology</a></nav>\n'
        f"<h1>{_e(title)}</h1>\n{body}\n</body>\n</html>\n"
    )


def _table(
    headers: Sequence[str], rows: Iterable[Sequence[object]], numeric: Iterable[int] = ()
) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    numeric = set(numeric)
    lines = [f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>"]
    for row in rows:
        cells = "".join(
            f'<td class="n">{cell}</td>' if index in numeric else f"<td>{cell}</td>"
            for index, cell in enumerate(row)
        )
        lines.append(f"<tr>{cells}</tr>")
    lines.append("</tbody>\n</table>")
    return "\n".join(lines)


def _slug(node: str) -> str:
    return node.rsplit("/", 1)[-1]


@dataclass(frozen=True)
class PageContext:
    """What every page may link to: the provinces and sources that have a page."""

    labels: dict[str, tuple[str, str]]
    provinces: tuple[str, ...]
    sources: tuple[str, ...]

    def link(self, node: str, root: str) -> str:
        en, zh = self.labels.get(node, (node, ""))
        text = _e(f"{en} {zh}".strip())
        if node in self.provinces:
            return f'<a href="{root}provinces/{_slug(node)}.html">{text}</a>'
        if node in self.sources:
            return f'<a href="{root}sources/{_slug(node)}.html">{text}</a>'
        return text


MAX_ROWS = 1_000  # statements per page; the rest are in statements.csv


def _statement_rows(
    found: Sequence[Statement], context: PageContext, root: str, show_source: bool
) -> str:
    rows = []
    for st in found[:MAX_ROWS]:
        quotes = "".join(
            f'<blockquote lang="{_e(q.lang)}">{_e(q.text)}'
            + (f"<br><small>(translation) {_e(q.translation)}</small>" if q.translation else "")
            + (f"<br><small>PDF page {_e(q.page)}</small>" if q.page else "")
            + "</blockquote>"
            for q in st.quotes
        )
        value = " ".join(x for x in (st.qualifier, st.value, st.unit) if x) if st.value else ""
        areas = ", ".join(context.link(a, root) for a in st.areas)
        row = [
            f'{_e(st.label_en)}<br><span lang="zh">{_e(st.label_zh)}</span>',
            _e(value),
            _e(st.time),
            areas,
        ]
        if show_source:
            row.append(context.link(st.source, root))
        row.append(quotes)
        rows.append(row)
    headers = [
        "statement",
        "value",
        "time",
        "areas",
        *(["source"] if show_source else []),
        "quotes",
    ]
    more = len(found) - MAX_ROWS
    note = f"\n<p>{more} more statements: see statements.csv.</p>" if more > 0 else ""
    return _table(headers, rows) + note


def _index(
    store: Store,
    analysis: Analysis,
    context: PageContext,
    validation: str,
    queries: Sequence[StoredQuery],
    exports: Sequence[str],
    table_triples: int = 0,
) -> str:
    m = analysis.measures
    parts = [
        "<p>The Digital China Knowledge Graph as pictures, networks and tables. Every page is a "
        "static file; the figures are SVG (PNG beside them). Built from the same data, these "
        "files are the same byte for byte.</p>",
        '<p><a href="ontology/index.html">Ontology documentation</a> (classes and properties, '
        "English and Chinese labels).</p>",
        "<h2>Figures</h2>",
    ]
    captions = {
        "top10-heatmap": "Provinces x the report's eight top-10 lists (overall level and seven dimensions), with the dahe.cn article's first tier in digital infrastructure beside them. Members are unordered: the report publishes no ranks.",
        "henan-vs-national": "Henan's figures next to China's for every indicator both sources give; log scale. Times differ: read the statements before comparing.",
        "admin-tree": "The administrative tree: China, its 31 provincial-level divisions, Henan's cities and the four identifier-resolution secondary nodes.",
        "source-support": "Which source supports statements about which area; the width of an edge is the number of statements.",
    }
    for name in FIGURES:
        parts.append(
            f'<figure id="{name}"><img src="figures/{name}.svg" alt="{_e(captions[name])}">'
            f'<figcaption>{_e(captions[name])} <a href="figures/{name}.png">PNG</a></figcaption></figure>'
        )
    parts.append("<h2>What the analysis finds</h2>")
    at_least = m.in_at_least(4)
    parts.append(
        f"<p>{len(at_least)} provinces are in at least four of the report's eight top-10 lists; "
        f"{sum(1 for t in m.top10 if t.lists == 8)} are in all eight; "
        f"{sum(1 for t in m.top10 if t.lists == 0)} are in none. "
        f"The entity graph has {len(m.components)} connected component(s) and "
        f"{len(m.isolated)} isolated entit{'y' if len(m.isolated) == 1 else 'ies'}; "
        f"the administrative hierarchy {'is' if m.hierarchy_is_tree else 'is not'} a tree.</p>"
    )
    parts.append("<h3>Top-10 lists per province</h3>")
    parts.append(
        _table(
            ["province", "lists", "in the lists of", "article's first tier"],
            (
                [
                    context.link(t.area, ""),
                    t.lists,
                    _e(", ".join(analysis.labels[d][0] for d in t.dimensions)),
                    "yes" if t.first_tier else "",
                ]
                for t in m.top10
                if t.lists or t.first_tier
            ),
            numeric=[1],
        )
    )
    parts.append("<h3>Agreement between sources on shared claims</h3>")
    parts.append(
        _table(
            [
                "topic",
                "source",
                "other source",
                "both name",
                "only the first",
                "only the other",
                "Jaccard",
                "agree",
            ],
            (
                [
                    _e(a.topic),
                    context.link(a.source_a, ""),
                    context.link(a.source_b, ""),
                    len(a.shared),
                    _e(", ".join(analysis.labels.get(x, (x, ""))[0] for x in a.only_a)),
                    _e(", ".join(analysis.labels.get(x, (x, ""))[0] for x in a.only_b)),
                    f"{a.jaccard:.2f}",
                    "yes" if a.agree else "no",
                ]
                for a in m.agreements
            ),
            numeric=[3, 6],
        )
    )
    parts.append(
        f"<p>Observations that two sources give for the same area, indicator, kind and time: "
        f"{m.shared_observations}; conflicting: {len(m.conflicting_observations)}.</p>"
    )
    totals: dict[str, int] = defaultdict(int)
    for counts in m.coverage_areas.values():
        for source, count in counts.items():
            totals[source] += count
    sources = sorted(sorted(totals, key=lambda s: (-totals[s], s))[:MAX_SOURCES])
    others = len(totals) > len(sources)
    for title, table in (
        ("Coverage: areas x sources (statements)", m.coverage_areas),
        ("Coverage: indicators x sources (statements)", m.coverage_indicators),
    ):
        parts.append(f"<h3>{_e(title)}</h3>")
        parts.append(
            _table(
                [
                    "",
                    *(analysis.labels.get(s, (s, ""))[0] for s in sources),
                    *(["other sources"] if others else []),
                ],
                (
                    [
                        context.link(topic, ""),
                        *(table[topic].get(s, "") for s in sources),
                        *(
                            [sum(n for s, n in table[topic].items() if s not in sources) or ""]
                            if others
                            else []
                        ),
                    ]
                    for topic in table
                ),
                numeric=range(1, len(sources) + 2),
            )
        )
    pivots = m.betweenness_pivots
    parts.append(
        "<h3>Most connected entities (degree, betweenness"
        + (f", estimated from {pivots} sampled pivots" if pivots else "")
        + ")</h3>"
    )
    parts.append(
        _table(
            ["entity", "degree", "betweenness"],
            (
                [
                    context.link(c.node, "") if c.node in context.labels else _e(c.node),
                    c.degree,
                    f"{c.betweenness:.4f}",
                ]
                for c in m.central
            ),
            numeric=[1, 2],
        )
    )
    parts.append("<h3>Projections</h3>")
    parts.append(
        _table(
            ["projection", "what it shows", "nodes", "edges", "exports"],
            (
                [
                    _e(p.title),
                    _e(p.description),
                    m.nodes[p.name],
                    m.edges[p.name],
                    " ".join(
                        f'<a href="../analysis/{p.name}{s}">{s[1:]}</a>'
                        for s in (".graphml", ".gexf", ".json")
                        if f"{p.name}{s}" in exports
                    ),
                ]
                for p in analysis.projections
            ),
            numeric=[2, 3],
        )
    )
    stats = graph_stats(store)
    triples = select(store, _TRIPLES)[0]["n"]
    parts.append("<h2>Summary</h2>")
    parts.append(f"<p>{_e(triples)} distinct triples in the union of the named graphs.</p>")
    if table_triples:
        parts.append(
            f"<p>Bulk tables add {table_triples:,} triples, left out of these pages and of "
            "the networks (they are counted in void.ttl and listed in statements.csv).</p>"
        )
    parts.append("<h3>Entities by class</h3>")
    parts.append(
        _table(
            ["class", "count"], ([_e(r["class"]), r["count"]] for r in stats.by_class), numeric=[1]
        )
    )
    parts.append("<h3>Statements by source</h3>")
    parts.append(
        _table(
            ["source", "count"],
            ([context.link(node_id(r["source"]), ""), r["count"]] for r in stats.by_source),
            numeric=[1],
        )
    )
    parts.append("<h3>Statements by indicator</h3>")
    parts.append(
        _table(
            ["indicator", "count"],
            ([_e(r["label"]), r["count"]] for r in stats.by_indicator),
            numeric=[1],
        )
    )
    targets: dict[str, int] = defaultdict(int)
    for row in select(store, _LINKS):
        targets[row["o"].split("/")[2] if "://" in row["o"] else row["o"]] += 1
    parts.append("<h3>Links by target</h3>")
    parts.append(
        _table(["target", "links"], ([_e(t), n] for t, n in sorted(targets.items())), numeric=[1])
    )
    parts.append("<h2>Validation</h2>")
    parts.append(f"<pre>{_e(validation.strip() or 'no validation report')}</pre>")
    parts.append("<h2>Stored queries</h2>")
    parts.append(
        "<p>Run one with <code>kg query NAME</code>; list them with <code>kg query --list</code>.</p>"
    )
    parts.append(
        _table(
            ["name", "form", "summary"],
            ([f"<code>{_e(q.name)}</code>", _e(q.form), _e(q.summary)] for q in queries),
        )
    )
    parts.append("<h2>Pages</h2>")
    parts.append(
        "<p>Provinces: " + ", ".join(context.link(p, "") for p in context.provinces) + "</p>"
    )
    parts.append("<p>Sources: " + ", ".join(context.link(s, "") for s in context.sources) + "</p>")
    return _page("Digital China Knowledge Graph: report 数字中国知识图谱报告", "\n".join(parts), "")


def _province_page(
    province: str,
    store_facts: dict[str, dict[str, Any]],
    found: Sequence[Statement],
    analysis: Analysis,
    context: PageContext,
) -> str:
    tree = analysis.projection("admin-hierarchy").graph
    under = {province, *(nx.descendants(tree, province) if province in tree else ())}
    facts = store_facts.get(province, {})
    membership = next((t for t in analysis.measures.top10 if t.area == province), None)
    parts = []
    if facts.get("code"):
        parts.append(f"<p>GB/T 2260 code: <code>{_e(facts['code'])}</code></p>")
    links = sorted(facts.get("links", ()))
    if links:
        parts.append(
            "<p>Links: " + " ".join(f'<a href="{_e(u)}">{_e(u)}</a>' for u in links) + "</p>"
        )
    if membership is not None:
        lists = ", ".join(analysis.labels[d][0] for d in membership.dimensions) or "none"
        parts.append(
            f"<p>In {membership.lists} of the report's eight top-10 lists ({_e(lists)})"
            f"{'; in the dahe.cn article' + chr(39) + 's first tier in digital infrastructure' if membership.first_tier else ''}.</p>"
        )
    mine = [s for s in found if under & set(s.areas)]
    parts.append(f"<h2>Statements ({len(mine)})</h2>")
    parts.append(_statement_rows(mine, context, "../", show_source=True))
    title = " ".join(analysis.labels.get(province, (province, "")))
    return _page(title, "\n".join(parts), "../")


def _source_page(
    source: str, facts: dict[str, Any], found: Sequence[Statement], context: PageContext
) -> str:
    parts = []
    for title in sorted(facts.get("titles", ())):
        parts.append(f"<p>Title: {_e(title)}</p>")
    for key, name in (("published", "Published"), ("publisher", "Publisher")):
        if facts.get(key):
            parts.append(f"<p>{name}: {_e(facts[key])}</p>")
    if facts.get("based"):
        parts.append(f"<p>Based on: {context.link(facts['based'], '../')}</p>")
    mine = [s for s in found if s.source == source]
    parts.append(f"<h2>Statements ({len(mine)})</h2>")
    parts.append(_statement_rows(mine, context, "../", show_source=False))
    title = " ".join(context.labels.get(source, (source, "")))
    return _page(title, "\n".join(parts), "../")


def _facts(store: Store) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
    areas: dict[str, dict[str, Any]] = defaultdict(lambda: {"links": set()})
    for row in select(store, _AREA_FACTS):
        area = areas[node_id(row["area"])]
        area["code"] = row["code"]
        if row["link"]:
            area["links"].add(row["link"])
    sources: dict[str, dict[str, Any]] = defaultdict(lambda: {"titles": set()})
    for row in select(store, _SOURCE_FACTS):
        source = sources[node_id(row["source"])]
        if row["title"]:
            source["titles"].add(row["title"])
        source["published"] = row["published"]
        source["publisher"] = row["publisher"]
        source["based"] = node_id(row["based"]) if row["based"] else ""
    return areas, sources


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


def write_ontology_docs(ontology: Sequence[Path], folder: Path) -> Path:
    """``folder/index.html``: pyLODE's documentation of the ontology files, en and zh labels apart."""
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
    return _write(folder / "index.html", page)


def write_site(
    store: Store,
    analysis: Analysis,
    folder: Path,
    *,
    ontology: Sequence[Path],
    validation: str,
    queries: Sequence[StoredQuery],
    exports: Sequence[str] = (),
    table_triples: int = 0,
) -> list[Path]:
    """The whole site in ``folder``: figures, index, province and source pages, ontology docs.

    ``store`` holds the curated graphs; ``table_triples`` counts the bulk tables' left out.
    """
    written = write_figures(store, analysis, folder / "figures")
    found = statements(store)
    area_facts, source_facts = _facts(store)
    entities = analysis.projection("entities").graph
    provinces = tuple(
        sorted(n for n, kind in entities.nodes(data="kind") if kind == "ProvincialLevelDivision")
    )
    sources = tuple(sorted(source_facts))
    context = PageContext(analysis.labels, provinces, sources)
    written.append(
        _write(
            folder / "index.html",
            _index(store, analysis, context, validation, queries, exports, table_triples),
        )
    )
    for province in provinces:
        written.append(
            _write(
                folder / "provinces" / f"{_slug(province)}.html",
                _province_page(province, area_facts, found, analysis, context),
            )
        )
    for source in sources:
        written.append(
            _write(
                folder / "sources" / f"{_slug(source)}.html",
                _source_page(source, source_facts[source], found, context),
            )
        )
    written.append(write_ontology_docs(ontology, folder / "ontology"))
    return written
