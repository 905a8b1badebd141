"""Check that every quote is the source's own words, on the page it claims.

Source texts are plain-text extractions (``../shared/sources/``) in which a line
``=====PAGE N=====`` starts PDF page N, usually followed by the printed page number. PDF line
breaks and the extraction's stray spaces are not the source's words: both the text and the
quote are normalised by dropping whitespace next to a CJK character and collapsing the rest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from kg.errors import Origin
from kg.model import Records

_PAGE = re.compile(r"^=====PAGE (\d+)=====$")
_CJK = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef\u2018-\u201f\u2014\u2026"
_SPACE_NEAR_CJK = re.compile(rf"\s+(?=[{_CJK}])|(?<=[{_CJK}])\s+")
_SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Whitespace-normalised text: ``"2021 年\\n底"`` -> ``"2021年底"``."""
    return _SPACES.sub(" ", _SPACE_NEAR_CJK.sub("", text)).strip()


@dataclass(frozen=True)
class SourceText:
    """A source's text, whole and page by page (PDF pages; empty for an unpaginated text)."""

    whole: str
    pages: dict[int, str]

    @classmethod
    def read(cls, path: Path) -> SourceText:
        pages: dict[int, list[str]] = {}
        current: int | None = None
        skip_number = False
        body: list[str] = []
        for line in path.read_text(encoding="utf-8").splitlines():
            marker = _PAGE.match(line.strip())
            if marker:
                current = int(marker.group(1))
                pages[current] = []
                skip_number = True
                continue
            if skip_number and line.strip().isdigit():
                skip_number = False  # the printed page number is not the source's words
                continue
            skip_number = False
            if current is None:
                body.append(line)
            else:
                pages[current].append(line)
        all_lines = body + [line for n in sorted(pages) for line in pages[n]]
        return cls(
            whole=normalise("\n".join(all_lines)),
            pages={n: normalise("\n".join(lines)) for n, lines in pages.items()},
        )

    def locate(self, quote: str, page: int | None) -> str | None:
        """None if ``quote`` is where it should be, else what is wrong."""
        wanted = normalise(quote)
        if wanted not in self.whole:
            return "not found in the source text"
        if page is None:
            return None
        if page not in self.pages:
            return f"the source has no page {page}"
        here = self.pages[page]
        if wanted in here:
            return None
        # A quote may run on to the next page, but must begin on this one.
        joined = normalise(here + "\n" + self.pages.get(page + 1, ""))
        if wanted in joined and wanted not in self.pages.get(page + 1, ""):
            return None
        found = [n for n, text in self.pages.items() if wanted in text]
        return f"not on page {page}" + (f" (found on page {found[0]})" if found else "")


@dataclass(frozen=True)
class QuoteProblem:
    origin: Origin
    source: str
    quote: str
    problem: str

    def __str__(self) -> str:
        return f"{self.origin}: quote from {self.source} {self.problem}: {self.quote[:60]!r}"


def check_quotes(records: Records, texts_dir: Path) -> tuple[list[QuoteProblem], int]:
    """Every quote of every source whose text is in ``texts_dir``; (problems, quotes checked)."""
    sources = {s.id: s for s in records.sources}
    cache: dict[str, SourceText] = {}
    problems: list[QuoteProblem] = []
    checked = 0
    for statement in records.statements:
        source = sources[statement.source]
        if source.text_file is None or not (texts_dir / source.text_file).is_file():
            continue
        text = cache.get(source.text_file)  # by file: sources may share one text
        if text is None:
            text = cache[source.text_file] = SourceText.read(texts_dir / source.text_file)
        for quote in statement.quotes:
            checked += 1
            problem = text.locate(quote.text, quote.page)
            if problem is not None:
                problems.append(QuoteProblem(quote.origin, source.id, quote.text, problem))
    return problems, checked
