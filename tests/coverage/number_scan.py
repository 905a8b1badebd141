"""Every number of a paginated source text, by page: a tokenizer of its own.

Independent of ``kg extract`` on purpose (it imports nothing of ``kg.extract``): the
coverage test asks whether what the extractor and the curators recorded covers every number
in the text, so the list of numbers must not come from the extractor itself.

A number is a run of Arabic digits (``142.5``, ``2021``, the ``5`` of ``5G``), a fraction
written in words (``三分之一``, ``百分之三十``), or a run of Chinese numerals that contains
a digit other than 一 (``三``, ``十四``, ``二十``). A lone 一 is the indefinite article
(一个, 一批, 进一步) except where it counts or orders: after 第 or （, before 是, 、, ）,
分之, 成, 倍 or 半 (一半, half). Scale characters alone (万物, 千兆, 百姓) are words, not numbers. Pages are
whitespace-normalised as the quote check does (``kg.quotes.normalise``), so offsets are
those of the text the quotes are found in; the printed page number (the bare number on the
line after ``=====PAGE N=====``) is reported apart, as ``printed``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from kg.quotes import normalise

_PAGE = re.compile(r"^=====PAGE (\d+)=====$")
_CN = "〇零一二两三四五六七八九十百千万亿"
_TOKEN = re.compile(
    rf"(?P<frac>[一二三四五六七八九十百]*分之[一二三四五六七八九十百]+)"
    r"|(?P<arabic>\d+(?:\.\d+)?)"
    rf"|(?P<cn>[{_CN}]+)"
)
# Words written with numeral characters that are no numbers: 十分 (very), 万一 (in case),
# 一一 (one by one), 零售 (retail), 二氧化碳 (carbon dioxide), and the names 四川 (Sichuan)
# and 长三角 (the Yangtze River Delta).
WORDS = ("十分", "万一", "一一", "零售", "二氧化", "四川", "长三角")


@dataclass(frozen=True)
class Number:
    page: int
    start: int  # offset in the page's normalised text
    end: int
    text: str


@dataclass(frozen=True)
class Page:
    number: int
    text: str  # normalised
    printed: str | None  # the printed page number, if the page has one


def read_pages(path: Path) -> dict[int, Page]:
    """The normalised text of each PDF page, and its printed page number."""
    lines: dict[int, list[str]] = {}
    printed: dict[int, str] = {}
    current: int | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        marker = _PAGE.match(line.strip())
        if marker:
            current = int(marker.group(1))
            lines[current] = []
            continue
        if current is None:
            continue  # the extraction's note before page 1
        if not lines[current] and current not in printed and line.strip().isdigit():
            printed[current] = line.strip()
            continue
        lines[current].append(line)
    return {
        n: Page(n, normalise("\n".join(body)), printed.get(n)) for n, body in sorted(lines.items())
    }


def _is_number(text: str, before: str, after: str) -> bool:
    if text in WORDS:
        return False
    if not any(ch in "〇零二两三四五六七八九十" for ch in text):
        if text != "一":
            return False  # 万, 千, 百, 亿 alone: 万物, 千兆, 百姓
        return (before != "" and before in "第（") or (after != "" and after in "是、）成倍半")
    return True


def _in_word(text: str, start: int, end: int, word: str) -> bool:
    """Whether text[start:end] lies inside an occurrence of ``word``."""
    for at in range(max(0, end - len(word)), start + 1):
        if text.startswith(word, at) and at <= start and end <= at + len(word):
            return True
    return False


def numbers_in(page: Page) -> list[Number]:
    """The numbers of a page's text, in reading order."""
    found: list[Number] = []
    text = page.text
    for match in _TOKEN.finditer(text):
        token = match.group(0)
        start, end = match.span()
        if match.group("cn"):
            before = text[start - 1] if start else ""
            after = text[end] if end < len(text) else ""
            if any(_in_word(text, start, end, word) for word in WORDS):
                continue
            if not _is_number(token, before, after):
                continue
        found.append(Number(page.number, start, end, token))
    return found


# ---------------------------------------------------------------------------------------------
# Coverage: each number is in a statement's quote and wording, or excluded with a category
# ---------------------------------------------------------------------------------------------

CATEGORIES = ("year", "date", "ordinal", "list-number", "name", "title", "page-number", "other")


@dataclass(frozen=True)
class Claimed:
    """What one statement covers: its quotes (page, words) and the words of its figure."""

    id: str
    quotes: tuple[tuple[int, str], ...]
    wordings: tuple[str, ...]  # found inside the quote: every number in them is covered
    values: tuple[str, ...]  # numbers covered wherever they stand in the quote


@dataclass(frozen=True)
class Exclusion:
    page: int
    number: str
    category: str
    at: str  # the words around the number, as they stand on the page (normalised)
    times: int
    reason: str | None
    line: int


@dataclass
class Coverage:
    numbers: list[Number]
    by_statement: dict[Number, str]
    by_exclusion: dict[Number, Exclusion]
    problems: list[str]

    def uncovered(self, pages: set[int] | None = None) -> list[Number]:
        return [
            n
            for n in self.numbers
            if n not in self.by_statement
            and n not in self.by_exclusion
            and (pages is None or n.page in pages)
        ]


def _spans(pages: dict[int, Page], page: int, words: str) -> list[tuple[int, int, int]]:
    """(page, start, end) pieces of each occurrence of ``words`` that begins on ``page``."""
    here = pages[page].text
    out: list[tuple[int, int, int]] = []
    at = here.find(words)
    while at >= 0:
        out.append((page, at, at + len(words)))
        at = here.find(words, at + 1)
    if out or page + 1 not in pages:
        return out
    following = pages[page + 1].text
    for sep in ("", " "):
        joined = here + sep + following
        at = joined.find(words)
        if 0 <= at < len(here):
            cut = len(here) + len(sep)
            return [(page, at, len(here)), (page + 1, 0, at + len(words) - cut)]
    return out


def _tokens(words: str) -> list[str]:
    return [n.text for n in numbers_in(Page(0, normalise(words), None))]


def cover(
    pages: dict[int, Page], statements: list[Claimed], exclusions: list[Exclusion]
) -> Coverage:
    numbers = [n for page in pages.values() for n in numbers_in(page)]
    on_page: dict[int, list[Number]] = {}
    for n in numbers:
        on_page.setdefault(n.page, []).append(n)
    problems: list[str] = []
    by_statement: dict[Number, str] = {}
    for st in statements:
        for page, quote in st.quotes:
            quote = normalise(quote)
            pieces = _spans(pages, page, quote)
            if not pieces:
                problems.append(f"{st.id}: quote not found on page {page}: {quote[:30]}…")
            # Within the quote: the words of the figure, and the values it covers anywhere.
            inner: list[tuple[int, int, int]] = []
            for wording in st.wordings:
                wording = normalise(wording)
                offset = quote.find(wording)
                while offset >= 0:
                    inner.append((offset, offset + len(wording), 0))
                    offset = quote.find(wording, offset + 1)
            position = 0  # offset in the quote of the current piece
            for piece_page, start, end in pieces:
                for n in on_page.get(piece_page, []):
                    if not (start <= n.start and n.end <= end):
                        continue
                    rel_start = position + n.start - start
                    rel_end = rel_start + (n.end - n.start)
                    if n.text in st.values or any(
                        a <= rel_start and rel_end <= b for a, b, _ in inner
                    ):
                        by_statement.setdefault(n, st.id)
                position += end - start
                if position >= len(quote):
                    position = 0  # the next occurrence of the quote on the page
    by_exclusion: dict[Number, Exclusion] = {}
    for ex in exclusions:
        where = f"exclusions line {ex.line}"
        if ex.category not in CATEGORIES:
            problems.append(f"{where}: category {ex.category!r} is not one of {CATEGORIES}")
        if ex.category == "other" and not ex.reason:
            problems.append(f"{where}: category other needs a reason")
        if ex.page not in pages:
            problems.append(f"{where}: the text has no page {ex.page}")
            continue
        if ex.number not in _tokens(ex.at):
            problems.append(f"{where}: {ex.number!r} is not a number of {ex.at!r}")
            continue
        spans = _spans(pages, ex.page, normalise(ex.at))
        starts = {(p, s) for p, s, _ in spans if p == ex.page}
        if len(starts) != ex.times:
            problems.append(
                f"{where}: {ex.at!r} occurs {len(starts)} times on page {ex.page}, not {ex.times}"
            )
        hit = False
        for piece_page, start, end in spans:
            for n in on_page.get(piece_page, []):
                if start <= n.start and n.end <= end and n.text == ex.number:
                    hit = True
                    if n in by_statement:
                        problems.append(
                            f"{where}: {ex.number} of {ex.at!r} is already in statement "
                            f"{by_statement[n]}: remove the exclusion"
                        )
                    by_exclusion.setdefault(n, ex)
        if spans and not hit:
            problems.append(f"{where}: no number {ex.number} found in {ex.at!r} on page {ex.page}")
    return Coverage(numbers, by_statement, by_exclusion, problems)


def claimed(records: object, source_id: str) -> list[Claimed]:
    """What each statement of ``source_id`` covers (from :func:`kg.sources.load_records`)."""
    from kg.model import FactClaim, GroupClaim, Observation, Records

    assert isinstance(records, Records)
    out: list[Claimed] = []
    for st in records.statements:
        if st.source != source_id:
            continue
        quotes = tuple((q.page or 0, q.text) for q in st.quotes if q.language == "zh")
        wordings: list[str] = [text for _, text in st.when.wording.items]
        values: list[str] = []
        if st.when.period:
            values.extend(st.when.period.split("-"))  # the years of the period, as stated
        if isinstance(st, Observation):
            wordings.extend(text for _, text in st.wording.items)
        elif isinstance(st, GroupClaim):
            if st.declared_count is not None:
                values.append(str(st.declared_count))
        elif isinstance(st, FactClaim):
            values.extend(_tokens(st.label.get("zh") or ""))
        out.append(Claimed(st.id, quotes, tuple(wordings), tuple(values)))
    return out


def read_exclusions(path: Path) -> tuple[set[int], list[Exclusion]]:
    """``pages_done`` (pages whose every number must be covered) and the exclusions."""
    from ruamel.yaml import YAML

    data = YAML(typ="rt").load(path.read_text(encoding="utf-8"))
    done: set[int] = set()
    for item in data.get("pages_done") or []:
        first, _, last = str(item).partition("-")
        done.update(range(int(first), int(last or first) + 1))
    exclusions = []
    for item in data.get("exclusions") or []:
        exclusions.append(
            Exclusion(
                page=int(item["page"]),
                number=str(item["number"]),
                category=str(item["category"]),
                at=str(item["at"]),
                times=int(item.get("times", 1)),
                reason=item.get("reason"),
                line=item.lc.line + 1,
            )
        )
    return done, exclusions


def main() -> None:
    """Print what remains to cover, page by page, and the exclusions by category."""
    import sys
    from collections import Counter

    from kg.sources import load_records

    repo = Path(__file__).resolve().parents[2]
    pages = read_pages(repo.parent / "shared" / "sources" / "dcdr-2021-zh.txt")
    done, exclusions = read_exclusions(repo / "data" / "sources" / "dcdr-2021.exclusions.yaml")
    coverage = cover(pages, claimed(load_records(repo / "data"), "dcdr-2021"), exclusions)
    for problem in coverage.problems:
        print("problem:", problem)
    left = Counter(n.page for n in coverage.uncovered())
    printed = sum(1 for page in pages.values() if page.printed)
    print(
        f"{len(coverage.numbers)} numbers: {len(coverage.by_statement)} in statements, "
        f"{len(coverage.by_exclusion)} excluded, {sum(left.values())} uncovered; "
        f"{printed} printed page numbers apart"
    )
    print("pages done:", sorted(done))
    print("exclusions by category (numbers covered):")
    by_category = Counter(ex.category for ex in coverage.by_exclusion.values())
    for category in CATEGORIES:
        print(f"  {category}: {by_category.get(category, 0)}")
    print("uncovered by page:", ", ".join(f"{p}: {c}" for p, c in sorted(left.items())))
    for page in (int(arg) for arg in sys.argv[1:]):
        for n in coverage.uncovered({page}):
            text = pages[page].text
            print(
                f"  {page} {n.text!r}: {text[max(0, n.start - 12) : n.start]}[{n.text}]"
                f"{text[n.end : n.end + 12]}"
            )


if __name__ == "__main__":
    main()
