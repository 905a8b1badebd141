"""Issue 14, item 15: "Entities by class" on the report's index shows classes as prefixed
names (``dckg:Observation``), shortened with the project's prefixes as ``kg stats`` and
``kg query`` do, never as full IRIs."""

from __future__ import annotations

import re

from kg.pipeline import BuildResult


def _by_class(index: str) -> list[tuple[str, str]]:
    table = index.split("<h3>Entities by class</h3>", 1)[1].split("</table>", 1)[0]
    return re.findall(r'<tr><td>([^<]*)</td><td class="n">(\d+)</td></tr>', table)


def test_entities_by_class_shows_prefixed_names(built_mini: BuildResult) -> None:
    index = (built_mini.out_dir / "site" / "index.html").read_text(encoding="utf-8")
    rows = _by_class(index)
    assert rows, "no rows under Entities by class"
    classes = [name for name, _count in rows]
    assert "skos:ConceptScheme" in classes  # another prefix than dckg:
    assert "dckg:Observation" in classes and "dckg:Quotation" in classes
    for name in classes:
        assert "://" not in name, f"a full IRI in Entities by class: {name}"
