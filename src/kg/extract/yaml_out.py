"""Writing a :class:`~kg.extract.draft.Draft` as a source file in the record format of data/sources/.

The text is written by hand, not by a YAML library, so that the curator's marks can stand as
comments beside the fields they concern, and the same draft gives byte-identical files:

- ``# CURATOR: ...`` on a field the curator must fill in (a missing en label, an area the
  tool could not find, a unit or period the reference data lacks); the build refuses it as
  it stands, at that line, until it is done; also on the ``- id:`` line of a statement that
  names a new indicator, unit or period, the line where the build reports such a reference;
- ``# CHECK: ...`` on a field the tool chose with low confidence (a match below 0.6);
- ``# match: 0.83`` on every area and indicator, the confidence of the match.
"""

from __future__ import annotations

import json

from kg import numbers
from kg.extract.draft import Draft, DraftStatement, value_text
from kg.extract.matching import Reference

LOW = 0.6


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON's escapes are YAML's)."""
    return json.dumps(text, ensure_ascii=False)


def _langs(mapping: dict[str, str]) -> str:
    return "{" + ", ".join(f"{lang}: {_q(text)}" for lang, text in sorted(mapping.items())) + "}"


def render(draft: Draft, reference: Reference, *, text_file: str, languages: list[str]) -> str:
    """The draft as YAML text."""
    out: list[str] = [
        f"# Draft of {draft.source}, written by kg extract from {text_file} for a curator to review:",
        "# check every statement against its quote, fill in each field marked CURATOR, look at",
        "# each CHECK, delete what is not a statement, then move this file into data/sources/.",
        f"# {_n(len(draft.statements), 'statement')}, {_n(len(draft.groups), 'group claim')} "
        f"and {_n(len(draft.claims), 'fraction claim')} from {_n(draft.sentences, 'sentence')}.",
        "source:",
        f"  id: {draft.source}",
        "  type: report  # CHECK: news-article | report",
        '  title: {en: "", zh: ""}  # CURATOR: the document\'s title',
        '  publisher: ""  # CURATOR: an organisation id of data/reference/',
        '  published: ""  # CURATOR: YYYY-MM-DD (or YYYY-MM, YYYY)',
        f"  languages: [{', '.join(languages)}]",
        f"  text_file: {_q(text_file)}",
    ]
    if draft.new_indicators:
        out.append("")
        out.append("# New indicators the reference data does not have yet: give each an English")
        out.append("# label, a definition and a unit.")
        out.append("indicators:  # CURATOR: move this section to data/reference/indicators.yaml")
        for ind_id, label in draft.new_indicators.items():
            out.append(f"  - id: {ind_id}  # CURATOR: a readable id")
            out.append(f"    label: {{zh: {_q(label)}}}  # CURATOR: add en; check zh")
    out.append("")
    out.append("statements:")
    for statement in draft.statements:
        out.extend(_statement(statement, reference))
    if draft.claims or draft.groups:
        out.append("")
        out.append("claims:")
    for group in draft.groups:
        out.append(f"  - id: {group.id}  # CURATOR: a readable id")
        out.append("    type: group")
        out.append(
            '    group: ""  # CURATOR: top-10 | first-tier | first-group | evaluated-areas | ...'
        )
        out.append(f"    members: [{', '.join(group.members)}]")
        out.append(f"    declared_count: {group.count}")
        out.append("    quotes:")
        out.extend(_quote(group.quote.text, group.quote.lang, group.quote.page))
    if draft.claims:
        out.append("  # fractions: CURATOR: write each as a fact claim, or delete it")
        for claim in draft.claims:
            out.append(f"  - id: {claim.id}")
            out.append("    type: fact")
            out.append(f"    label: {{zh: {_q(claim.words)}}}  # CURATOR: the claim in en and zh")
            if claim.area.id:
                out.append(f"    area: {claim.area.id}")
            out.append("    time: {stated: false}  # CHECK")
            out.append("    quotes:")
            out.extend(_quote(claim.quote.text, claim.quote.lang, claim.quote.page))
    return "\n".join(out) + "\n"


def _statement(s: DraftStatement, reference: Reference) -> list[str]:
    f = s.figure
    lines = [f"  - id: {s.id}"]
    if s.section:
        lines[0] += f"  # {s.section[:60]}"
    new = [
        *(["indicator"] if s.indicator.id and s.indicator.id.startswith("new-indicator-") else []),
        *(["unit"] if f.unit not in reference.units else []),
        *(["period"] if s.when.period and s.when.period not in reference.periods else []),
    ]
    if new:  # the build names the statement (this line) for a reference it does not know
        lines[0] += f"  # CURATOR: add its {' and '.join(new)} to data/reference/ first"
    if s.area.id is None:
        lines.append('    area: ""  # CURATOR: the area this figure is about')
    else:
        lines.append(
            f"    area: {s.area.id}  # match: {s.area.confidence:.2f}" + _low(s.area.confidence)
        )
    if s.indicator.id and s.indicator.id.startswith("new-indicator-"):
        lines.append(
            f"    indicator: {s.indicator.id}  # CURATOR: new indicator ({s.indicator.label})"
        )
    else:
        lines.append(
            f"    indicator: {s.indicator.id}  # match: {s.indicator.confidence:.2f}"
            + _low(s.indicator.confidence)
        )
    lines.append(f"    kind: {f.kind}" + ("  # CHECK" if f.kind in ("ratio", "growth") else ""))
    lines.append(f"    value: {value_text(f.value)}")
    unit_line = f"    unit: {f.unit}"
    if f.unit not in reference.units:
        unit_line += "  # CURATOR: a unit data/reference/units.yaml does not have yet"
    lines.append(unit_line)
    amount_problem, qualifier_problem = _loader_objections(s)
    lines.append(f"    qualifier: {f.qualifier}" + qualifier_problem)
    lines.append(f"    wording: {_langs(s.wordings)}" + amount_problem)
    period = s.when.period
    wording = {s.lang: s.when.wording} if s.when.wording else {}
    if period is None:
        lines.append(
            "    time: {stated: false"
            + (f", wording: {_langs(wording)}" if wording else "")
            + "}  # CHECK: the sentence states no year"
        )
    else:
        mark = (
            ""
            if period in reference.periods
            else "  # CURATOR: a period time.yaml does not have yet"
        )
        lines.append(f"    period: {_q(period)}{mark}")
        if wording:
            lines.append(f"    time: {{wording: {_langs(wording)}}}")
    lines.append("    quotes:")
    for quote in s.quotes:
        lines.extend(_quote(quote.text, quote.lang, quote.page))
    lines.append("")
    return lines


def _loader_objections(s: DraftStatement) -> tuple[str, str]:
    """Marks for the wording and qualifier lines where the loader's own checks will object.

    The loader reads a wording with one scale word (2千亿 as 2000) and knows a fixed list of
    qualifier cues: the draft says so on the line the build will name.
    """
    amount_mark = qualifier_mark = ""
    for text in s.wordings.values():
        amount = numbers.parse_amount(text)
        if amount is not None and amount != s.figure.value:
            amount_mark = (
                f"  # CURATOR: the build reads {text!r} as {amount.normalize():f}, "
                f"not {value_text(s.figure.value)}: reword, keeping the source's words"
            )
        cues = numbers.qualifier_cues(text)
        qualifier = s.figure.qualifier
        if (cues and qualifier not in cues) or (qualifier != "exact" and not cues):
            qualifier_mark = f"  # CURATOR: the build finds no cue for {qualifier} in {text!r}"
    return amount_mark, qualifier_mark


def _quote(text: str, lang: str, page: int | None) -> list[str]:
    lines = []
    if page is not None:
        lines.append(f"      - page: {page}")
        lines.append(f"        {lang}: {_q(text)}")
    else:
        lines.append(f"      - {lang}: {_q(text)}")
    if lang != "en":
        lines.append(
            '        translation: ""  # CURATOR: an English translation (a label, not a quote)'
        )
    return lines


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _low(confidence: float) -> str:
    return "  # CHECK: low confidence" if confidence < LOW else ""
