"""Figure, wording and quote agree: the checks that tie a statement's number to its sentence.

The loader already checks that a statement's ``wording`` reads as its ``value`` (kg.numbers)
and that the qualifier matches the wording's cue words ("超过" is a lower bound). These checks
close the chain to the source:

- the wording occurs in one of the statement's quotes in its language (whitespace-normalised,
  the quote rule), so a figure cannot be changed together with its wording while the quote
  still says otherwise;
- a wording in percentage points (个百分点) is not stated in percent;
- where a source's text is available, every quote is found in it, on its page.

Pure functions over the loaded records; the caller says where the source texts are.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from kg import numbers
from kg.errors import RecordError
from kg.model import Observation, Records
from kg.quotes import check_quotes, normalise

# Units whose values are percentages of a whole (a share, a growth rate), not percentage points.
PERCENT_UNITS = frozenset({"percent"})
_POINTS = ("个百分点", "百分点", "percentage point", "percentage-point")


def _closest(amounts: list[tuple[str, Decimal]], value: Decimal) -> str | None:
    """The number of a quote that is nearest to ``value`` (by ratio), as the quote writes it."""
    if not amounts:
        return None

    def distance(item: tuple[str, Decimal]) -> Decimal:
        amount = item[1]
        if amount == value:
            return Decimal(0)
        bigger, smaller = max(abs(amount), abs(value)), min(abs(amount), abs(value))
        return bigger / smaller if smaller else Decimal(10) ** 30

    return min(amounts, key=distance)[0]


def wording_problems(statement: Observation) -> list[RecordError]:
    """The statement's wording against its quotes and unit; empty when they agree."""
    errors: list[RecordError] = []
    for lang, text in statement.wording.items:
        quotes = [q for q in statement.quotes if q.language == lang]
        if any(point in text for point in _POINTS) and statement.unit in PERCENT_UNITS:
            errors.append(
                RecordError(
                    statement.origin,
                    f"wording {text!r} is in percentage points, but the unit is {statement.unit!r}",
                    hint="a change of a percentage in points is not a percent: use a unit for percentage points",
                )
            )
        if not quotes:
            if statement.quotes:  # quotes in another language only: nothing to compare with
                errors.append(
                    RecordError(
                        statement.origin,
                        f"wording {text!r} is in {lang}, but the statement has no {lang} quote",
                        hint="the wording is the source's words: copy it from a quote in the same language",
                    )
                )
            continue
        wanted = normalise(text)
        if any(wanted in normalise(q.text) for q in quotes):
            continue
        said = _closest(
            [a for q in quotes for a in numbers.find_amounts(normalise(q.text))], statement.value
        )
        shown = f"; the quote says {said!r}" if said else ""
        errors.append(
            RecordError(
                statement.origin,
                f"wording {text!r} does not occur in the statement's {lang} quote{shown}",
                hint="copy the figure from the quote into wording: and value:, or fix the quote",
            )
        )
    return errors


def statement_problems(records: Records) -> list[RecordError]:
    """Every observation's wording against its quotes (see ``wording_problems``)."""
    return [
        error
        for statement in records.statements
        if isinstance(statement, Observation)
        for error in wording_problems(statement)
    ]


@dataclass(frozen=True)
class QuoteCheck:
    """What checking the quotes against the source texts found."""

    errors: tuple[RecordError, ...]
    checked: int
    note: str | None  # one line for the user when the check could not run (in part or whole)


def quote_check(records: Records, texts_dir: Path, shown_as: str | None = None) -> QuoteCheck:
    """Every quote of a source whose text is in ``texts_dir``, found on its page."""
    where = shown_as or str(texts_dir)
    wanted = sorted({s.text_file for s in records.sources if s.text_file})
    if not wanted:
        return QuoteCheck((), 0, None)
    if not texts_dir.is_dir():
        return QuoteCheck(
            (), 0, f"Note: the quote check did not run: no source texts at {where} (see dckg.toml)"
        )
    missing = [name for name in wanted if not (texts_dir / name).is_file()]
    problems, checked = check_quotes(records, texts_dir)
    # A page beyond the source's page count is the loader's error already: not twice.
    counts = {s.id: s.page_count for s in records.sources}
    beyond = {
        q.origin
        for statement in records.statements
        for q in statement.quotes
        if q.page is not None and (counts.get(statement.source) or q.page) < q.page
    }
    problems = [p for p in problems if p.origin not in beyond]
    errors = tuple(
        RecordError(
            p.origin,
            f"quote from {p.source} {p.problem}: {p.quote[:60]!r}",
            hint="a quote is the source's own words, on its PDF page: copy it from the text",
        )
        for p in problems
    )
    note = None
    if missing:
        note = f"Note: quotes not checked for {', '.join(missing)}: not in {where}"
    return QuoteCheck(errors, checked, note)


def all_problems(records: Records, texts_dir: Path, shown_as: str | None = None) -> QuoteCheck:
    """The statement checks and the quote check together (errors sorted by origin)."""
    quotes = quote_check(records, texts_dir, shown_as)
    errors: Iterable[RecordError] = [*statement_problems(records), *quotes.errors]
    ordered = tuple(sorted(errors, key=lambda e: (e.origin, e.message)))
    return QuoteCheck(ordered, quotes.checked, quotes.note)


class BuildChecks:
    """The checks above as one check for ``load_records``; keeps the note for the summary."""

    def __init__(self, texts_dir: Path, shown_as: str | None = None) -> None:
        self.texts_dir = texts_dir
        self.shown_as = shown_as
        self.notes: list[str] = []

    def __call__(self, records: Records) -> list[RecordError]:
        found = all_problems(records, self.texts_dir, self.shown_as)
        if found.note:
            self.notes.append(found.note)
        return list(found.errors)
