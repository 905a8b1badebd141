"""The figures of the report, as PNG and SVG: matplotlib with a CJK font from mplfonts.

Nothing depends on the clock or on chance: layouts are computed or seeded, the SVG ids use a
fixed salt and carry no date, and the PNGs carry no timestamp, so two builds of the same
data give the same bytes. Figures show at most MAX_AREAS areas per column, so they stay
legible when bulk tables bring thousands of areas.
"""

from __future__ import annotations

import hashlib
import json
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import networkx as nx
from pyoxigraph import Store

from kg.analyse import DIMENSION_ORDER, Analysis
from kg.store import select
from kg.webfont import cjk_font

# The figures by kind; the area-vs-country one is named after its areas (figure_names).
FIGURE_KINDS = ("top10-heatmap", "area-vs-country", "admin-tree", "source-support")
SEED = 7
MAX_AREAS = 40  # areas per column or graph in a figure: more would not be legible
Spec = dict[str, Any]  # what a figure shows, as plain JSON values: its drawing depends on it alone


# ---------------------------------------------------------------------------------------------
# Figures
# ---------------------------------------------------------------------------------------------


def _style() -> Any:  # matplotlib types rcParams keys as a Literal of every name
    """matplotlib settings for our figures: a CJK font from mplfonts, reproducible SVG."""
    from matplotlib import font_manager

    font = cjk_font()
    font_manager.fontManager.addfont(str(font))
    name = font_manager.FontProperties(fname=str(font)).get_name()
    return {
        "font.family": [name, "DejaVu Sans"],
        "svg.hashsalt": "dckg",
        "svg.fonttype": "path",
        "axes.unicode_minus": False,
        "path.simplify": True,
    }


def _save(figure: Any, folder: Path, name: str) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    png, svg = folder / f"{name}.png", folder / f"{name}.svg"
    figure.savefig(png, format="png", dpi=100, metadata={"Software": "dckg"})
    figure.savefig(svg, format="svg", metadata={"Date": None, "Creator": "dckg"})
    return [png, svg]


def _both(labels: tuple[str, str]) -> str:
    en, zh = labels
    return f"{en} {zh}".strip()


def heatmap_spec(analysis: Analysis) -> Spec:
    """Provinces x the report's eight top-10 lists, with the article's first tier beside it."""
    members = analysis.measures.top10
    graph = analysis.projection("province-dimensions").graph
    columns = [d for d in DIMENSION_ORDER if d in graph] + sorted(
        n
        for n, data in graph.nodes(data=True)
        if data["bipartite"] == 1 and graph.degree(n) and n not in DIMENSION_ORDER
    )
    matrix = []
    for member in members:
        row = [
            1 if graph.has_edge(member.area, d) and graph[member.area][d]["top10"] else 0
            for d in columns
        ]
        row.append(2 if member.first_tier else 0)
        matrix.append(row)
    if not members:
        matrix = [[0] * (len(columns) + 1)]
    names = [f"{analysis.labels[d][0]}\n{analysis.labels[d][1]}" for d in columns]
    top, tier = group_sources(analysis, "top10"), group_sources(analysis, "first_tier")
    tier_en = ", ".join(analysis.labels.get(s, (s, ""))[0] for s in tier) or "no source"
    tier_zh = "、".join(analysis.labels.get(s, (s, ""))[1] for s in tier)
    top_en = ", ".join(analysis.labels.get(s, (s, ""))[0] for s in top) or "no source"
    top_zh = "、".join(analysis.labels.get(s, (s, ""))[1] for s in top)
    return {
        "members": len(members),
        "columns": len(columns),
        "matrix": matrix,
        "xticks": [*names, f"first tier ({textwrap.shorten(tier_en, 30)})\n第一梯队"],
        "yticks": [f"{m.label_en} {m.label_zh} ({m.lists})" for m in members],
        "title": f"Top-10 lists of {top_en}, and the first tier of {tier_en}\n"
        f"{top_zh}前10名与{tier_zh}“第一梯队”（成员无排名）",
    }


def draw_heatmap(spec: Spec, folder: Path, name: str) -> list[Path]:
    from matplotlib.colors import ListedColormap
    from matplotlib.figure import Figure

    members, columns = spec["members"], spec["columns"]
    figure = Figure(figsize=(9, 3 + 0.26 * members), layout="constrained")
    axes = figure.add_subplot()
    axes.imshow(
        spec["matrix"],
        cmap=ListedColormap(["#eeeeee", "#1f5a96", "#e08a1e"]),
        vmin=0,
        vmax=2,
        aspect="auto",
    )
    axes.set_xticks(range(columns + 1), spec["xticks"], rotation=60, ha="right", fontsize=8)
    axes.set_yticks(range(members), spec["yticks"], fontsize=8)
    axes.axvline(columns - 0.5, color="white", linewidth=4)
    axes.set_xticks([x - 0.5 for x in range(columns + 2)], minor=True)
    axes.set_yticks([y - 0.5 for y in range(members + 1)], minor=True)
    axes.grid(which="minor", color="white", linewidth=1)
    axes.tick_params(which="minor", length=0)
    axes.set_title(spec["title"], fontsize=10)
    return _save(figure, folder, name)


@dataclass(frozen=True)
class Comparison:
    """An area's figure next to the country's of the same indicator, kind and unit.

    ``share`` (percent of the country's figure) only for totals of the same period, or
    reported on the same date; otherwise ``no_share`` says why not.
    """

    indicator: str
    kind: str
    area_value: float
    area_lower: bool
    national_value: float
    national_lower: bool
    share: float | None = None
    no_share: str = ""


_COMPARE = """
PREFIX dckg: <https://w3id.org/dckg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?indicator ?ien ?izh ?kind ?av ?aq ?nv ?nq ?ap ?apl ?ar ?np ?npl ?nr ?aname ?nname WHERE {
  ?a a dckg:Observation ; dckg:area <%(area)s> ; dckg:indicator ?indicator ;
     dckg:statementKind ?k ; dckg:value ?av ; dckg:unit ?unit ; dckg:qualifier ?aq .
  ?n a dckg:Observation ; dckg:area <%(country)s> ; dckg:indicator ?indicator ;
     dckg:statementKind ?k ; dckg:value ?nv ; dckg:unit ?unit ; dckg:qualifier ?nq .
  ?indicator rdfs:label ?ien , ?izh . FILTER (lang(?ien) = "en" && lang(?izh) = "zh")
  ?k rdfs:label ?kind . FILTER (lang(?kind) = "en")
  <%(area)s> rdfs:label ?aname . FILTER (lang(?aname) = "en")
  <%(country)s> rdfs:label ?nname . FILTER (lang(?nname) = "en")
  OPTIONAL { ?a dckg:refPeriod ?ap . OPTIONAL { ?ap rdfs:label ?apl . FILTER (lang(?apl) = "en") } }
  OPTIONAL { ?a dckg:reportedOn ?ar }
  OPTIONAL { ?n dckg:refPeriod ?np . OPTIONAL { ?np rdfs:label ?npl . FILTER (lang(?npl) = "en") } }
  OPTIONAL { ?n dckg:reportedOn ?nr }
}
"""


def _when(period: str, label: str, reported: str) -> str:
    return f"for {label or period}" if period else f"as reported on {reported}"


def _share(row: dict[str, str]) -> tuple[float | None, str]:
    """A total's share of the country's, where both figures are of the same time."""
    if row["kind"] != "total" or not float(row["nv"]):
        return None, ""
    same = row["ap"] == row["np"] if row["ap"] or row["np"] else row["ar"] == row["nr"]
    if same:
        return 100 * float(row["av"]) / float(row["nv"]), ""
    return None, (
        f"no share: {row['aname']}'s figure {_when(row['ap'], row['apl'], row['ar'])}, "
        f"{row['nname']}'s {_when(row['np'], row['npl'], row['nr'])}"
    )


def comparisons(store: Store, area: str, country: str) -> list[Comparison]:
    """An area's observations next to the country's of the same indicator, kind and unit."""
    from kg.vocab import ID

    rows = select(store, _COMPARE % {"area": f"{ID}{area}", "country": f"{ID}{country}"})
    found = {
        Comparison(
            f"{textwrap.fill(r['ien'], 40)}\n{r['izh']}",
            r["kind"],
            float(r["av"]),
            r["aq"].endswith("LowerBound"),
            float(r["nv"]),
            r["nq"].endswith("LowerBound"),
            *_share(r),
        )
        for r in rows
    }
    return sorted(
        found, key=lambda c: (c.indicator, c.kind, c.area_value, c.national_value, c.no_share)
    )


def _number(value: float, lower: bool) -> str:
    text = f"{value:,.0f}" if value == int(value) else f"{value:,}"
    return f"> {text}" if lower else text


def focus_areas(analysis: Analysis) -> tuple[str, str]:
    """The tree's root (the country) and the province the figures zoom into.

    The province is the one with the most sub-divisions in the data; empty strings where
    the data has no such area.
    """
    tree = analysis.projection("admin-hierarchy").graph
    roots = sorted(n for n in tree if tree.in_degree(n) == 0 and tree.out_degree(n) > 0)
    if not roots:
        return "", ""
    root = roots[0]
    provinces = sorted(tree.successors(root), key=lambda n: (-tree.out_degree(n), n))
    return root, provinces[0] if provinces and tree.out_degree(provinces[0]) else ""


def area_figure(analysis: Analysis) -> str:
    """The area-vs-country figure's name, from the data: ``<province>-vs-<country>``."""
    root, focus = focus_areas(analysis)
    if not focus:
        return "area-vs-country"
    return f"{focus.rsplit('/', 1)[-1]}-vs-{root.rsplit('/', 1)[-1]}"


def figure_names(analysis: Analysis) -> tuple[str, ...]:
    """The figures' file names (without suffix), in the order the report shows them."""
    return tuple(area_figure(analysis) if k == "area-vs-country" else k for k in FIGURE_KINDS)


def group_sources(analysis: Analysis, flag: str) -> list[str]:
    """The sources of the top-10 lists (``top10``) or of the first-tier claims (``first_tier``)."""
    graph = analysis.projection("province-dimensions").graph
    return sorted(
        {s for _a, _b, data in graph.edges(data=True) for s in data[f"{flag}_sources"].split()}
    )


def captions(analysis: Analysis) -> dict[str, str]:
    """Each figure's caption, its names and counts taken from the data."""
    labels = analysis.labels

    def en(node: str) -> str:
        return labels.get(node, (node, ""))[0]

    root, focus = focus_areas(analysis)
    tree = analysis.projection("admin-hierarchy").graph
    located = analysis.projection("infrastructure-areas").graph
    divisions = tree.out_degree(root) if root else 0
    cities = set(tree.successors(focus)) if focus else set()
    nodes = sum(
        1
        for n in located
        if located.nodes[n]["kind"] == "IdentifierResolutionNode"
        and any(a in cities for a in located.successors(n))
    )
    graph = analysis.projection("province-dimensions").graph
    lists = sum(1 for n, d in graph.nodes(data=True) if d["bipartite"] == 1 and graph.degree(n))
    top = " and ".join(en(s) for s in group_sources(analysis, "top10")) or "no source"
    tier = " and ".join(en(s) for s in group_sources(analysis, "first_tier"))
    return {
        "top10-heatmap": f"Provinces x the {lists} top-10 lists of {top}"
        + (f", with the first tier of {tier} beside them" if tier else "")
        + ". Members are unordered: a list is not a ranking.",
        area_figure(analysis): (
            f"{en(focus)}'s figures next to {en(root)}'s for every indicator both are given; "
            "log scale. A share is given only where both figures are of the same period; "
            "read the statements before comparing."
            if focus
            else "No province with sub-divisions in the data: nothing to compare."
        ),
        "admin-tree": f"The administrative tree: {en(root)}, its {divisions} divisions, "
        f"{en(focus)}'s {len(cities)} sub-divisions and the {nodes} identifier-resolution "
        "nodes in them.",
        "source-support": "Which source supports statements about which area; the width of "
        "an edge is the number of statements.",
    }


def area_vs_country_spec(store: Store, analysis: Analysis) -> Spec:
    """The focus province's figures next to the country's, for every indicator both have."""
    root, focus = focus_areas(analysis)
    rows = comparisons(store, focus, root) if focus else []
    country, province = analysis.labels.get(root, ("", "")), analysis.labels.get(focus, ("", ""))
    return {
        "rows": [asdict(row) for row in rows],
        "country": list(country),
        "province": list(province),
    }


def draw_area_vs_country(spec: Spec, folder: Path, name: str) -> list[Path]:
    from matplotlib.figure import Figure

    rows = [Comparison(**row) for row in spec["rows"]]
    country, province = tuple(spec["country"]), tuple(spec["province"])
    figure = Figure(figsize=(9, 1.2 + 1.1 * max(len(rows), 1)), layout="constrained")
    axes = figure.add_subplot()
    for index, row in enumerate(rows):
        y = len(rows) - 1 - index
        axes.barh(
            y + 0.2,
            row.national_value,
            height=0.38,
            color="#9bb7d4",
            label=_both(country) if index == 0 else None,
        )
        axes.barh(
            y - 0.2,
            row.area_value,
            height=0.38,
            color="#c0392b",
            label=_both(province) if index == 0 else None,
        )
        axes.text(
            row.national_value,
            y + 0.2,
            " " + _number(row.national_value, row.national_lower),
            va="center",
            fontsize=8,
        )
        share = (
            f" ({row.share:.2f} % of {country[0]})"
            if row.share is not None
            else "".join(f"\n {line}" for line in textwrap.wrap(row.no_share, 44))
            if row.no_share
            else ""
        )
        axes.text(
            row.area_value,
            y - 0.2,
            " " + _number(row.area_value, row.area_lower) + share,
            va="center",
            fontsize=8,
        )
    axes.set_yticks(
        range(len(rows)), [f"{r.indicator}\n({r.kind})" for r in reversed(rows)], fontsize=8
    )
    axes.set_xscale("log")
    axes.set_xlim(1, max([r.national_value for r in rows] or [10]) * 30)
    if not rows:
        axes.text(0.5, 0.5, "no figures to compare", ha="center", transform=axes.transAxes)
    else:
        axes.legend(loc="lower right", fontsize=8)
    axes.set_title(
        f"{province[0]} next to the figures of {country[0]} (log scale; sources and times differ)\n"
        f"{province[1]}与{country[1]}数据对比（对数坐标）",
        fontsize=10,
    )
    return _save(figure, folder, name)


def admin_tree_spec(analysis: Analysis) -> Spec:
    """The country, its provinces, the focus province's cities and the identifier-resolution nodes."""
    tree = analysis.projection("admin-hierarchy").graph
    located = analysis.projection("infrastructure-areas").graph
    root, focus = focus_areas(analysis)
    provinces = (
        sorted(tree.successors(root), key=lambda n: tree.nodes[n]["label_en"])[:MAX_AREAS]
        if root
        else []
    )
    cities = (
        sorted(tree.successors(focus), key=lambda n: tree.nodes[n]["label_en"])[:MAX_AREAS]
        if focus
        else []
    )
    nodes = sorted(
        n
        for n in located
        if located.nodes[n]["kind"] == "IdentifierResolutionNode"
        and any(a in cities for a in located.successors(n))
    )
    height = max(len(provinces), len(cities), 2)
    position: dict[str, tuple[float, float]] = {root: (0.0, (height - 1) / 2)} if root else {}
    for column, members in ((1, provinces), (2, cities)):
        step = (height - 1) / max(len(members) - 1, 1)
        for index, name in enumerate(members):
            position[name] = (float(column), height - 1 - index * step)
    edges = [(root, p) for p in provinces] + [(focus, c) for c in cities]
    for node in nodes:
        city = next(a for a in sorted(located.successors(node)) if a in cities)
        position[node] = (3.0, position[city][1])
        edges.append((city, node))
    points = []
    for name, (x, y) in sorted(position.items()):
        labels = analysis.labels.get(name, (name, ""))
        points.append([x, y, _both(labels) if x < 3 else f"{labels[1]}\n{labels[0]}"])
    return {
        "edges": [
            [*position[a], *position[b], b in cities or b in nodes or b == focus] for a, b in edges
        ],
        "points": points,
        "title": f"Administrative tree: {_both(analysis.labels.get(root, ('', '')))}, its "
        f"divisions, the cities of {_both(analysis.labels.get(focus, ('', '')))} and the "
        "identifier-resolution nodes in them",
    }


def draw_admin_tree(spec: Spec, folder: Path, name: str) -> list[Path]:
    from matplotlib.figure import Figure

    figure = Figure(figsize=(13, 12), layout="constrained")
    axes = figure.add_subplot()
    for xa, ya, xb, yb, highlight in spec["edges"]:
        axes.plot(
            [xa, xb],
            [ya, yb],
            color="#c0392b" if highlight else "#bbbbbb",
            linewidth=0.8 if not highlight else 1.2,
            zorder=1,
        )
    colours = {0: "#333333", 1: "#1f5a96", 2: "#c0392b", 3: "#e08a1e"}
    for x, y, text in spec["points"]:
        axes.scatter([x], [y], s=30, color=colours[int(x)], zorder=2)
        axes.text(x + 0.04, y, text, fontsize=7 if x < 3 else 6.5, va="center", ha="left")
    axes.set_xlim(-0.1, 4.4)
    axes.set_axis_off()
    axes.set_title(spec["title"], fontsize=10)
    return _save(figure, folder, name)


def source_support_spec(analysis: Analysis) -> Spec:
    """Sources and the areas their statements are about; edge width = number of statements."""
    support = analysis.measures.coverage_areas
    shown = sorted(support, key=lambda a: (-sum(support[a].values()), a))[:MAX_AREAS]
    graph = nx.Graph()
    for area in sorted(shown):
        for source, count in sorted(support[area].items()):
            graph.add_edge(source, area, weight=count)
    layout = {
        n: (float(x), float(y))
        for n, (x, y) in nx.spring_layout(graph, seed=SEED, weight=None, k=0.9).items()
    }
    points = []
    for name in sorted(graph.nodes):
        labels = analysis.labels.get(name, (name, ""))
        is_source = name.startswith("source/")
        points.append(
            [
                *layout[name],
                40 + 6 * sum(d["weight"] for _, _, d in graph.edges(name, data=True)),
                is_source,
                _both(labels) if not is_source else f"{labels[0]}\n{labels[1]}",
            ]
        )
    return {
        "edges": [
            [*layout[a], *layout[b], data["weight"]]
            for a, b, data in sorted(graph.edges(data=True))
        ],
        "points": points,
    }


def draw_source_support(spec: Spec, folder: Path, name: str) -> list[Path]:
    from matplotlib.figure import Figure

    figure = Figure(figsize=(11, 9), layout="constrained")
    axes = figure.add_subplot()
    for xa, ya, xb, yb, weight in spec["edges"]:
        axes.plot(
            [xa, xb], [ya, yb], color="#999999", linewidth=0.5 + 0.25 * min(weight, 16), zorder=1
        )
    for x, y, size, is_source, text in spec["points"]:
        axes.scatter(
            [x],
            [y],
            s=min(size, 900),
            color="#e08a1e" if is_source else "#1f5a96",
            zorder=2,
            alpha=0.9,
        )
        axes.text(
            x,
            y + 0.045,
            text,
            fontsize=6.5 if not is_source else 8,
            ha="center",
            va="bottom",
        )
    axes.set_axis_off()
    axes.set_title(
        "Which source supports statements about which area (edge width: number of statements)\n来源与地区：哪个来源支持哪些地区的陈述",
        fontsize=10,
    )
    return _save(figure, folder, name)


DRAW: dict[str, Callable[[Spec, Path, str], list[Path]]] = {
    "top10-heatmap": draw_heatmap,
    "area-vs-country": draw_area_vs_country,
    "admin-tree": draw_admin_tree,
    "source-support": draw_source_support,
}


@dataclass(frozen=True)
class Drawing:
    """One figure to draw: its kind, its file name (no suffix) and everything it shows.

    ``digest`` is the spec's SHA-256: two drawings with the same digest give the same files,
    so a build may reuse the previous one's (kg.views).
    """

    kind: str
    name: str
    spec: Spec

    @property
    def digest(self) -> str:
        text = json.dumps([self.kind, self.name, self.spec], sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def files(self) -> tuple[str, str]:
        return f"{self.name}.png", f"{self.name}.svg"


def drawings(store: Store, analysis: Analysis) -> list[Drawing]:
    """Every figure's spec, in the order the report shows them (cheap: nothing is drawn)."""
    specs = {
        "top10-heatmap": heatmap_spec(analysis),
        "area-vs-country": area_vs_country_spec(store, analysis),
        "admin-tree": admin_tree_spec(analysis),
        "source-support": source_support_spec(analysis),
    }
    return [
        Drawing(kind, name, _plain(specs[kind]))
        for kind, name in zip(FIGURE_KINDS, figure_names(analysis), strict=True)
    ]


def _plain(spec: Spec) -> Spec:
    """Tuples as lists, as JSON gives them back: a spec reads the same drawn or digested."""
    loaded: Spec = json.loads(json.dumps(spec, ensure_ascii=False))
    return loaded


def prepare() -> None:
    """Import what :func:`draw` uses (about 0.4 s), so that children forked afterwards to draw
    the figures side by side share it instead of each importing it again."""
    import matplotlib.backends.backend_agg
    import matplotlib.backends.backend_svg
    import matplotlib.colors
    import matplotlib.figure  # noqa: F401


def draw(items: Sequence[Drawing], folder: Path) -> list[Path]:
    """Draw ``items`` as PNG and SVG in ``folder``; matplotlib's global settings are left alone.

    Figures are drawn on ``matplotlib.figure.Figure`` objects, never through pyplot, so no
    GUI backend is involved.
    """
    import matplotlib

    written: list[Path] = []
    with matplotlib.rc_context(_style()):
        for item in items:
            written += DRAW[item.kind](item.spec, folder, item.name)
    return written


def write_figures(store: Store, analysis: Analysis, folder: Path) -> list[Path]:
    """Every figure as PNG and SVG in ``folder``."""
    return draw(drawings(store, analysis), folder)
