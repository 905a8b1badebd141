"""A source's plain text as sentences, each with its PDF page, language and section.

The text is UTF-8; a line ``=====PAGE N=====`` starts PDF page N (the next line, when it is
a bare number, is the printed page number and no sentence). A text without markers has no
pages. Headings (``（一）…``, ``三、…``, ``第二篇``), figure captions (``图9 …``), their
source lines (``来源：…``) and footnotes stand alone: they end a sentence and hold no
statement. A sentence's text is whitespace-normalised exactly as the quote rules say
(:func:`kg.quotes.normalise`), so that a draft's quote is always found in the source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from kg.errors import InputError
from kg.quotes import normalise

_PAGE = re.compile(r"^=====PAGE (\d+)=====$")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
# A line that is a heading, a caption, a source line or a footnote, not running text.
_HEADING = re.compile(
    r"^(?:[（(][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、|第[一二三四五六七八九十]+[篇章节]"
    r"|[图表]\s*\d+|来源[:：]|\d+\s+[^，。、；：,.;:]{1,20}$|目\s*录|摘\s*要)"
)
# Sentence ends: Chinese full stop, exclamation and question marks; English ones before a
# space and a capital letter, a digit or a quotation mark.
_ZH_END = re.compile(r"(?<=[。！？])")
_EN_END = re.compile(r"(?<=[a-z0-9%)\]][.!?])\s+(?=[A-Z0-9“\"(])")
# A long Chinese sentence is quoted by the clause that holds the figure: split at ；.
LONG_SENTENCE = 160


@dataclass(frozen=True)
class Sentence:
    """One sentence (or clause) of a source, normalised, with where it begins."""

    text: str
    page: int | None
    lang: str  # "zh" or "en"
    section: str  # the nearest heading above it, "" before the first
    index: int  # position in the document, from 0


def language_of(text: str) -> str:
    """ "zh" when the text has Chinese characters, else "en"."""
    return "zh" if _CJK.search(text) else "en"


def read_text(path: Path) -> str:
    """The file's text; InputError (exit 2) when it cannot be read as UTF-8."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(
            f"{path}: no such file", hint="give the path of a plain-text file"
        ) from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder, not a text file") from None
    except UnicodeDecodeError as error:
        raise InputError(
            f"{path}: not UTF-8 text (byte {error.start})",
            hint="convert it first, e.g. iconv -f GB18030 -t UTF-8",
        ) from None
    except OSError as error:
        raise InputError(f"{path}: cannot be read ({error.strerror})") from None


def sentences(raw: str) -> list[Sentence]:
    """The sentences of a source text, in order; headings are not sentences."""
    found: list[Sentence] = []
    section = ""
    for block in _blocks_with_pages(raw):
        text, page_starts, first_page, heading = block
        if heading:
            section = normalise(text)
            continue
        normalised = normalise(text)
        cursor = 0
        for piece in _split(normalised):
            offset = max(normalised.find(piece, cursor), 0)
            cursor = offset + len(piece)
            page = first_page
            for start, number in page_starts:
                if start <= offset:
                    page = number
            found.append(Sentence(piece, page, language_of(piece), section, len(found)))
    return found


def _blocks_with_pages(raw: str) -> list[tuple[str, list[tuple[int, int]], int | None, bool]]:
    """Blocks whose text runs across page markers, with the normalised offset of each page."""
    result: list[tuple[str, list[tuple[int, int]], int | None, bool]] = []
    page: int | None = None
    current: list[str] = []
    starts: list[tuple[int, int]] = []
    first: int | None = None
    skip_number = False

    def flush() -> None:
        nonlocal current, starts
        if current:
            result.append(("\n".join(current), starts, first, False))
        current, starts = [], []

    for line in raw.splitlines():
        stripped = line.strip()
        marker = _PAGE.match(stripped)
        if marker:
            page = int(marker.group(1))
            skip_number = True
            if current:
                starts.append((len(normalise("\n".join(current))), page))
            continue
        if skip_number and stripped.isdigit():
            skip_number = False
            continue
        skip_number = False
        if not stripped:
            flush()
            continue
        if _HEADING.match(stripped) and not re.search(r"[。；！？，]$", stripped):
            flush()
            result.append((stripped, [], page, True))
            continue
        if not current:
            first = page
        current.append(line)
    flush()
    return result


_ABBREVIATION = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|No|Nos|Co|Corp|Ltd|Inc|St|Jr|Sr|vs|etc|approx|Jan|Feb|Mar|Apr"
    r"|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)|\b[A-Z](?:\.[A-Z])*)\.$"
)


def _joined(pieces: list[str]) -> list[str]:
    """Sentences split after an abbreviation ("Mr.", "U.S.", "No.") joined again."""
    joined: list[str] = []
    for piece in pieces:
        if joined and _ABBREVIATION.search(joined[-1]):
            joined[-1] = f"{joined[-1]} {piece}"
        else:
            joined.append(piece)
    return joined


def _split(text: str) -> list[str]:
    """Sentences of a normalised block; a long Chinese sentence into its ；-clauses."""
    pieces: list[str] = []
    for part in _ZH_END.split(text):
        for sentence in _joined(_EN_END.split(part)):
            sentence = sentence.strip()
            if not sentence:
                continue
            if len(sentence) > LONG_SENTENCE and "；" in sentence:
                clauses = sentence.split("；")
                pieces.extend(c + "；" for c in clauses[:-1] if c)
                if clauses[-1]:
                    pieces.append(clauses[-1])
            else:
                pieces.append(sentence)
    return pieces
