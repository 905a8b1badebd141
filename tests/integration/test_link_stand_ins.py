"""`kg link` on its real code path against local stand-ins: a GeoNames-format fixture, and an
Oxigraph server started here on 127.0.0.1 with a small fixture in Wikidata's own data model.

The fixtures hold the real identifiers of our areas (as committed, from sourced datasets)
plus made-up hard cases in a test namespace; the linker must propose every committed link
with high confidence, flag the hard cases and accept no wrong link.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import FIXTURES, REPO
from kg import link, sssom
from kg.errors import RemoteError
from kg.project import Project
from kg.sources import load_records

GEONAMES = FIXTURES / "geonames"
WIKIDATA = FIXTURES / "wikidata" / "stand-in.ttl"
TEST = "https://example.org/dckg-test/wikidata/"  # made-up items: never real-looking QIDs


def _committed(target: str) -> dict[str, str]:
    mapping_set = sssom.read(REPO / "data" / "links" / f"{target}.sssom.tsv")
    return {
        m.subject_id: sssom.expand(m.object_id, mapping_set.curie_map)
        for m in mapping_set.accepted()
    }


def _run(project: Project, target: str, tmp_path: Path, **kwargs: object) -> link.LinkResult:
    return link.link_areas(
        load_records(project.data_dir), target, links_dir=tmp_path / "links", **kwargs
    )  # type: ignore[arg-type]


def test_geonames_proposes_every_committed_link_and_flags_hard_cases(
    repo_project: Project, tmp_path: Path
) -> None:
    files = [GEONAMES / "admin1CodesASCII.txt", GEONAMES / "admin2Codes.txt"]
    result = _run(repo_project, "geonames", tmp_path, geonames_files=files)
    committed = _committed("geonames")
    accepted = {m.subject_id: sssom.expand(m.object_id) for m in result.accepted}
    wrong = {s: o for s, o in accepted.items() if committed.get(s) != o}
    assert wrong == {}, "a wrong link was accepted"
    proposed = {
        (m.subject_id, sssom.expand(m.object_id)): float(m.confidence)
        for m in (*result.accepted, *result.review)
    }
    in_fixture = {
        s: o for s, o in committed.items() if s != "dckgid:area/cn"
    }  # China is in countryInfo, not here
    for subject, obj in in_fixture.items():
        assert proposed.get((subject, obj), 0) >= 0.8, (
            f"{subject} -> {obj} not proposed with high confidence"
        )
    review = {(m.subject_id, m.object_id) for m in result.review}
    assert ("dckgid:area/xinxiang", "gn:990000001/") in review  # same name, another province
    assert ("dckgid:area/luohe", "gn:990000002/") in review  # a rival with the same name: ambiguous
    assert "dckgid:area/luohe" not in accepted
    assert len(accepted) == len(in_fixture) - 1


def test_rerun_keeps_curated_decisions_and_reports_changes(
    repo_project: Project, tmp_path: Path
) -> None:
    files = [GEONAMES / "admin1CodesASCII.txt", GEONAMES / "admin2Codes.txt"]
    links_dir = tmp_path / "links"
    links_dir.mkdir()
    curated = sssom.Link(
        "dckgid:area/luohe",
        "gn:1801930/",
        mapping_justification=sssom.MANUAL,
        comment="checked by a curator",
    )
    rejected = sssom.Link(
        "dckgid:area/luohe",
        "gn:990000002/",
        predicate_modifier="Not",
        mapping_justification=sssom.MANUAL,
    )
    sssom.write(links_dir / "geonames.sssom.tsv", link.metadata("geonames"), [curated, rejected])
    first = _run(repo_project, "geonames", tmp_path, geonames_files=files)
    assert {curated, rejected} <= set(first.kept)
    written = sssom.read(links_dir / "geonames.sssom.tsv")
    assert curated in written.mappings and rejected in written.mappings
    review = sssom.read(links_dir / "geonames.review.sssom.tsv")
    assert all(m.object_id != "gn:990000002/" for m in review.mappings)
    second = _run(repo_project, "geonames", tmp_path, geonames_files=files)
    assert second.changes == ()  # nothing changed between two runs on the same input


# -- Wikidata, through a real SPARQL endpoint -------------------------------------------------


@pytest.mark.server
def test_wikidata_proposes_every_committed_link_and_flags_hard_cases(
    repo_project: Project, tmp_path: Path, wikidata_stand_in: str
) -> None:
    endpoint = link.Endpoint(wikidata_stand_in, cache_dir=tmp_path / "cache")
    result = _run(repo_project, "wikidata", tmp_path, select=endpoint)
    committed = _committed("wikidata")
    accepted = {m.subject_id: sssom.expand(m.object_id) for m in result.accepted}
    assert {s: o for s, o in accepted.items() if committed.get(s) != o} == {}, (
        "a wrong link was accepted"
    )
    proposed = {
        (m.subject_id, sssom.expand(m.object_id)): float(m.confidence)
        for m in (*result.accepted, *result.review)
    }
    fixture = WIKIDATA.read_text(encoding="utf-8")
    for subject, obj in committed.items():
        if f"wd:{obj.rsplit('/', 1)[-1]} " not in fixture:
            continue
        assert proposed.get((subject, obj), 0) >= 0.8, (
            f"{subject} -> {obj} not proposed with high confidence"
        )
    flagged = {m.object_id for m in result.review}
    for hard in ("xinxiang-elsewhere", "jiyuan-no-code", "xuchang-historical"):
        assert f"{TEST}{hard}" in flagged, hard
    assert all("example.org" not in o for o in accepted.values())
    # The traditional-characters-only item is not proposed for Zhengzhou at all.
    assert not any(
        "zhengzhou-traditional" in m.object_id for m in (*result.accepted, *result.review)
    )
    # Cached: a second run asks the endpoint nothing.
    before = endpoint.requests
    _run(repo_project, "wikidata", tmp_path, select=endpoint)
    assert endpoint.requests == before


def test_endpoint_down(free_port: int) -> None:
    with pytest.raises(RemoteError, match="cannot reach"):
        link.Endpoint(f"http://127.0.0.1:{free_port}/sparql", timeout=5)("SELECT * {}")


@pytest.mark.server
def test_endpoint_slow(http_server: str) -> None:
    with pytest.raises(RemoteError, match=r"did not answer within 1 s"):
        link.Endpoint(f"{http_server}/slow", timeout=1, retries=0)("SELECT * {}")


@pytest.mark.server
def test_endpoint_malformed(http_server: str) -> None:
    with pytest.raises(RemoteError, match="did not answer with SPARQL JSON results"):
        link.Endpoint(f"{http_server}/html")("SELECT * {}")


@pytest.mark.server
def test_endpoint_rate_limited_is_retried_after_retry_after(http_server: str) -> None:
    waits: list[float] = []
    endpoint = link.Endpoint(f"{http_server}/status/429", retries=2, sleep=waits.append)
    with pytest.raises(RemoteError, match="HTTP 429"):
        endpoint("SELECT * {}")
    assert waits == [7.0, 7.0] and endpoint.requests == 3


def test_wikidata_offline_from_a_dump(repo_project: Project, tmp_path: Path) -> None:
    """`kg link --dump FILE`: the same queries on a local copy, no endpoint."""
    result = _run(repo_project, "wikidata", tmp_path, select=link.dump_select(WIKIDATA))
    committed = _committed("wikidata")
    accepted = {m.subject_id: sssom.expand(m.object_id) for m in result.accepted}
    assert accepted == committed
