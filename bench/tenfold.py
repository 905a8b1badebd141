"""Copies of the repository's project for bench/loop.py: as it is, and with 10x its sources.

The tenfold project holds the repository's reference data and each source file ten times:
the original and nine copies whose source documents (and the documents they are based on)
get new ids (``dcdr-2021-x2`` ...). Statement ids are unique within a source, so the copies
keep them, each copy with the same quotes, checked against the same source texts: 4,400
statements of the 440 the repository has since the whole report was curated (issue 16's "10x
the curated data, about 1,100 statements" was 10x of its 111; three copies, 1,320 statements,
are that size today).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

COPIES = 10
PARTS = ("ontology", "data", "queries")


def copy_project(repo: Path, target: Path) -> Path:
    """``repo``'s project in ``target`` (no out/), its source texts where the repository has them."""
    target.mkdir(parents=True)
    for part in PARTS:
        shutil.copytree(repo / part, target / part, ignore=shutil.ignore_patterns("drafts"))
    config = (repo / "dckg.toml").read_text(encoding="utf-8")
    texts = (repo / "../shared/sources").resolve()
    config = config.replace('texts = "../shared/sources"', f'texts = "{texts}"')
    (target / "dckg.toml").write_text(config, encoding="utf-8")
    return target


def make_tenfold(repo: Path, target: Path, copies: int = COPIES) -> Path:
    """The project with each source file of data/sources/ ``copies`` times, under new ids."""
    copy_project(repo, target)
    sources = target / "data" / "sources"
    for path in sorted(sources.glob("*.yaml")):
        if path.name.endswith(".exclusions.yaml"):  # no source document: the build skips it
            continue
        text = path.read_text(encoding="utf-8")
        if not re.search(r"^source:", text, flags=re.M):
            continue  # not a source document (the report's exclusions list): copied once
        ids = _source_ids(text)
        for copy in range(2, copies + 1):
            renamed = text
            for source_id in ids:
                renamed = re.sub(
                    rf"^(\s+id: ){re.escape(source_id)}$",
                    rf"\g<1>{source_id}-x{copy}",
                    renamed,
                    flags=re.M,
                )
            (sources / f"{path.stem}-x{copy}.yaml").write_text(renamed, encoding="utf-8")
    return target


def _source_ids(text: str) -> list[str]:
    """The ids of the source document of a file and of the documents it is based on."""
    head = text.split("\nstatements:", 1)[0].split("\nclaims:", 1)[0]
    return re.findall(r"^\s+id: ([a-z0-9-]+)$", head[head.index("\nsource:") :], flags=re.M)
