"""The CJK font, for the figures and for the report's pages.

The figures embed their glyphs (matplotlib draws text as paths). The pages would show a box
for every Chinese character on a machine without a CJK font, so the site serves its own:
``subset_font`` cuts Noto Sans CJK SC (shipped by mplfonts, no root needed) down to the
characters the pages use, as WOFF, with the font's SIL Open Font License beside it. The
pages name it in an ``@font-face`` rule (``FONT_FACE``). The subset keeps the font's own
timestamp and name records, so the same pages give the same bytes from one build to the next.
"""

from __future__ import annotations

import importlib.resources
import importlib.util
import io
from collections.abc import Iterable
from pathlib import Path

from kg.errors import InputError, OutputError

CJK_FONT = "NotoSansCJKsc-Regular.otf"  # in mplfonts' fonts/ folder
FAMILY = "dckg Noto Sans CJK SC"  # the @font-face family the pages ask for
FONT_FILE = "NotoSansCJKsc-subset.woff"
LICENCE_FILE = "OFL.txt"
LICENCE_TEXT = "OFL-1.1.txt"  # the licence's text, shipped in kg/licences/
_NAME_COPYRIGHT, _NAME_LICENCE_URL = 0, 14  # OpenType name record ids


def cjk_font() -> Path:
    """The full Noto Sans CJK SC font file of mplfonts, found without importing mplfonts
    (which imports matplotlib: 0.2-0.3 s that a build whose figures are reused need not pay)."""
    spec = importlib.util.find_spec("mplfonts")
    if spec is not None and spec.submodule_search_locations:
        return Path(next(iter(spec.submodule_search_locations))) / "fonts" / CJK_FONT
    raise InputError(
        "the CJK font package mplfonts is not installed",
        hint="install the project again: pip install -e . (or make build)",
    )


def font_face(href: str) -> str:
    """The ``@font-face`` rule of the served subset, at ``href`` (relative to the page)."""
    return (
        f'@font-face {{ font-family: "{FAMILY}"; src: url("{href}") format("woff"); '
        "font-weight: normal; font-style: normal; font-display: swap; }"
    )


def characters(texts: Iterable[str]) -> list[int]:
    """The code points of ``texts`` a font must hold, sorted."""
    used: set[str] = set()
    for text in texts:
        used.update(text)  # a set of each page first: the pages are megabytes, the set is small
    return sorted(ord(c) for c in used if c.isprintable())


def subset_font(texts: Iterable[str], folder: Path) -> list[Path]:
    """Write ``FONT_FILE`` (the characters of ``texts``) and its licence into ``folder``.

    HarfBuzz cuts the subset (uharfbuzz: about 0.3 s where fontTools' subsetter took 1.7 s
    for the report's 1,000 characters), keeping every name record and every layout feature
    with the glyphs they reach; fontTools wraps it as WOFF.
    """
    import uharfbuzz as hb
    from fontTools.ttLib import TTFont

    face = hb.Face(hb.Blob.from_file_path(str(cjk_font())))
    wanted = hb.SubsetInput()
    for code in characters(texts):
        wanted.unicode_set.add(code)
    for which, last in (
        (hb.SubsetInputSets.NAME_ID, 0x7FFF),
        (hb.SubsetInputSets.NAME_LANG_ID, 0xFFFF),
    ):
        kept = wanted.sets(which)  # every name record: the copyright, licence and trademark
        for number in range(last + 1):
            kept.add(number)
    features = wanted.sets(hb.SubsetInputSets.LAYOUT_FEATURE_TAG)
    features.clear()
    features.invert()  # every feature (inverting HarfBuzz's default set would drop those)
    cut = hb.subset(face, wanted)
    if cut is None:
        raise OutputError(f"HarfBuzz could not subset {cjk_font()}", hint="reinstall mplfonts")
    font = TTFont(io.BytesIO(bytes(cut.blob.data)), recalcTimestamp=False)
    try:
        font.flavor = "woff"  # zlib: deterministic, no extra package (WOFF2 needs brotli)
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / FONT_FILE
        font.save(str(target), reorderTables=False)
        names = font["name"]
        copyright_ = names.getDebugName(_NAME_COPYRIGHT) or ""
        url = names.getDebugName(_NAME_LICENCE_URL) or ""
    finally:
        font.close()
    licence = folder / LICENCE_FILE
    text = (importlib.resources.files("kg") / "licences" / LICENCE_TEXT).read_text("utf-8")
    with open(licence, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(
            f"{FONT_FILE}: a subset of {CJK_FONT} (Noto Sans CJK SC, from the mplfonts "
            "package), cut to the characters of these pages by dckg with HarfBuzz.\n"
            f"{copyright_}\n"
            f"It is licensed under the SIL Open Font License, Version 1.1 ({url}):\n\n{text}"
        )
    return [target, licence]
