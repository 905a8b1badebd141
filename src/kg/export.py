"""``statements.csv``: one row per statement, for analysts who never open RDF."""

from __future__ import annotations

import csv
import io

from kg.build import Builder, statement_iri
from kg.model import GroupClaim, Observation, Records
from kg.observation import BASE_COLUMNS, columns, format_value, parts


def statements_csv(records: Records) -> str:
    """The CSV text, rows ordered by source then statement id (the graph's own order)."""
    builder = Builder(records)
    header = columns()
    own = [p for p in parts() if p.column and p.column not in BASE_COLUMNS]
    areas = builder.areas
    periods = builder.periods
    sections = {(s.source, s.id): s for s in records.sections}
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    for statement in sorted(records.statements, key=lambda s: (s.source, s.id)):
        row: dict[str, str] = dict.fromkeys(header, "")
        row["statement"] = str(statement_iri(statement))
        row["source"] = statement.source
        area = areas.get(statement.area) if statement.area else None
        if area is not None:
            row.update(
                area=area.id,
                area_code=area.code or "",
                area_en=area.label.get("en") or "",
                area_zh=area.label.get("zh") or "",
            )
        if statement.indicator:
            row["indicator"] = statement.indicator
            row["indicator_en"] = builder.indicators[statement.indicator].label.get("en") or ""
        when = statement.when
        if when.period:
            period = periods[when.period]
            row.update(
                period=period.id,
                period_start=period.start.isoformat(),
                period_end=period.end.isoformat(),
            )
        row["time_stated"] = "true" if when.stated else "false"
        if not when.stated:
            row["reported_on"] = (builder.sources[statement.source].published or "")[:10]
        row["time_wording"] = " | ".join(text for _, text in when.wording.items)
        if isinstance(statement, Observation):
            row.update(
                type="observation",
                kind=statement.kind,
                value=format_value(statement.value),
                unit=str(builder.unit_iri(statement.unit)),
                qualifier=statement.qualifier,
                wording_en=statement.wording.get("en") or "",
                wording_zh=statement.wording.get("zh") or "",
            )
            for part in own:  # a part with a column of its own: the slot's text
                assert part.column is not None
                row[part.column] = row[part.slot]
        elif isinstance(statement, GroupClaim):
            row.update(
                type="group-claim",
                group=statement.group,
                dimension=statement.dimension or "",
                members=" ".join(statement.members),
            )
        else:
            row["type"] = "fact-claim"
        label = builder.statement_label(statement)
        row["label_en"], row["label_zh"] = label.get("en") or "", label.get("zh") or ""
        row["pages"] = " ".join(
            sorted({str(q.page) for q in statement.quotes if q.page is not None}, key=int)
        )
        section = sections.get((statement.source, statement.section or ""))
        if section is not None:  # the id within its source, as the source column gives it
            row.update(
                section=section.id,
                section_en=section.title.get("en") or "",
                section_zh=section.title.get("zh") or "",
            )
        row["quote_en"] = " | ".join(q.text for q in statement.quotes if q.language == "en")
        row["quote_zh"] = " | ".join(q.text for q in statement.quotes if q.language == "zh")
        row["translation_en"] = " | ".join(q.translation for q in statement.quotes if q.translation)
        writer.writerow(row)
    return buffer.getvalue()
