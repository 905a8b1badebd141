"""The browsable report: static HTML pages from Jinja2 templates, the figures beside them,
the ontology's docs.

``write_site(store, analysis, folder, ...)`` writes ``index.html``, one page per province
(``provinces/ID.html``) and per source (``sources/ID.html``), ``figures/*.png|svg`` (see
:mod:`kg.figures`), ``ontology/index.html`` (:mod:`kg.ontodocs`) and ``fonts/``, the CJK font
cut to the characters of these pages, with its licence (:mod:`kg.webfont`). The pages are the
templates of ``kg/templates/`` (autoescaped: every value is escaped unless it is a link
made here); what they show is read by :mod:`kg.pagedata`. Tables are sorted, so two builds
of the same data give the same bytes.
"""

from __future__ import annotations

import html
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup
from pyoxigraph import Store

from kg.analyse import Analysis
from kg.concordance import Agreement
from kg.figures import captions, figure_names, write_figures
from kg.ontodocs import write_ontology_docs
from kg.pagedata import Statement, facts, links_by_target, statements, triple_count
from kg.queries import StoredQuery
from kg.stats import graph_stats
from kg.vocab import Shortener, node_id
from kg.webfont import FAMILY, FONT_FILE, font_face, subset_font

__all__ = ["write_ontology_docs", "write_pages", "write_site"]

MAX_SOURCES = 20  # columns of the coverage tables; the rest are summed as "other sources"
MAX_ROWS = 1_000  # statements per page; the rest are in statements.csv
FONTS = "fonts"  # the site's folder for the CJK subset and its licence
FIGURES = "figures"
ONTOLOGY = "ontology"  # the ontology's documentation page


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _escaped(value: object) -> object:
    """Every value a template prints, escaped as ``html.escape`` does, unless it is Markup."""
    return value if isinstance(value, Markup) else Markup(_e(value))


def _slug(node: str) -> str:
    return node.rsplit("/", 1)[-1]


@dataclass(frozen=True)
class PageContext:
    """What every page may link to: the provinces and sources that have a page."""

    labels: dict[str, tuple[str, str]]
    provinces: tuple[str, ...]
    sources: tuple[str, ...]

    def link(self, node: str, root: str) -> Markup:
        en, zh = self.labels.get(node, (node, ""))
        text = _e(f"{en} {zh}".strip())
        if node in self.provinces:
            return Markup(f'<a href="{root}provinces/{_slug(node)}.html">{text}</a>')
        if node in self.sources:
            return Markup(f'<a href="{root}sources/{_slug(node)}.html">{text}</a>')
        return Markup(text)


NOTHING_TO_COMPARE = "nothing to compare"


def _verdict(agreement: Agreement) -> str:
    """The agree column: members alike, or, with no members listed, the declared counts."""
    if agreement.jaccard is not None:
        return "yes" if agreement.agree else "no"
    if agreement.agree:
        return "same declared count"
    if agreement.declared and "?" not in agreement.declared:
        return "declared counts differ"
    return NOTHING_TO_COMPARE


def _stated(value: str, qualifier: str) -> str:
    """A conflicting figure as the source states it: ``1400000``, ``1400000 (lower bound)``."""
    return value if qualifier == "exact" else f"{value} ({qualifier})"


def _value(st: Statement) -> str:
    return " ".join(x for x in (st.qualifier, st.value, st.unit) if x) if st.value else ""


def _environment(context: PageContext) -> Environment:
    env = Environment(
        loader=PackageLoader("kg", "templates"),
        autoescape=True,
        finalize=_escaped,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=StrictUndefined,
    )
    env.globals.update(link=context.link, value=_value, font_face=_font_face)
    return env


def _font_face(root: str) -> Markup:
    """The pages' ``@font-face`` rule for the served CJK subset (CSS, never escaped)."""
    return Markup(font_face(f"{root}{FONTS}/{FONT_FILE}"))


def _index(
    store: Store,
    analysis: Analysis,
    context: PageContext,
    validation: str,
    queries: Sequence[StoredQuery],
    exports: Sequence[str],
    table_triples: int = 0,
) -> dict[str, Any]:
    """What the index page shows."""
    m = analysis.measures

    def label(node: str) -> str:
        return analysis.labels.get(node, (node, ""))[0]

    totals: dict[str, int] = defaultdict(int)
    for counts in m.coverage_areas.values():
        for source, count in counts.items():
            totals[source] += count
    sources = sorted(sorted(totals, key=lambda s: (-totals[s], s))[:MAX_SOURCES])
    others = len(totals) > len(sources)
    coverages = [
        {
            "title": title,
            "headers": ["", *(label(s) for s in sources), *(["other sources"] if others else [])],
            "rows": [
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
            ],
            "numeric": range(1, len(sources) + 2),
        }
        for title, table in (
            ("Coverage: areas x sources (statements)", m.coverage_areas),
            ("Coverage: indicators x sources (statements)", m.coverage_indicators),
        )
    ]
    stats = graph_stats(store)
    shorten = Shortener()
    return {
        "title": "Digital China Knowledge Graph: report 数字中国知识图谱报告",
        "root": "",
        "figures": [
            {"name": name, "caption": captions(analysis)[name]} for name in figure_names(analysis)
        ],
        "at_least_four": len(m.in_at_least(4)),
        "in_all": sum(1 for t in m.top10 if t.lists == 8),
        "in_none": sum(1 for t in m.top10 if t.lists == 0),
        "components": len(m.components),
        "isolated": len(m.isolated),
        "is_tree": m.hierarchy_is_tree,
        "top10": [
            [
                context.link(t.area, ""),
                t.lists,
                ", ".join(analysis.labels[d][0] for d in t.dimensions),
                "yes" if t.first_tier else "",
            ]
            for t in m.top10
            if t.lists or t.first_tier
        ],
        "agreements": [
            [
                a.title,
                context.link(a.source_a, ""),
                context.link(a.source_b, ""),
                len(a.shared),
                ", ".join(label(x) for x in a.only_a),
                ", ".join(label(x) for x in a.only_b),
                NOTHING_TO_COMPARE if a.jaccard is None else f"{a.jaccard:.2f}",
                _verdict(a),
            ]
            for a in m.agreements
        ],
        "shared_observations": m.shared_observations,
        "conflicting_observations": len(m.conflicting_observations),
        "conflicts": [
            [
                context.link(c.area, ""),
                " ".join(analysis.labels.get(c.indicator, (c.indicator, ""))).strip(),
                c.kind,
                label(c.time),
                _stated(c.value_a, c.qualifier_a),
                context.link(c.source_a, ""),
                _stated(c.value_b, c.qualifier_b),
                context.link(c.source_b, ""),
            ]
            for c in m.conflicting_observations
        ],
        "coverages": coverages,
        "pivots": m.betweenness_pivots,
        "central": [
            [
                context.link(c.node, "") if c.node in context.labels else c.node,
                c.degree,
                f"{c.betweenness:.4f}",
            ]
            for c in m.central
        ],
        "projections": [
            [
                p.title,
                p.description,
                m.nodes[p.name],
                m.edges[p.name],
                Markup(
                    " ".join(
                        f'<a href="../analysis/{_e(p.name + s)}">{s[1:]}</a>'
                        for s in (".graphml", ".gexf", ".json")
                        if f"{p.name}{s}" in exports
                    )
                ),
            ]
            for p in analysis.projections
        ],
        "triples": triple_count(store),
        "table_triples": table_triples,
        "by_class": [[shorten(r["class"]), r["count"]] for r in stats.by_class],
        "by_source": [
            [context.link(node_id(r["source"]), ""), r["count"]] for r in stats.by_source
        ],
        "by_indicator": [[r["label"], r["count"]] for r in stats.by_indicator],
        "links": [list(pair) for pair in links_by_target(store)],
        "validation": validation.strip() or "no validation report",
        "queries": [[Markup(f"<code>{_e(q.name)}</code>"), q.form, q.summary] for q in queries],
        "provinces": context.provinces,
        "sources": context.sources,
    }


def _province_page(
    province: str,
    store_facts: dict[str, dict[str, Any]],
    found: Sequence[Statement],
    analysis: Analysis,
) -> dict[str, Any]:
    tree = analysis.projection("admin-hierarchy").graph
    under = {province, *(nx.descendants(tree, province) if province in tree else ())}
    area = store_facts.get(province, {})
    membership = next((t for t in analysis.measures.top10 if t.area == province), None)
    lists = ""
    if membership is not None:
        lists = ", ".join(analysis.labels[d][0] for d in membership.dimensions) or "none"
    groups = analysis.projection("province-dimensions").graph
    tiers = sorted(
        (d, groups[province][d]["first_tier_sources"].split())
        for d in groups.adj.get(province, {})
        if groups[province][d]["first_tier"]
    )
    first_tier = "; ".join(
        f"in the first tier in {analysis.labels.get(d, (d, ''))[0]} according to "
        + " and ".join(analysis.labels.get(s, (s, ""))[0] for s in sources)
        for d, sources in tiers
    )
    return {
        "title": " ".join(analysis.labels.get(province, (province, ""))),
        "root": "../",
        "code": area.get("code"),
        "links": sorted(area.get("links", ())),
        "membership": membership,
        "lists": lists,
        "first_tier": first_tier,
        "found": [s for s in found if under & set(s.areas)],
        "max_rows": MAX_ROWS,
    }


def _source_page(
    source: str, source_facts: dict[str, Any], found: Sequence[Statement], context: PageContext
) -> dict[str, Any]:
    return {
        "title": " ".join(context.labels.get(source, (source, ""))),
        "root": "../",
        "titles": sorted(source_facts.get("titles", ())),
        "published": source_facts.get("published"),
        "publisher": source_facts.get("publisher"),
        "based": source_facts.get("based"),
        "found": [s for s in found if s.source == source],
        "max_rows": MAX_ROWS,
    }


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    return path


def ontology_style() -> str:
    """The CSS added to the ontology's page (``ontology/index.html``): the site's CJK font."""
    return (
        f"{_font_face('../')}\n"
        f'body, h1, h2, h3, h4, h5, h6 {{ font-family: "{FAMILY}", sans-serif; }}'
    )


def write_pages(
    store: Store,
    analysis: Analysis,
    folder: Path,
    *,
    validation: str,
    queries: Sequence[StoredQuery],
    exports: Sequence[str] = (),
    table_triples: int = 0,
) -> list[Path]:
    """The index page and one page per province and per source, in ``folder``."""
    found = statements(store)
    area_facts, source_facts = facts(store)
    entities = analysis.projection("entities").graph
    provinces = tuple(
        sorted(n for n, kind in entities.nodes(data="kind") if kind == "ProvincialLevelDivision")
    )
    sources = tuple(sorted(source_facts))
    context = PageContext(analysis.labels, provinces, sources)
    env = _environment(context)
    index = _index(store, analysis, context, validation, queries, exports, table_triples)
    written = [_write(folder / "index.html", env.get_template("index.html").render(index))]
    province_page = env.get_template("province.html")
    for province in provinces:
        page = _province_page(province, area_facts, found, analysis)
        written.append(
            _write(folder / "provinces" / f"{_slug(province)}.html", province_page.render(page))
        )
    source_page = env.get_template("source.html")
    for source in sources:
        page = _source_page(source, source_facts[source], found, context)
        written.append(
            _write(folder / "sources" / f"{_slug(source)}.html", source_page.render(page))
        )
    return written


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
    ``kg build`` writes the same parts through :mod:`kg.views`, which reuses unchanged ones.
    """
    written = write_figures(store, analysis, folder / FIGURES)
    written += write_pages(
        store,
        analysis,
        folder,
        validation=validation,
        queries=queries,
        exports=exports,
        table_triples=table_triples,
    )
    written.append(write_ontology_docs(ontology, folder / ONTOLOGY, style=ontology_style()))
    # the font last: a subset of exactly the characters the pages were written with
    written += subset_font(page_texts(written), folder / FONTS)
    return written


def page_texts(written: Sequence[Path]) -> list[str]:
    """The text of every page among ``written``: the characters the font subset must hold."""
    return [path.read_text(encoding="utf-8") for path in written if path.suffix == ".html"]
