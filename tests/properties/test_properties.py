"""Property tests of the builder: any valid record set builds, conforms and round-trips."""

from __future__ import annotations

import dataclasses
import random
import re
import shutil
import tempfile
from decimal import Decimal
from pathlib import Path

import pyoxigraph
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rdflib import Dataset, Graph, Literal
from rdflib.compare import isomorphic

from conftest import FIXTURES, REPO
from kg import serialize
from kg.build import build
from kg.errors import Origin
from kg.model import FactClaim, Indicator, Observation, Quote, Records, Text, When
from kg.pipeline import load_shapes
from kg.project import Project
from kg.quadset import QuadSet
from kg.sources import load_records
from kg.validate import parse_rdf, validate_graph
from kg.vocab import ID, KINDS, ONTOLOGY_GRAPH, mint

MINI = load_records(FIXTURES / "mini" / "data")
PROJECT = Project(REPO)
SHAPES = load_shapes(PROJECT)
ONTOLOGY = parse_rdf(PROJECT.ontology_files())
HERE = Origin(Path("generated.yaml"), 1)
AREAS = [a.id for a in MINI.areas]
GIZMOS = Indicator(
    id="gizmos",
    label=Text.of({"en": "gizmos", "zh": "小玩意"}),
    definition=Text.of({"en": "Number of gizmos.", "zh": "小玩意数量。"}),
    unit="count",
    origin=HERE,
)

texts = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), whitelist_characters="\n\t\"'`“”\\"),
    min_size=2,
    max_size=40,
).filter(lambda t: t.strip() == t and len(t) >= 2)


@st.composite
def record_sets(draw: st.DrawFn) -> Records:
    areas = draw(st.lists(st.sampled_from(AREAS), min_size=1, max_size=len(AREAS), unique=True))
    observations = []
    for index, area in enumerate(areas):
        quote = draw(texts)
        observations.append(
            Observation(
                id=f"gizmos-{index}",
                source="test-report",
                area=area,
                indicator="gizmos",
                kind="total",
                value=Decimal(draw(st.integers(min_value=0, max_value=10**15))),
                unit="count",
                qualifier=draw(st.sampled_from(["exact", "lower-bound", "approximate"])),
                wording=Text.of({"zh": draw(texts)}),
                when=When(period="2021", stated=True),
                quotes=(Quote(language="zh", text=quote, page=1, origin=HERE),),
                origin=HERE,
            )
        )
    facts = [
        FactClaim(
            id=f"fact-{index}",
            source="test-report",
            label=Text.of({"en": draw(texts), "zh": draw(texts)}),
            when=When(period="2021", stated=True),
            quotes=(
                Quote(
                    language="zh", text=draw(texts), page=2, translation=draw(texts), origin=HERE
                ),
            ),
            origin=HERE,
        )
        for index in range(draw(st.integers(min_value=0, max_value=3)))
    ]
    return dataclasses.replace(
        MINI,
        indicators=(*MINI.indicators, GIZMOS),
        statements=(*MINI.statements, *observations, *facts),
    )


def _dataset(records: Records) -> Dataset:
    quads, _ = build(records)
    return serialize.to_dataset(quads)


def _shuffled(records: Records, seed: int) -> Records:
    rng = random.Random(seed)
    fields = {}
    for field in dataclasses.fields(records):
        items = list(getattr(records, field.name))
        rng.shuffle(items)
        fields[field.name] = tuple(items)
    return Records(**fields)


SETTINGS = settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(record_sets())
def test_valid_records_build_and_conform(records: Records) -> None:
    quads, built = build(records)
    union = serialize.union_graph(serialize.to_dataset(quads, extra=[(ONTOLOGY_GRAPH, ONTOLOGY)]))
    report = validate_graph(union, SHAPES, built.origins)
    assert report.conforms, report.text()


@SETTINGS
@given(record_sets())
def test_every_format_round_trips(records: Records) -> None:
    dataset = _dataset(records)
    union = serialize.union_graph(dataset)
    assert isomorphic(Graph().parse(data=serialize.ntriples(union), format="nt"), union)
    assert isomorphic(Graph().parse(data=serialize.turtle(union), format="turtle"), union)
    for text, fmt in ((serialize.trig(dataset), "trig"), (serialize.jsonld(dataset), "json-ld")):
        again = Dataset()
        again.parse(data=text, format=fmt)
        assert isomorphic(serialize.union_graph(again), union), fmt


@SETTINGS
@given(record_sets())
def test_the_quad_set_writes_what_rdflib_writes(records: Records) -> None:
    """The build keeps plain quads (kg.quadset); each file it writes from them has the bytes
    that rdflib's Dataset, Graph and writers give for the same quads."""
    quads, _ = build(records)
    quads = list(quads)
    curated = QuadSet(quads, extra=[(ONTOLOGY_GRAPH, ONTOLOGY)])
    dataset = serialize.to_dataset(quads, extra=[(ONTOLOGY_GRAPH, ONTOLOGY)])
    union = serialize.union_graph(dataset)
    assert curated.ntriples() == serialize.ntriples(union)
    assert curated.nquads() == serialize.nquads(dataset)
    assert serialize.turtle_of(curated) == serialize.turtle(union)
    assert serialize.trig(curated) == serialize.trig(dataset)
    assert len(curated) == len(union)
    assert curated.quad_count() == len(dataset)
    assert curated.graph_sizes() == {g.identifier: len(g) for g in dataset.graphs() if len(g) > 0}


@SETTINGS
@given(record_sets(), st.integers(min_value=0, max_value=2**32))
def test_record_order_does_not_change_the_output(records: Records, seed: int) -> None:
    first, second = _dataset(records), _dataset(_shuffled(records, seed))
    assert serialize.nquads(first) == serialize.nquads(second)
    assert serialize.turtle(serialize.union_graph(first)) == serialize.turtle(
        serialize.union_graph(second)
    )
    assert serialize.trig(first) == serialize.trig(second)


@SETTINGS
@given(record_sets(), st.integers(min_value=1, max_value=10**6))
def test_a_negative_count_fails_with_its_message(records: Records, minus: int) -> None:
    broken = next(
        s for s in records.statements if isinstance(s, Observation) and s.indicator == "gizmos"
    )
    records = dataclasses.replace(
        records,
        statements=tuple(
            dataclasses.replace(s, value=Decimal(-minus)) if s is broken else s
            for s in records.statements
        ),
    )
    quads, built = build(records)
    union = serialize.union_graph(serialize.to_dataset(quads, extra=[(ONTOLOGY_GRAPH, ONTOLOGY)]))
    report = validate_graph(union, SHAPES, built.origins)
    assert not report.conforms
    messages = {v.message for v in report.violations}
    assert (
        "a total, a number new in a period, a share, a rank or a ratio cannot be negative"
        in messages
    )


slugs = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?", fullmatch=True)


@given(
    st.lists(st.tuples(st.sampled_from(["area", "unit", "statement"]), slugs, slugs), unique=True)
)
def test_minting_never_maps_two_keys_to_one_iri(keys: list[tuple[str, str, str]]) -> None:
    iris = {mint(kind, *parts) for kind, *parts in keys}
    assert len(iris) == len(keys)


# ---------------------------------------------------------------------------------------------
# Through the files: YAML -> records -> graph -> every format (and the store) -> the same text
# ---------------------------------------------------------------------------------------------

SPECIAL_TEXTS = [
    '"""',
    "'''",
    "“1+37”",
    "他说：“好”，她说‘行’。",
    "《数字中国发展报告（2021年）》【第一梯队】、、",
    "🚀🇨🇳👩‍💻",
    "a \"quoted\" and 'single' word",
    "back\\slash \\n not a newline",
    "line one\nline two\n\nline four",
    "tab\there",
    "ends with a colon:",
    "# not a comment",
    "@prefix x: <y> .",
    "<https://w3id.org/dckg/id/area/alpha>",
    '{"@id": "x"}',
    "x\u2028y\u2029z",
    "zero\u200bwidth\ufeffBOM",
]
valid_texts = (
    st.lists(
        st.one_of(
            st.sampled_from(SPECIAL_TEXTS),
            st.text(
                alphabet=st.characters(
                    blacklist_categories=("Cs", "Cc"), whitelist_characters="\n\t"
                ),
                min_size=1,
                max_size=12,
            ),
        ),
        min_size=1,
        max_size=4,
    )
    .map("".join)
    .filter(lambda t: t.strip() == t and t != "")
)


def _yaml_scalar(text: str) -> str:
    """``text`` as a double-quoted YAML scalar, escaped by ruamel as needed."""
    import io

    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=True)
    yaml.allow_unicode = True
    yaml.width = 10**6
    yaml.default_style = '"'
    buffer = io.StringIO()
    yaml.dump({"k": text}, buffer)
    dumped = buffer.getvalue()
    assert dumped.startswith('"k": "') and dumped.endswith('"\n'), dumped
    return dumped[5:-1]


def _literals_in_every_output(records: Records) -> dict[str, set[str]]:
    """The literal values found after writing the graph in each format and reading it back."""
    dataset = _dataset(records)
    union = serialize.union_graph(dataset)
    found: dict[str, set[str]] = {}
    for fmt, text in (
        ("nt", serialize.ntriples(union)),
        ("turtle", serialize.turtle(union)),
        ("trig", serialize.trig(dataset)),
        ("json-ld", serialize.jsonld(dataset)),
    ):
        again = Dataset()
        again.parse(data=text, format=fmt)
        found[fmt] = {str(o) for _, _, o, _ in again.quads() if isinstance(o, Literal)}
    curated = QuadSet(build(records)[0])
    for fmt, text in (("quadset-nt", curated.ntriples()), ("quadset-nq", curated.nquads())):
        again = Dataset()
        again.parse(data=text, format="nquads" if fmt.endswith("nq") else "nt")
        found[fmt] = {str(o) for _, _, o, _ in again.quads() if isinstance(o, Literal)}
    quads = pyoxigraph.parse(curated.nquads().encode(), pyoxigraph.RdfFormat.N_QUADS)
    found["store"] = {q.object.value for q in quads if isinstance(q.object, pyoxigraph.Literal)}
    return found


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_texts, valid_texts)
@example(label='"""', quote="x\u2028y\u2029z")  # U+2028 once cut an N-Triples line in two
@example(label="“1+37” 🚀", quote="他说：“好”，\n她说‘行’。")
@example(label="- a list?", quote="?0")
def test_any_valid_label_or_quote_survives_byte_for_byte(label: str, quote: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "data"
        shutil.copytree(FIXTURES / "mini" / "data", root)
        for name, old, new in (
            (
                "reference/reference.yaml",
                "label: {en: Beta,",
                f"label: {{en: {_yaml_scalar(label)},",
            ),
            (
                "sources/test-report.yaml",
                "{page: 1, zh: 甲省部件占比60%以上}",
                f"{{page: 1, zh: {_yaml_scalar(quote)}}}",
            ),
        ):
            path = root / name
            path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
        records = load_records(root)
    assert any(a.label.get("en") == label for a in records.areas)
    for fmt, literals in _literals_in_every_output(records).items():
        assert label in literals, fmt
        assert quote in literals, fmt


@SETTINGS
@given(st.data())
def test_file_order_and_record_order_do_not_change_the_output(data: st.DataObject) -> None:
    """The reference records split over files of any names, in any order, give the same graph."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    document = yaml.load((FIXTURES / "mini" / "data" / "reference" / "reference.yaml").read_text())
    items = [(section, item) for section, values in document.items() for item in values]
    items = data.draw(st.permutations(items))
    files = data.draw(st.integers(min_value=1, max_value=4))
    names = data.draw(
        st.lists(
            st.from_regex(r"[a-z]{1,8}", fullmatch=True),
            min_size=files,
            max_size=files,
            unique=True,
        )
    )
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "data"
        shutil.copytree(FIXTURES / "mini" / "data", root)
        (root / "reference" / "reference.yaml").unlink()
        for index, name in enumerate(names):
            sections: dict[str, list[object]] = {}
            for section, item in items[index::files]:
                sections.setdefault(section, []).append(item)
            with open(root / "reference" / f"{name}.yaml", "w", encoding="utf-8") as handle:
                yaml.dump(sections, handle)
        shuffled = load_records(root)
    first, second = _dataset(MINI), _dataset(shuffled)
    assert serialize.nquads(first) == serialize.nquads(second)
    assert serialize.trig(first) == serialize.trig(second)
    assert serialize.jsonld(first) == serialize.jsonld(second)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(sorted(KINDS)), st.lists(st.text(max_size=8), min_size=1, max_size=3))
@example("area", ["henan\n"])
def test_minting_refuses_what_is_not_a_slug_and_keeps_every_slug_apart(
    kind: str, parts: list[str]
) -> None:
    """Any text is refused unless it is a slug; a slug comes back, segment by segment, from the IRI."""
    slugs = all(re.fullmatch(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?", p) for p in parts)
    try:
        iri = mint(kind, *parts)
    except ValueError:
        assert not slugs
        return
    assert slugs, f"minted {iri!r} from {parts!r}"
    assert str(iri).removeprefix(str(ID)).split("/") == [kind, *parts]
