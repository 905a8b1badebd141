"""The browsable report: figures, pages, links, the ontology's docs, and a real browser."""

from __future__ import annotations

import html
import re
import shutil
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from browser import chromium
from rdflib import OWL, RDF, RDFS, Graph, Literal

from conftest import REPO
from kg.pipeline import BuildResult
from kg.project import Project
from kg.queries import list_queries

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
# The repository's figures: the area-vs-country one is named after the data's focus province.
FIGURES = ("top10-heatmap", "henan-vs-cn", "admin-tree", "source-support")


@pytest.fixture(scope="session")
def site(built: BuildResult) -> Path:
    return built.out_dir / "site"


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.links.append(value)


def _links(page: Path) -> list[str]:
    parser = _Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.links


@pytest.mark.parametrize("name", FIGURES)
def test_every_figure_is_a_valid_png_and_svg(site: Path, name: str) -> None:
    assert sorted(p.stem for p in (site / "figures").glob("*.svg")) == sorted(FIGURES)
    png = (site / "figures" / f"{name}.png").read_bytes()
    assert len(png) > 10_000 and png.startswith(PNG_MAGIC)
    assert b"tIME" not in png  # no timestamp chunk
    svg = site / "figures" / f"{name}.svg"
    root = ET.parse(svg).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert len(list(root.iter())) > 50
    assert "<dc:date>" not in svg.read_text(encoding="utf-8")


def test_every_local_link_of_every_page_resolves(site: Path) -> None:
    pages = sorted(site.rglob("*.html"))
    assert len(pages) == 1 + 31 + 3 + 1  # index, provinces, sources, ontology
    checked = 0
    for page in pages:
        if page.parent.name == "ontology":  # pyLODE's page: its own anchors must exist
            text = page.read_text(encoding="utf-8")
            anchors = set(re.findall(r'id="([^"]+)"', text))
            internal = {link[1:] for link in _links(page) if link.startswith("#")}
            assert len(internal) > 50 and internal <= anchors, sorted(internal - anchors)
            continue
        for link in _links(page):
            parts = urlsplit(link)
            if parts.scheme in ("http", "https", "data", "mailto") or link.startswith("#"):
                continue
            target = (page.parent / unquote(parts.path)).resolve()
            assert target.exists(), f"{page.relative_to(site)} links to missing {link}"
            checked += 1
    assert checked > 200


def test_the_index_holds_figures_tables_validation_and_queries(site: Path) -> None:
    text = (site / "index.html").read_text(encoding="utf-8")
    links = _links(site / "index.html")
    for name in FIGURES:
        assert f"figures/{name}.svg" in links and f"figures/{name}.png" in links
    assert "ontology/index.html" in links
    assert "../analysis/entities.graphml" in links
    assert "Conforms: the graph satisfies every shape." in text
    for query in list_queries(REPO / "queries"):
        assert f"<code>{query.name}</code>" in text
        assert html.escape(query.summary) in text
    for heading in (
        "Entities by class",
        "Statements by source",
        "Statements by indicator",
        "Links by target",
    ):
        assert f"<h3>{heading}</h3>" in text
    assert "10 provinces are in at least four of the report's eight top-10 lists" in text
    title = (site / "ontology" / "index.html").read_text(encoding="utf-8").split("</title>")[0]
    assert title.endswith("dckg: Digital China Knowledge Graph ontology · 数字中国知识图谱本体")


def test_province_and_source_pages_show_statements_and_quotes(site: Path) -> None:
    henan = (site / "provinces" / "henan.html").read_text(encoding="utf-8")
    assert "bringing the total number of 124.7 thousand" in henan  # the article's sentence
    assert "../sources/dahe-2022-08-16.html" in henan
    assert "wikidata.org/entity/Q43684" in henan
    report = (site / "sources" / "dcdr-2021.html").read_text(encoding="utf-8")
    assert "数字化综合发展水平位居全国前10名" in report
    assert "PDF page 55" in report
    gansu = (site / "provinces" / "gansu.html").read_text(encoding="utf-8")
    assert "In 0 of the report" in gansu


def test_the_ontology_docs_name_every_term_in_english_and_chinese(site: Path) -> None:
    page = (site / "ontology" / "index.html").read_text(encoding="utf-8")
    ontology = Graph().parse(REPO / "ontology" / "dckg.ttl")
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    terms = sorted({s for kind in kinds for s in ontology.subjects(RDF.type, kind)})
    assert len(terms) > 50
    for term in terms:
        labels = {
            label.language: str(label)
            for label in ontology.objects(term, RDFS.label)
            if isinstance(label, Literal)
        }
        assert f"<code>{term}</code>" in page, term
        for language in ("en", "zh"):
            assert html.escape(labels[language], quote=False) in page, (term, language)


@pytest.mark.browser
def test_the_pages_load_in_headless_chromium_without_errors(site: Path, tmp_path: Path) -> None:
    with chromium(tmp_path / "profile") as browser:
        for page in ("index.html", "provinces/henan.html", "sources/dcdr-2021.html"):
            browser.get((site / page).as_uri())
            images = browser.execute_script(
                "return Array.from(document.images).map(i => [i.src, i.complete, i.naturalWidth])"
            )
            for src, complete, width in images:
                assert complete and width > 0, f"{page}: {src} did not load"
            if page == "index.html":
                assert len(images) == len(FIGURES)
            errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
            assert errors == [], f"{page}: {errors}"


def _cli(*args: str) -> tuple[int, str, str]:
    from click.testing import CliRunner

    from kg.cli import main

    result = CliRunner().invoke(main, ["--project", str(REPO), *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_kg_analyse_and_kg_report_rewrite_their_folders_of_a_build(
    built: BuildResult, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    shutil.copytree(built.out_dir, out)
    shutil.rmtree(out / "analysis")
    (out / "site" / "index.html").write_text("stale", encoding="utf-8")
    code, stdout, _ = _cli("analyse", "--out", str(out))
    assert code == 0
    assert "10 provinces in at least 4 of the 8 lists" in stdout
    assert "isolated entities: none" in stdout
    assert "Beijing 北京市" in stdout
    for path in sorted((built.out_dir / "analysis").iterdir()):
        assert (out / "analysis" / path.name).read_bytes() == path.read_bytes(), path.name
    assert (out / "site" / "index.html").read_text(encoding="utf-8") == "stale"  # not touched
    code, stdout, _ = _cli("report", "--out", str(out))
    assert code == 0 and "index.html" in stdout
    for path in sorted((built.out_dir / "site").rglob("*")):
        if path.is_file():
            copy = out / "site" / path.relative_to(built.out_dir / "site")
            assert copy.read_bytes() == path.read_bytes(), path
    assert not list(tmp_path.glob(".out.building-*"))  # no staging folder left behind


def test_kg_analyse_without_a_build_says_what_to_do(tmp_path: Path) -> None:
    code, _, stderr = _cli("analyse", "--out", str(tmp_path / "nothing"))
    assert code == 2
    assert "no store at" in stderr and "kg build" in stderr
    assert "Traceback" not in stderr


def test_kg_build_without_views_writes_the_graph_only(mini: Project) -> None:
    from click.testing import CliRunner

    from kg.cli import main

    runner = CliRunner()
    args = ["--project", str(mini.root), "build", "--formats"]
    result = runner.invoke(main, [*args, "nt,ttl,trig,jsonld,store"])
    assert result.exit_code == 0, result.output
    assert (mini.out_dir / "kg.ttl").is_file()
    assert not (mini.out_dir / "site").exists() and not (mini.out_dir / "analysis").exists()
    refused = runner.invoke(main, [*args, "nt,views"])
    assert refused.exit_code == 2 and "views are drawn from the embedded store" in refused.output
