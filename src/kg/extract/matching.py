"""Matching a figure's words against the project's reference data: areas, indicators, periods.

Areas are found by name in the sentence (zh label, its short form, en label); an indicator by
the overlap of character bigrams (Chinese) or words (English) between its labels and the
clause around the figure, among the indicators whose unit fits the figure. Each match has a
confidence between 0 and 1 that the draft writes as a comment, so that a curator knows what
to check first. Nothing here reads files: it takes the :class:`~kg.model.Records` loaded by
:func:`kg.sources.load_records`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.extract.figures import Figure
from kg.model import Records

# Words that name the whole country in a Chinese or English national report.
_COUNTRY_ZH = ("我国", "全国", "中国", "国内")
_COUNTRY_EN = ("China", "nationwide", "the country")
_STOP_EN = {"the", "of", "and", "in", "a", "an", "for", "to", "at", "by", "with", "on", "per"}
# Kinds whose value is a rate of the indicator, not in its unit.
_RATE_KINDS = {"yoy-growth", "growth", "average-annual-growth", "rank", "ratio"}
THRESHOLD = 0.34


@dataclass(frozen=True)
class Match:
    """A reference record chosen for a figure, or None, and how sure the choice is."""

    id: str | None
    confidence: float
    label: str = ""  # for a new indicator: the words the draft proposes as its zh/en label


@dataclass(frozen=True)
class _Named:
    id: str
    names: tuple[str, ...]


def _bigrams(text: str) -> set[str]:
    chars = re.sub(r"[\s，。；、：“”（）()《》·,.;:'\"%]", "", text)
    return {chars[i : i + 2] for i in range(len(chars) - 1)}


_SYNONYMS_EN = {"ratio": "share", "proportion": "share", "percentage": "share", "rate": "share"}


def _words(text: str) -> set[str]:
    words = re.findall(r"[a-z]+|[0-9]+", text.lower())
    return {_SYNONYMS_EN.get(w, w) for w in words if w not in _STOP_EN}


class Reference:
    """The reference data a draft is matched against."""

    def __init__(self, records: Records) -> None:
        areas: list[_Named] = []
        for area in records.areas:
            names = [t for _lang, t in area.label.items]
            if area.short_zh:
                names.append(area.short_zh)
            zh = area.label.get("zh") or ""
            for suffix in ("省", "市", "自治区", "壮族自治区", "回族自治区", "维吾尔自治区"):
                if zh.endswith(suffix) and len(zh) - len(suffix) >= 2:
                    names.append(zh[: -len(suffix)])
            areas.append(_Named(area.id, tuple(sorted(set(names), key=lambda n: (-len(n), n)))))
        self._areas = areas
        self._by_name = {name: named.id for named in areas for name in named.names}
        names = sorted(self._by_name, key=lambda n: (-len(n), n))
        alternation = "|".join(re.escape(n) for n in names) or "(?!)"
        self._zh_names = re.compile(alternation)
        self._en_names = re.compile(rf"\b(?:{alternation})\b")
        self.country = next((a.id for a in records.areas if a.type == "country"), None)
        self._indicators = [
            (
                ind.id,
                ind.unit,
                tuple(_bigrams(t) for lang, t in ind.label.items if lang == "zh"),
                tuple(_words(t) for lang, t in ind.label.items if lang == "en"),
            )
            for ind in records.indicators
        ]
        self.units = {unit.id for unit in records.units}
        self.periods = {period.id for period in records.periods}

    def area(self, sentence: str, figure: Figure, lang: str) -> Match:
        """The area named nearest before the figure in its sentence, else just after it."""
        mentions = self._mentions(sentence, lang, country=False)
        before = [m for m in mentions if m[0] < figure.start]
        if before:
            return Match(before[-1][1], 0.9)
        clause_end = min(
            [i for i in (sentence.find(p, figure.end) for p in "，；。,;") if i >= 0]
            or [len(sentence)]
        )
        after = [m for m in mentions if figure.start <= m[0] < clause_end]
        if after and len({a for _at, a in mentions}) < 3:
            return Match(after[0][1], 0.6)
        words = _COUNTRY_ZH if lang == "zh" else _COUNTRY_EN
        if self.country and any(0 <= sentence.find(w) < clause_end for w in words):
            return Match(self.country, 0.8)
        return Match(None, 0.0)

    def _mentions(self, sentence: str, lang: str, *, country: bool = True) -> list[tuple[int, str]]:
        pattern = self._en_names if lang == "en" else self._zh_names
        found = [
            (hit.start(), self._by_name[hit.group(0)])
            for hit in pattern.finditer(sentence)
            if country or self._by_name[hit.group(0)] != self.country
        ]
        if self.country and country:
            words = _COUNTRY_ZH if lang == "zh" else _COUNTRY_EN
            found.extend((sentence.find(w), self.country) for w in words if w in sentence)
        return sorted(found)

    def mentioned(self, sentence: str, lang: str) -> str | None:
        """The area a sentence is first about, if any; a list of three or more is no subject."""
        mentions = self._mentions(sentence, lang)
        if len({area for _at, area in mentions if area != self.country}) >= 3:
            return None
        return mentions[0][1] if mentions else None

    def area_list(self, before: str) -> list[str] | None:
        """The areas of a list just before a count (北京、上海、浙江等), or None."""
        found = re.search(r"((?:[^、，；。：]{2,9}、)+[^、，；。：]{2,9})等$", before)
        if found is None:
            return None
        ids = []
        for item in found.group(1).split("、"):
            if item not in self._by_name:
                return None
            ids.append(self._by_name[item])
        return ids

    def indicator(
        self, sentence: str, figure: Figure, lang: str, clause: str | None = None
    ) -> Match:
        """The indicator whose labels best overlap the clause around the figure."""
        clause = clause if clause is not None else _clause(sentence, figure, lang)
        score, found = self._best(clause, figure, lang)
        if score < THRESHOLD:
            # The subject may stand earlier in the sentence ("... built 27.6 thousand 5G base
            # stations, bringing the total to 124.7 thousand"): try all of it, less surely.
            wide, wide_found = self._best(sentence, figure, lang)
            if wide * 0.9 >= THRESHOLD:
                score, found = wide * 0.9, wide_found
        if score >= THRESHOLD:
            return Match(found, round(score, 2))
        return Match(None, round(score, 2), label=_subject(clause, figure, lang))

    def _best(self, text: str, figure: Figure, lang: str) -> tuple[float, str]:
        target = _bigrams(text) if lang == "zh" else _words(text)
        # Best overlap first; on a tie the longer (more specific) label, then the smaller id.
        best: tuple[float, int, str] = (0.0, 0, "")
        for ind_id, unit, zh_labels, en_labels in self._indicators:
            if not _unit_fits(unit, figure):
                continue
            for grams in zh_labels if lang == "zh" else en_labels:
                if not grams:
                    continue
                key = (len(grams & target) / len(grams), len(grams), ind_id)
                if key[:2] > best[:2] or (key[:2] == best[:2] and ind_id < best[2]):
                    best = key
        return best[0], best[2]


def _unit_fits(unit: str | None, figure: Figure) -> bool:
    if unit is None:
        return True
    if figure.kind in _RATE_KINDS:
        return unit != "percent" or figure.kind == "rank"
    if figure.unit == "percent":
        return unit == "percent"
    return unit != "percent"


def _clause(sentence: str, figure: Figure, lang: str = "zh") -> str:
    """The words around a figure: from the previous clause mark to the next one."""
    marks = "，；。：" if lang == "zh" else (", ", "; ", ": ")
    left = sentence[: figure.start]
    cut = max(left.rfind(p) + len(p) for p in marks)
    left = left[max(cut, 0) :]
    right = sentence[figure.end :]
    following = re.search(r"\d", right)  # the words of the next figure are its own
    if following:
        right = right[: following.start()]
    stops = (
        [right.find(p) for p in (*marks, "、")] if lang == "zh" else [right.find(p) for p in marks]
    )
    stop = min([i for i in stops if i >= 0] or [len(right)])
    return left + right[: min(stop, 24 if lang == "zh" else 80)]


def _subject(clause: str, figure: Figure, lang: str) -> str:
    """A label proposal for a new indicator: the clause without the figure and its verbs."""
    words = clause.replace(figure.wording, " ")
    if lang == "zh":
        words = re.sub(
            r"(?:已|均|分别|共|累计)?(?:达到|达|为|超过|突破|增至|增长|提升至|占比达|占)$",
            "",
            words.strip(),
        )
        words = re.sub(r"^(?:其中|全国|我国|全省|截至\d{4}年(?:底|末|\d+月)?)+", "", words)
    return re.sub(r"\s+", " ", words).strip(" ，,")[:40]
