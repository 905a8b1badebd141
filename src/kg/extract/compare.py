"""How good a draft is: recall and precision against a curated source file.

A curated statement is found when the draft has a statement with the same value and
qualifier (each draft statement found once, preferring one on the same page). Of those found,
how many also agree on area, indicator, time and page is counted too. ``pages`` limits both
files to statements whose first quote is on those pages. Within a page range where the
curated file has statements, draft statements outside the passage it covers (before its
first quote or after its last, in the source text) are not counted against precision: the
curators chose that passage. In a page range where it has none, every draft statement counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from kg.errors import InputError
from kg.quotes import SourceText, normalise


@dataclass(frozen=True)
class Item:
    """The compared fields of one statement."""

    id: str
    value: Decimal
    qualifier: str
    area: str
    indicator: str
    period: str | None
    page: int | None  # the page of its first quote (within the pages compared)
    quotes: tuple[str, ...]
    pages: tuple[int, ...] = ()


@dataclass(frozen=True)
class Comparison:
    """Recall, precision and agreement of a draft with a curated file."""

    curated: int
    drafted: int
    found: int
    agree: dict[str, int]
    missed: tuple[Item, ...] = ()
    extra: tuple[Item, ...] = field(default=())

    @property
    def recall(self) -> float:
        return self.found / self.curated if self.curated else 1.0

    @property
    def precision(self) -> float:
        return self.found / self.drafted if self.drafted else 1.0

    def summary(self) -> str:
        lines = [
            f"recall    {self.recall:6.1%}  ({self.found} of {self.curated} curated statements found)",
            f"precision {self.precision:6.1%}  ({self.found} of {self.drafted} drafted statements curated)",
        ]
        for name, count in self.agree.items():
            share = count / self.found if self.found else 1.0
            label = "area+indicator" if name == "both" else name
            lines.append(f"{label:<9} {share:6.1%}  agree ({count} of {self.found} found)")
        return "\n".join(lines)


def parse_pages(text: str | None) -> set[int] | None:
    """``"2-4,26-28"`` -> {2, 3, 4, 26, 27, 28}; None for no filter; InputError if malformed."""
    if not text:
        return None
    pages: set[int] = set()
    for part in text.split(","):
        first, _, last = part.strip().partition("-")
        try:
            low, high = int(first), int(last or first)
        except ValueError:
            raise InputError(
                f"--pages {text!r}: {part!r} is not a page or a range", hint="write e.g. 2-4,26-28"
            ) from None
        if low < 1 or high < low:
            raise InputError(f"--pages {text!r}: {part!r} is not a range of pages")
        pages.update(range(low, high + 1))
    return pages


def read_items(path: Path) -> tuple[list[Item], dict[str, Any]]:
    """The statements of a source file (curated or drafted), and its source: mapping."""
    try:
        document = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"{path}: cannot be read ({error})") from None
    except YAMLError as error:
        raise InputError(f"{path}: not YAML: {str(error).splitlines()[0]}") from None
    if not isinstance(document, dict) or not isinstance(document.get("statements"), list):
        raise InputError(f"{path}: not a source file (it needs a statements: list)")
    items = []
    for record in document["statements"]:
        if not isinstance(record, dict) or "value" not in record:
            continue
        quotes = [q for q in record.get("quotes") or [] if isinstance(q, dict)]
        texts = tuple(str(q.get(lang)) for q in quotes for lang in ("zh", "en") if q.get(lang))
        pages = [int(q["page"]) for q in quotes if isinstance(q.get("page"), int)]
        items.append(
            Item(
                id=str(record.get("id", "")),
                value=Decimal(str(record["value"])),
                qualifier=str(record.get("qualifier", "")),
                area=str(record.get("area", "")),
                indicator=str(record.get("indicator", "")),
                period=str(record["period"]) if record.get("period") is not None else None,
                page=pages[0] if pages else None,
                quotes=texts,
                pages=tuple(pages),
            )
        )
    source = document.get("source")
    return items, source if isinstance(source, dict) else {}


def _ranges(pages: set[int]) -> list[set[int]]:
    ranges: list[set[int]] = []
    for page in sorted(pages):
        if ranges and page - 1 in ranges[-1]:
            ranges[-1].add(page)
        else:
            ranges.append({page})
    return ranges


def _position(text: SourceText, item: Item) -> int:
    for quote in item.quotes:
        at = text.whole.find(normalise(quote))
        if at >= 0:
            return at
    return -1


def _covered(
    drafted: list[Item], curated: list[Item], pages: set[int], text: SourceText | None
) -> list[Item]:
    """The draft statements inside the passages the curated file covers."""
    if text is None:
        return drafted
    kept = []
    spans: list[tuple[set[int], int, int]] = []
    for block in _ranges(pages):
        starts = [(_position(text, c), c) for c in curated if c.page in block]
        ends = [at + len(normalise(c.quotes[0])) for at, c in starts if at >= 0]
        inside = [at for at, _c in starts if at >= 0]
        if inside:
            spans.append((block, min(inside), max(ends)))
        else:
            spans.append((block, -1, -1))
    for item in drafted:
        block_span = next((s for s in spans if item.page in s[0]), None)
        if block_span is None or block_span[1] < 0:
            kept.append(item)
            continue
        at = _position(text, item)
        if at < 0 or block_span[1] <= at <= block_span[2]:
            kept.append(item)
    return kept


def _within(item: Item, pages: set[int]) -> Item:
    """The item with its page the first of its quotes' pages that is compared."""
    inside = [i for i, page in enumerate(item.pages) if page in pages]
    first = inside[0] if inside else 0
    quotes = item.quotes[first:] + item.quotes[:first]
    return replace(item, page=item.pages[first] if item.pages else None, quotes=quotes)


def compare(
    drafted: list[Item],
    curated: list[Item],
    *,
    pages: set[int] | None = None,
    text: SourceText | None = None,
) -> Comparison:
    """Match ``drafted`` against ``curated`` by value and qualifier."""
    if pages is not None:
        drafted = [_within(d, pages) for d in drafted if set(d.pages) & pages]
        curated = [_within(c, pages) for c in curated if set(c.pages) & pages]
        drafted = _covered(drafted, curated, pages, text)
    free = list(drafted)
    agree = {"areas": 0, "indicators": 0, "both": 0, "times": 0, "pages": 0}
    pairs: dict[int, Item] = {}
    # Closest pairs first, so that a loose pair never takes the draft a close one needs.
    for strength in (
        lambda d, c: d.page == c.page and d.indicator == c.indicator and d.area == c.area,
        lambda d, c: d.page == c.page and d.indicator == c.indicator,
        lambda d, c: d.page == c.page and d.area == c.area,
        lambda d, c: d.page == c.page,
        lambda d, c: True,
    ):
        for n, item in enumerate(curated):
            if n in pairs:
                continue
            for d in free:
                if d.value == item.value and d.qualifier == item.qualifier and strength(d, item):
                    pairs[n] = d
                    free.remove(d)
                    break
    missed = [item for n, item in enumerate(curated) if n not in pairs]
    found = len(pairs)
    for n, match in sorted(pairs.items()):
        item = curated[n]
        agree["areas"] += match.area == item.area
        agree["indicators"] += match.indicator == item.indicator
        agree["both"] += match.area == item.area and match.indicator == item.indicator
        agree["times"] += match.period == item.period
        agree["pages"] += match.page == item.page
    return Comparison(len(curated), len(drafted), found, agree, tuple(missed), tuple(free))
