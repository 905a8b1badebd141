"""``kg extract``: draft a source's statements from its plain text, for a curator to review.

text (pages, sentences) -> figures (numbers in words, normalised) -> matching (reference
data) -> draft (records) -> yaml_out (the draft file); compare measures a draft against a
curated file. No network, no model: rules over the text.

>>> from kg.extract.figures import zh_figures
>>> [(str(f.value), f.unit, f.qualifier) for f in zh_figures("总量占全球60%以上，用户数达到3.55亿户")[0]]
[('60', 'percent', 'lower-bound'), ('355000000.00', 'count', 'exact')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from kg.errors import InputError, OutputError
from kg.extract.compare import Comparison, compare, parse_pages, read_items
from kg.extract.draft import Draft, draft_statements
from kg.extract.matching import Reference
from kg.extract.text import read_text, sentences
from kg.extract.yaml_out import render
from kg.model import Records

__all__ = [
    "Comparison",
    "Draft",
    "DraftFile",
    "compare",
    "compare_files",
    "default_source_id",
    "extract_file",
    "parse_pages",
    "write_draft",
]

LANGUAGES = ("en", "zh")


@dataclass(frozen=True)
class DraftFile:
    """A draft as text, ready to write, and what it holds."""

    text: str
    draft: Draft


def extract_file(
    path: Path,
    records: Records,
    *,
    source: str,
    lang: str | None = None,
    pages: set[int] | None = None,
) -> DraftFile:
    """Draft the statements of the text at ``path`` (only ``lang`` sentences, only ``pages``)."""
    if lang is not None and lang not in LANGUAGES:
        raise InputError(f"unknown language {lang!r}", hint="use --lang en or --lang zh")
    if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", source):
        raise InputError(
            f"source id {source!r} is not a lowercase slug",
            hint="ids are lowercase ASCII letters, digits and hyphens, e.g. --source dcdr-2021",
        )
    raw = read_text(path)
    paginated = "=====PAGE " in raw
    chosen = [
        s
        for s in sentences(raw)
        if (lang is None or s.lang == lang) and (pages is None or s.page in pages)
    ]
    reference = Reference(records)
    draft = draft_statements(source, chosen, reference, paginated=paginated)
    languages = sorted({s.lang for s in chosen}) or [lang or "en"]
    text = render(draft, reference, text_file=path.name, languages=languages)
    return DraftFile(text, draft)


def compare_files(
    draft: Path, curated: Path, *, pages: set[int] | None = None, texts_dir: Path | None = None
) -> Comparison:
    """Compare a draft file with a curated one; the source text sharpens the passages compared."""
    from kg.quotes import SourceText

    drafted, _ = read_items(draft)
    gold, source = read_items(curated)
    text = None
    name = source.get("text_file")
    if texts_dir is not None and isinstance(name, str) and (texts_dir / name).is_file():
        text = SourceText.read(texts_dir / name)
    return compare(drafted, gold, pages=pages, text=text)


def default_source_id(path: Path) -> str:
    """A source id from a text file's name: ``dcdr-2021-zh.txt`` -> ``dcdr-2021-zh``."""
    slug = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-")
    return slug or "source"


def write_draft(draft: DraftFile, out: Path) -> None:
    """Write the draft to ``out`` (its folder made), whole or not at all."""
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        partial = out.with_name(f".{out.name}.partial")
        partial.write_text(draft.text, encoding="utf-8")
        partial.replace(out)
    except OSError as error:
        raise OutputError(f"{out}: cannot be written ({error.strerror})") from None
