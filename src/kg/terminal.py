"""What ``kg`` shows on a terminal: rich tables, a spinner, a progress bar, the consoles.

Only :mod:`kg.cli` uses it; the library below returns typed results and never prints.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:
    from kg.analyse import Analysis
    from kg.load import GraphPlan
    from kg.queries import QueryResult, StoredQuery
    from kg.stats import Stats

# Text from the user's files is printed as written: rich would turn ":100:" (a line number)
# into an emoji and "[red]" into a colour. Markup is asked for where it is meant.
err_console = Console(stderr=True, highlight=False, emoji=False, markup=False)
console = Console(highlight=False, emoji=False, markup=False)


@contextmanager
def steps() -> Iterator[Any]:
    """A spinner naming the current step on a terminal; silent in pipes and CI logs."""
    if not err_console.is_terminal:
        yield lambda _message: None
        return
    with err_console.status("starting") as status:
        yield lambda message: status.update(f"{message}…")


@contextmanager
def load_progress(graphs: list[GraphPlan]) -> Iterator[Any]:
    """Graphs, triples and speed on a terminal; nothing in pipes and CI logs."""
    if not err_console.is_terminal:
        yield lambda _graph, _done, _total: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    total = sum(g.triples for g in graphs)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("triples"),
        TextColumn("{task.fields[speed]}"),
        TimeElapsedColumn(),
        console=err_console,
    ) as bar:
        task = bar.add_task("loading", total=total, speed="")
        done_before: dict[str, int] = {}
        started = time.perf_counter()

        def update(graph: str, done: int, _total: int) -> None:
            done_before[graph] = done
            sent = sum(done_before.values())
            rate = sent / max(time.perf_counter() - started, 1e-9)
            bar.update(
                task, completed=sent, description=graph.rsplit("/", 1)[-1], speed=f"{rate:,.0f}/s"
            )

        yield update


def print_table(result: QueryResult) -> None:
    """A SELECT's answer for people: IRIs shortened and never split, text folded."""
    from kg.vocab import Shortener

    shorten = Shortener()
    rows = []
    whole = set()  # IRIs are never split across lines
    for row in result.rows:
        cells = []
        for index, variable in enumerate(result.variables):
            term = row.get(variable)
            if term is not None and term.type == "uri":
                whole.add(index)
            cells.append(
                "" if term is None else shorten(term.value) if term.type == "uri" else term.value
            )
        rows.append(tuple(cells))
    if not fitted_table(tuple(result.variables), rows, whole=whole):
        print_records(tuple(result.variables), rows)
        err_console.print(
            f"{len(result.variables)} columns do not fit {console.width} as a table: each row "
            "is shown as a record; --format csv (or tsv, json) gives a table for other tools.",
            soft_wrap=True,
        )
    err_console.print(f"{len(result.rows)} row{'s' if len(result.rows) != 1 else ''}")


FOLDED_MIN = 12  # a column of text is folded at words, never narrower than this
ASCII_WORD = re.compile(r"[!-~]+")  # ids and IRIs; Chinese text may break between characters


def fitted_table(
    headers: tuple[str, ...],
    rows: Sequence[tuple[str, ...]],
    *,
    whole: set[int],
    title: str | None = None,
) -> bool:
    """Print a table whose ``whole`` columns (ids, IRIs, names) are never split and whose
    text columns fold between words (never inside an ASCII word); False, printing nothing,
    when even so it cannot fit the terminal."""
    cells = [[row[i].split("\n") for row in rows] for i in range(len(headers))]
    natural = [
        max([cell_len(header), *(cell_len(line) for cell in column for line in cell)])
        for header, column in zip(headers, cells, strict=True)
    ]
    longest_word = [
        max(
            [
                FOLDED_MIN,
                *(len(w) for cell in column for line in cell for w in ASCII_WORD.findall(line)),
            ]
        )
        for column in cells
    ]
    folded = [i for i in range(len(headers)) if i not in whole]
    borders = 3 * len(headers) + 1
    fixed = sum(natural[i] for i in whole) + borders
    least = fixed + sum(min(natural[i], longest_word[i]) for i in folded)
    if least > console.width:
        return False
    room = console.width - fixed  # for the folded columns
    widths = list(natural)
    want = sum(natural[i] for i in folded)
    if want > room:  # share the room in proportion to each column's text, never below a word
        floor = {i: min(natural[i], longest_word[i]) for i in folded}
        spare = room - sum(floor.values())
        extra = want - sum(floor.values()) or 1
        for i in folded:
            widths[i] = floor[i] + spare * (natural[i] - floor[i]) // extra
    table = Table(title=title, title_justify="left", show_lines=False)
    for index, header in enumerate(headers):
        if index in whole:
            table.add_column(header, no_wrap=True, width=widths[index])
        else:
            table.add_column(header, overflow="fold", width=widths[index])
    for row in rows:
        table.add_row(*(Text(cell) for cell in row))
    console.print(table)
    return True


def print_records(headers: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> None:
    """Rows one after the other, a line a value: for answers too wide to be a table."""
    label = max(len(h) for h in headers)
    for number, row in enumerate(rows, 1):
        console.print(f"-- row {number} " + "-" * max(0, 40 - len(str(number))))
        for header, cell in zip(headers, row, strict=True):
            if cell:
                lines = cell.split("\n")
                console.print(f"{header:<{label}}  {lines[0]}", soft_wrap=True)
                for line in lines[1:]:
                    console.print(f"{'':<{label}}  {line}", soft_wrap=True)


def print_findings(result: Analysis) -> None:
    measures = result.measures
    table = Table(title="Provinces by the report's top-10 lists (of 8)", title_justify="left")
    for column in ("province", "lists", "first tier (article)"):
        table.add_column(column, justify="right" if column == "lists" else "left")
    for member in measures.top10:
        if member.lists or member.first_tier:
            table.add_row(
                f"{member.label_en} {member.label_zh}",
                str(member.lists),
                "yes" if member.first_tier else "",
            )
    console.print(table)
    agreements = Table(title="Agreement between sources on shared claims", title_justify="left")
    for column in ("topic", "source", "other source", "both name", "named by one only", "Jaccard"):
        agreements.add_column(
            column, justify="right" if column in ("both name", "Jaccard") else "left"
        )

    def label(node: str) -> str:
        return str(result.labels.get(node, (node, ""))[0])

    for item in measures.agreements:
        agreements.add_row(
            item.title_en,
            label(item.source_a),
            label(item.source_b),
            str(len(item.shared)),
            "\n".join(label(n) for n in (*item.only_a, *item.only_b)),
            "nothing to compare" if item.jaccard is None else f"{item.jaccard:.2f}",
        )
    console.print(agreements)
    if measures.conflicting_observations:
        print_conflicts(result)
    isolated = ", ".join(measures.isolated) or "none"
    console.print(
        f"{len(measures.in_at_least(4))} provinces in at least 4 of the 8 lists; "
        f"entity graph: {count(len(measures.components), 'connected component')}, "
        f"isolated entities: {isolated}; administrative hierarchy "
        f"{'is' if measures.hierarchy_is_tree else 'is NOT'} a tree.",
        soft_wrap=True,
    )


def print_conflicts(result: Analysis) -> None:
    """Each pair of observations that two sources give for the same thing, with its values."""
    conflicts = result.measures.conflicting_observations
    table = Table(title=f"Conflicting observations ({len(conflicts)})", title_justify="left")
    for column in (
        "area",
        "indicator",
        "kind",
        "time",
        "value",
        "source",
        "other value",
        "other source",
    ):
        table.add_column(column, justify="right" if "value" in column else "left")

    def label(node: str) -> str:
        return str(result.labels.get(node, (node, ""))[0])

    def stated(value: str, qualifier: str) -> str:
        return value if qualifier == "exact" else f"{value} ({qualifier})"

    for c in conflicts:
        table.add_row(
            *(
                Text(cell)
                for cell in (
                    label(c.area),
                    label(c.indicator),
                    c.kind,
                    label(c.time),
                    stated(c.value_a, c.qualifier_a),
                    label(c.source_a),
                    stated(c.value_b, c.qualifier_b),
                    label(c.source_b),
                )
            )
        )
    console.print(table)


def print_stats(result: Stats) -> None:
    """``kg stats``: a table of counts by class, by source and by indicator, IRIs shortened."""
    from kg.vocab import Shortener

    shorten = Shortener()
    for title, rows, key in (
        ("Entities by class", result.by_class, "class"),
        ("Statements by source", result.by_source, "source"),
        ("Statements by indicator", result.by_indicator, "indicator"),
    ):
        table = Table(title=title, title_justify="left")
        columns = [c for c in rows[0]] if rows else [key, "count"]
        for column in columns:
            table.add_column(column, justify="right" if column == "count" else "left")
        for row in rows:
            table.add_row(*(Text(shorten(row[c]) if c == key else row[c]) for c in columns))
        console.print(table)


def print_queries(stored: Iterable[StoredQuery]) -> None:
    """``kg query --list``: the stored queries with their summaries and parameters."""
    from kg.queries import describe_parameters

    headers = ("name", "form", "summary", "parameters")
    listed = [
        (query.name, query.form, query.summary, "\n".join(describe_parameters(query)))
        for query in stored
    ]
    if not fitted_table(headers, listed, whole={0, 1}, title="Stored queries"):
        print_records(headers, listed)


def count(number: int, singular: str, plural: str | None = None) -> str:
    """``1 triple``, ``2 triples``, ``3 entities``."""
    return f"{number} {singular if number == 1 else plural or singular + 's'}"
