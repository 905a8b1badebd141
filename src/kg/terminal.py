"""What ``kg`` shows on a terminal: rich tables, a spinner, a progress bar, the consoles.

Only :mod:`kg.cli` uses it; the library below returns typed results and never prints.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:
    from kg.analyse import Analysis
    from kg.load import GraphPlan
    from kg.queries import QueryResult, StoredQuery
    from kg.stats import Stats

err_console = Console(stderr=True, highlight=False)
console = Console(highlight=False)


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
    from kg.vocab import Shortener

    shorten = Shortener()
    table = Table(show_lines=False, title_justify="left")
    for variable in result.variables:
        table.add_column(variable, overflow="fold")
    for row in result.rows:
        cells = []
        for variable in result.variables:
            term = row.get(variable)
            cells.append(
                Text(
                    ""
                    if term is None
                    else shorten(term.value)
                    if term.type == "uri"
                    else term.value
                )
            )
        table.add_row(*cells)
    console.print(table)
    err_console.print(
        f"{len(result.rows)} row{'s' if len(result.rows) != 1 else ''}", highlight=False
    )


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
            label(item.topic),
            label(item.source_a),
            label(item.source_b),
            str(len(item.shared)),
            "\n".join(label(n) for n in (*item.only_a, *item.only_b)),
            f"{item.jaccard:.2f}",
        )
    console.print(agreements)
    isolated = ", ".join(measures.isolated) or "none"
    console.print(
        f"{len(measures.in_at_least(4))} provinces in at least 4 of the 8 lists; "
        f"entity graph: {count(len(measures.components), 'connected component')}, "
        f"isolated entities: {isolated}; administrative hierarchy "
        f"{'is' if measures.hierarchy_is_tree else 'is NOT'} a tree.",
        soft_wrap=True,
    )


def print_stats(result: Stats) -> None:
    """``kg stats``: a table of counts by class, by source and by indicator."""
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
            table.add_row(*(Text(row[c]) for c in columns))
        console.print(table)


def print_queries(stored: Iterable[StoredQuery]) -> None:
    """``kg query --list``: the stored queries with their summaries and parameters."""
    from kg.queries import describe_parameters

    table = Table(title="Stored queries", title_justify="left", show_lines=False)
    for column in ("name", "form", "summary", "parameters"):
        table.add_column(column, overflow="fold")
    for query in stored:
        table.add_row(
            Text(query.name),
            query.form,
            Text(query.summary),
            Text("\n".join(describe_parameters(query))),
        )
    console.print(table)


def count(number: int, singular: str, plural: str | None = None) -> str:
    """``1 triple``, ``2 triples``, ``3 entities``."""
    return f"{number} {singular if number == 1 else plural or singular + 's'}"
