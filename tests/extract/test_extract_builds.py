"""A draft moved unchanged into data/sources/ builds, except on the fields it marks.

Every problem the loader reports must be on a line the draft marks ``CURATOR``; once a
curator has filled the source's header and moved the new indicators out, the same holds
for the reference checks that follow.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import REPO, shared_sources
from kg.errors import InputError
from kg.extract import extract_file, write_draft
from kg.sources import load_records

pytestmark = pytest.mark.sources


def _problems(data: Path) -> list[str]:
    try:
        load_records(data)
    except InputError as error:
        return [str(e).splitlines()[0] for e in getattr(error, "errors", [error])]
    return []


def _unmarked(problems: list[str], draft: Path) -> list[str]:
    lines = draft.read_text(encoding="utf-8").splitlines()
    wrong = []
    for problem in problems:
        hit = re.match(rf".*{re.escape(draft.name)}:(\d+): ", problem)
        if hit is None or "CURATOR" not in lines[int(hit.group(1)) - 1]:
            wrong.append(problem)
    return wrong


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("dahe-2022-08-16-henan-digital-infrastructure.txt", "dahe-2022-08-16"),
        ("dcdr-2021-zh.txt", "dcdr-2021"),
    ],
)
def test_draft_builds_but_for_the_marked_fields(tmp_path: Path, text: str, source: str) -> None:
    data = tmp_path / "data"
    shutil.copytree(REPO / "data", data)
    (data / "sources" / f"{source}.yaml").unlink()
    draft = data / "sources" / f"{source}.yaml"
    write_draft(
        extract_file(shared_sources() / text, load_records(REPO / "data"), source=source), draft
    )

    first = _problems(data)
    assert first, "a draft has fields for the curator"
    assert _unmarked(first, draft) == []

    # The curator fills the header and moves the new indicators to the reference data.
    content = draft.read_text(encoding="utf-8")
    content = re.sub(r"  title: .*\n", "  title: {en: T, zh: T}\n", content)
    content = re.sub(r"  publisher: .*\n", "  publisher: cac\n", content)
    content = re.sub(r"  published: .*\n", '  published: "2022-07"\n', content)
    content = re.sub(r"(?ms)^indicators:.*?\n\n", "", content)
    draft.write_text(content, encoding="utf-8")
    second = _problems(data)
    assert second and _unmarked(second, draft) == []
