"""``kg link``: discover links from our areas to Wikidata and GeoNames, for a curator to review.

Wikidata (a SPARQL endpoint, or a local RDF dump in Wikidata's data model): candidates by
administrative code first (Wikidata's P442 writes GB/T 2260 codes in its own short form:
410000 -> "41", 410100 -> "41 01", 419001 -> "41 90 01"), then by Chinese and English label
among items in China (P17 = Q148), with the parent area (P131) as a check. GeoNames (no
SPARQL endpoint): its own admin-code files, by name within the parent's admin1 code.

Each candidate gets a confidence and the reasons for it. The best single candidate at or
above ``min_confidence``, with no rival close to it, is accepted; everything else goes to
review. Curated rows (``semapv:ManualMappingCuration``) and rejections (``predicate_modifier
Not``) in the committed mapping set are kept as they are and never overridden.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

import pyoxigraph

from kg import sssom
from kg.errors import InputError, RemoteError, network_failure, redact_url
from kg.model import Area, Records
from kg.vocab import mint

WIKIDATA_ENDPOINT = "https://query.wikidata.org/sparql"
WD = "http://www.wikidata.org/entity/"
GEONAMES = "https://sws.geonames.org/"
USER_AGENT = (
    "dckg-link/0.1 (https://w3id.org/dckg/; knowledge graph of China's digital infrastructure)"
)
BATCH = 50

Select = Callable[[str], list[dict[str, str]]]


def p442_form(code: str) -> str:
    """GB/T 2260 six digits in Wikidata's P442 form: pairs, trailing "00" pairs dropped."""
    pairs = [code[i : i + 2] for i in range(0, 6, 2)]
    while len(pairs) > 1 and pairs[-1] == "00":
        pairs.pop()
    return " ".join(pairs)


@dataclass
class Candidate:
    area: str
    item: str
    label_zh: str = ""
    label_en: str = ""
    code_match: bool = False
    zh_match: bool = False
    en_match: bool = False
    parent_match: bool = False
    parent_known: bool = False
    dissolved: bool = False
    reasons: list[str] = field(default_factory=list)
    names: set[tuple[str, str]] = field(default_factory=set)  # (lang, text) of labels it matched
    parents: set[str] = field(default_factory=set)  # the item's P131 values
    codes: set[str] = field(default_factory=set)  # the item's P442 values
    target: str = "wikidata"
    area_has_code: bool = True  # False for an area with no administrative code (China itself)
    area_has_parent: bool = True

    @property
    def confidence(self) -> float:
        score = (
            0.6 * self.code_match
            + 0.2 * self.zh_match
            + 0.1 * self.en_match
            + 0.1 * self.parent_match
        )
        if not self.area_has_code:
            # Only labels (and a parent) can speak for an area without a code: scale what they
            # can give to at most 0.9, below a code match.
            possible = 0.3 + 0.1 * self.area_has_parent
            score = 0.9 * (score / possible)
        if self.dissolved:
            score = min(score, 0.3)
        return round(score, 2)

    def reason(self) -> str:
        geonames = self.target == "geonames"
        parts = []
        if self.code_match:
            parts.append(
                "admin code under the province's admin1 code"
                if geonames
                else "administrative code matches (P442)"
            )
        if self.zh_match:
            parts.append("Chinese label matches")
        if self.en_match:
            parts.append("English name matches")
        if self.parent_match:
            parts.append("parent admin1 matches" if geonames else "parent area matches (P131)")
        elif self.parent_known:
            parts.append("parent area does NOT match")
        if self.dissolved:
            parts.append("item is dissolved (P576): historical")
        return "; ".join(parts + self.reasons) or "no evidence"


@dataclass(frozen=True)
class LinkResult:
    accepted: tuple[sssom.Link, ...]
    review: tuple[sssom.Link, ...]
    kept: tuple[sssom.Link, ...]  # curated rows and rejections carried over
    changes: tuple[str, ...]


# ---------------------------------------------------------------------------------------------
# Talking to a Wikidata-shaped SPARQL endpoint (or a local dump)
# ---------------------------------------------------------------------------------------------


class Endpoint:
    """SELECT on a SPARQL endpoint: descriptive User-Agent, 429 Retry-After honoured, cache."""

    def __init__(
        self,
        url: str,
        *,
        cache_dir: Path | None = None,
        timeout: float = 60.0,
        retries: int = 4,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.url = url
        self.cache_dir = cache_dir
        self.timeout = timeout
        self.retries = retries
        self.sleep = sleep
        self.requests = 0

    def __call__(self, query: str) -> list[dict[str, str]]:
        key = hashlib.sha256(f"{self.url}\n{query}".encode()).hexdigest()
        cached = self.cache_dir / f"{key}.json" if self.cache_dir else None
        if cached is not None and cached.is_file():
            return list(json.loads(cached.read_text(encoding="utf-8")))
        rows = self._fetch(query)
        if cached is not None:
            cached.parent.mkdir(parents=True, exist_ok=True)
            cached.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
        return rows

    def _fetch(self, query: str) -> list[dict[str, str]]:
        shown = redact_url(self.url)
        body = urllib.parse.urlencode({"query": query}).encode()
        headers = {
            "User-Agent": USER_AGENT,
            "Accept": "application/sparql-results+json",
            "Content-Type": "application/x-www-form-urlencoded",
        }
        for attempt in range(self.retries + 1):
            self.requests += 1
            request = urllib.request.Request(self.url, data=body, headers=headers, method="POST")
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    raw = response.read()
                break
            except urllib.error.HTTPError as exc:
                exc.close()  # an HTTPError holds the connection open
                if exc.code == 429 and attempt < self.retries:
                    wait = exc.headers.get("Retry-After", "5")
                    self.sleep(float(wait) if wait.isdigit() else 5.0)
                    continue
                if exc.code in (502, 503, 504) and attempt < self.retries:
                    self.sleep(2.0**attempt)
                    continue
                raise RemoteError(f"{shown} answered HTTP {exc.code} {exc.reason}") from None
            except (OSError, http.client.HTTPException) as exc:  # URLError is an OSError
                message, hint = network_failure(self.url, exc, self.timeout)
                raise RemoteError(message, hint=f"{hint}; or use --dump FILE offline") from None
        else:  # pragma: no cover - the loop always breaks or raises
            raise RemoteError(f"{shown}: too many retries")
        if not raw.strip():
            raise RemoteError(
                f"{shown} answered an empty body", hint="Wikidata does this without a User-Agent"
            )
        try:
            document = json.loads(raw)
            return [{k: v["value"] for k, v in b.items()} for b in document["results"]["bindings"]]
        except (ValueError, KeyError, TypeError):
            raise RemoteError(
                f"{shown} did not answer with SPARQL JSON results (starts {raw[:60]!r})"
            ) from None


def dump_select(path: Path) -> Select:
    """SELECT on a local RDF dump (Turtle, N-Triples ...) loaded into an in-memory store."""
    store = pyoxigraph.Store()
    suffix = path.suffix.lower()
    formats = {
        ".ttl": pyoxigraph.RdfFormat.TURTLE,
        ".nt": pyoxigraph.RdfFormat.N_TRIPLES,
        ".nq": pyoxigraph.RdfFormat.N_QUADS,
        ".trig": pyoxigraph.RdfFormat.TRIG,
    }
    if suffix not in formats:
        raise InputError(f"{path}: unknown dump format", hint="use .ttl, .nt, .nq or .trig")
    try:
        store.bulk_load(path=str(path), format=formats[suffix])
    except (OSError, SyntaxError) as exc:
        raise InputError(f"{path}: cannot load the dump: {exc}") from None

    def select(query: str) -> list[dict[str, str]]:
        result = store.query(query, use_default_graph_as_union=True)
        assert isinstance(result, pyoxigraph.QuerySolutions)
        names = [v.value for v in result.variables]
        return [{n: s[n].value for n in names if s[n] is not None} for s in result]

    return select


# ---------------------------------------------------------------------------------------------
# Wikidata candidates
# ---------------------------------------------------------------------------------------------

_PREFIXES = """PREFIX wd: <http://www.wikidata.org/entity/>
PREFIX wdt: <http://www.wikidata.org/prop/direct/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""


def _literal(text: str, lang: str | None = None) -> str:
    """A SPARQL string literal meaning exactly ``text`` (labels come from curated files)."""
    from kg.queries import escape_string

    return f'"{escape_string(text)}"' + (f"@{lang}" if lang else "")


def _batches(items: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(items), BATCH):
        yield items[start : start + BATCH]


def wikidata_candidates(
    areas: list[Area], select: Select, known: dict[str, str]
) -> list[Candidate]:
    """Candidates for ``areas``; ``known`` maps area ids to QIDs already linked (for parent checks)."""
    by_code = {p442_form(a.code): a for a in areas if a.code}
    names: dict[tuple[str, str], list[Area]] = {}
    for area in areas:
        for lang, text in area.label.items:
            names.setdefault((lang, text), []).append(area)
        if area.short_zh:
            names.setdefault(("zh", area.short_zh), []).append(area)
    found: dict[tuple[str, str], Candidate] = {}
    details = """
      OPTIONAL { ?item rdfs:label ?zh . FILTER (lang(?zh) = "zh") }
      OPTIONAL { ?item rdfs:label ?en . FILTER (lang(?en) = "en") }
      OPTIONAL { ?item wdt:P131 ?parent }
      OPTIONAL { ?item wdt:P442 ?itemcode }
      OPTIONAL { ?item wdt:P576 ?dissolved }"""
    for codes in _batches(sorted(by_code)):
        values = " ".join(_literal(c) for c in codes)
        rows = select(
            f"{_PREFIXES}SELECT ?item ?code ?zh ?en ?parent ?itemcode ?dissolved WHERE {{\n"
            f"  VALUES ?code {{ {values} }}\n  ?item wdt:P442 ?code .{details}\n}}"
        )
        for row in rows:
            coded = by_code.get(row.get("code", ""))
            if coded is not None:
                _merge(found, coded, row)
    keys = sorted(names)
    for batch in _batches([f"{lang}\t{text}" for lang, text in keys]):
        values = " ".join(_literal(text, lang) for lang, text in (k.split("\t", 1) for k in batch))
        rows = select(
            f"{_PREFIXES}SELECT ?item ?name ?zh ?en ?parent ?itemcode ?dissolved WHERE {{\n"
            f"  VALUES ?name {{ {values} }}\n  ?item rdfs:label|skos:altLabel ?name ; wdt:P17 wd:Q148 .{details}\n}}"
        )
        for row in rows:
            name = row.get("name", "")
            for (lang, text), matched in names.items():
                if text == name:
                    for area in matched:
                        _merge(found, area, row).names.add((lang, text))
    candidates = list(found.values())
    for candidate in candidates:
        area = next(a for a in areas if a.id == candidate.area)
        candidate.area_has_code = bool(area.code)
        candidate.area_has_parent = area.parent is not None
        candidate.code_match = bool(area.code) and p442_form(area.code or "") in candidate.codes
        zh = {area.label.get("zh"), area.short_zh} - {None}
        matched_names = {text for _lang, text in candidate.names}
        candidate.zh_match = candidate.label_zh in zh or bool(zh & matched_names)
        candidate.en_match = (
            candidate.label_en == area.label.get("en") or area.label.get("en") in matched_names
        )
        parent_item = known.get(area.parent or "")
        if parent_item:
            candidate.parent_known = True
            candidate.parent_match = parent_item in candidate.parents
    return candidates


def _merge(found: dict[tuple[str, str], Candidate], area: Area, row: dict[str, str]) -> Candidate:
    key = (area.id, row["item"])
    candidate = found.setdefault(key, Candidate(area=area.id, item=row["item"]))
    candidate.label_zh = candidate.label_zh or row.get("zh", "")
    candidate.label_en = candidate.label_en or row.get("en", "")
    if row.get("parent"):
        candidate.parents.add(row["parent"])
    if row.get("itemcode"):
        candidate.codes.add(row["itemcode"])
    if row.get("dissolved"):
        candidate.dissolved = True
    return candidate


# ---------------------------------------------------------------------------------------------
# GeoNames candidates from its own admin-code files
# ---------------------------------------------------------------------------------------------

_SUFFIXES = re.compile(
    r"\s+(sheng|shi|province|municipality|zizhiqu|autonomous region|zhuangzu zizhiqu|huizu zizhiqu|"
    r"weiwu'er zizhiqu|uygur zizhiqu|uyghur autonomous region|zhuang autonomous region|"
    r"hui autonomous region)$"
)


def _plain(name: str) -> str:
    name = name.lower().strip()
    previous = None
    while previous != name:
        previous, name = name, _SUFFIXES.sub("", name)
    return name.replace("'", "").replace(" ", "")


def _geonames_candidate(
    area: Area, geonameid: str, name: str, *, in_parent: bool, parent_known: bool
) -> Candidate:
    """A GeoNames feature whose name matches: its admin code under the parent's is the evidence."""
    return Candidate(
        area.id,
        f"{GEONAMES}{geonameid}/",
        label_en=name,
        en_match=True,
        code_match=in_parent,
        parent_match=in_parent,
        parent_known=parent_known,
        target="geonames",
    )


def geonames_candidates(areas: list[Area], files: list[Path]) -> list[Candidate]:
    """Candidates from GeoNames admin1CodesASCII / admin2Codes lines (code, name, ascii, id)."""
    admin1: dict[str, tuple[str, str]] = {}  # "CN.09" -> (ascii name, id)
    admin2: dict[str, tuple[str, str]] = {}
    for path in files:
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"{path}: cannot read the GeoNames file: {exc}") from None
        for number, line in enumerate(lines, start=1):
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.split("\t")
            if len(parts) < 4 or not parts[3].strip().isdigit():
                raise InputError(
                    f"{path}:{number}: not a GeoNames admin-code line (code, name, asciiname, geonameid)"
                )
            code, ascii_name, geonameid = parts[0], parts[2], parts[3].strip()
            if not code.startswith("CN."):
                continue
            (admin1 if code.count(".") == 1 else admin2)[code] = (ascii_name, geonameid)
    candidates: list[Candidate] = []
    province_code: dict[str, str] = {}
    for area in areas:
        if area.type in ("municipality", "province", "autonomous-region"):
            for code, (name, geonameid) in admin1.items():
                if _plain(name) == _plain(area.label.get("en") or ""):
                    candidates.append(
                        _geonames_candidate(
                            area, geonameid, name, in_parent=True, parent_known=True
                        )
                    )
                    province_code[area.id] = code
    for area in areas:
        if area.type not in ("prefecture-level-city", "sub-prefecture-level-city"):
            continue
        parent_code = province_code.get(area.parent or "")
        for code, (name, geonameid) in admin2.items():
            if _plain(name) != _plain(area.label.get("en") or ""):
                continue
            in_parent = parent_code is not None and code.startswith(parent_code + ".")
            candidates.append(
                _geonames_candidate(
                    area, geonameid, name, in_parent=in_parent, parent_known=parent_code is not None
                )
            )
    return candidates


# ---------------------------------------------------------------------------------------------
# Deciding, and keeping what curators decided
# ---------------------------------------------------------------------------------------------


def decide(
    candidates: list[Candidate],
    areas: list[Area],
    existing: sssom.MappingSet | None,
    *,
    min_confidence: float,
    tool: str,
) -> LinkResult:
    """Split candidates into accepted and to-review; keep curated rows and rejections."""
    labels = {a.id: a.label.get("en") or a.id for a in areas}
    kept = tuple(m for m in (existing.mappings if existing else ()) if m.curated or m.rejected)
    rejected = {m.key() for m in kept if m.rejected}
    curated_subjects = {m.subject_id for m in kept if m.curated}
    accepted: list[sssom.Link] = []
    review: list[sssom.Link] = []
    by_area: dict[str, list[Candidate]] = {}
    for candidate in candidates:
        by_area.setdefault(candidate.area, []).append(candidate)
    for area_id, group in sorted(by_area.items()):
        group.sort(key=lambda c: (-c.confidence, c.item))
        subject = sssom.compress(str(mint("area", area_id)))
        best = group[0]
        for candidate in group:
            link = sssom.Link(
                subject_id=subject,
                subject_label=labels.get(area_id, ""),
                predicate_id="skos:exactMatch",
                object_id=sssom.compress(candidate.item),
                object_label=candidate.label_zh or candidate.label_en,
                mapping_justification=sssom.CROSS_REFERENCE
                if candidate.code_match
                else sssom.LEXICAL,
                confidence=f"{candidate.confidence:.2f}",
                mapping_tool=tool,
                comment=candidate.reason(),
            )
            if link.key() in rejected:
                continue
            rival = (
                len(group) > 1
                and group[1].confidence >= best.confidence - 0.1
                and candidate is best
            )
            if rival:
                link = replace(link, comment=f"{link.comment}; ambiguous: {len(group)} candidates")
            if (
                candidate is best
                and not rival
                and candidate.confidence >= min_confidence
                and subject not in curated_subjects
            ):
                accepted.append(link)
            elif subject not in curated_subjects or candidate.item not in {
                sssom.expand(m.object_id) for m in kept if m.subject_id == subject
            }:
                review.append(link)
    previous = {
        m.key(): m
        for m in (existing.mappings if existing else ())
        if not m.curated and not m.rejected
    }
    now = {m.key(): m for m in accepted}
    changes = [
        f"new: {m.subject_id} -> {m.object_id} ({m.confidence})"
        for k, m in sorted(now.items())
        if k not in previous
    ]
    changes += [
        f"gone: {m.subject_id} -> {m.object_id}"
        for k, m in sorted(previous.items())
        if k not in now
    ]
    changes += [
        f"confidence: {m.subject_id} -> {m.object_id} {previous[k].confidence} -> {m.confidence}"
        for k, m in sorted(now.items())
        if k in previous and previous[k].confidence != m.confidence
    ]
    return LinkResult(tuple(accepted), tuple(review), kept, tuple(changes))


def metadata(target: str) -> dict[str, object]:
    return {
        "curie_map": dict(sssom.CURIE_MAP),
        "mapping_set_id": f"https://w3id.org/dckg/links/{target}",
        "mapping_set_description": f"Links from dckg areas to {target}: curated rows (semapv:ManualMappingCuration) and those kg link accepted",
        "license": sssom.LICENCE,
        "subject_source": "https://w3id.org/dckg/",
        "object_source": "https://www.wikidata.org/"
        if target == "wikidata"
        else "https://www.geonames.org/",
    }


def link_areas(
    records: Records,
    target: str,
    *,
    select: Select | None = None,
    geonames_files: list[Path] | None = None,
    links_dir: Path,
    min_confidence: float = 0.8,
    tool: str = "dckg kg link",
) -> LinkResult:
    """Discover links for every area with a code or label, and write the two mapping sets."""
    areas = list(records.areas)
    accepted_path = links_dir / f"{target}.sssom.tsv"
    existing = sssom.read(accepted_path) if accepted_path.is_file() else None
    known = {}
    if existing is not None:
        for mapping in existing.accepted():
            area = mapping.subject_id.rsplit("/", 1)[-1]
            known[area] = sssom.expand(mapping.object_id, existing.curie_map)
    if target == "wikidata":
        if select is None:
            raise InputError("kg link --target wikidata needs an endpoint or a dump")
        first = wikidata_candidates(areas, select, known)
        # Second pass: parents found with high confidence in the first pass check their children.
        for candidate in first:
            if candidate.area not in known and candidate.confidence >= min_confidence:
                known.setdefault(candidate.area, candidate.item)
        candidates = wikidata_candidates(areas, select, known) if known else first
    elif target == "geonames":
        if not geonames_files:
            raise InputError(
                "kg link --target geonames needs --dump FILE (GeoNames admin1CodesASCII.txt, admin2Codes.txt)"
            )
        candidates = geonames_candidates(areas, geonames_files)
    else:
        raise InputError(
            f"unknown link target {target!r}", hint="use --target wikidata or --target geonames"
        )
    result = decide(candidates, areas, existing, min_confidence=min_confidence, tool=tool)
    sssom.write(accepted_path, metadata(target), [*result.kept, *result.accepted])
    sssom.write(
        links_dir / f"{target}.review.sssom.tsv",
        metadata(target) | {"mapping_set_id": f"https://w3id.org/dckg/links/{target}/review"},
        result.review,
    )
    return result
