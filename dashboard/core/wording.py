"""Numbers into words: formatted values, legend text and the plain-English ward summary.

Every sentence is generated from the numbers; nothing here is written for a particular ward.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from dashboard.core import statistics
from dashboard.core.cells import is_missing
from dashboard.core.headlines import IMD_DECILE, IMD_MOST_DEPRIVED, IMD_SCORE, POPULATION, SUMMARY_HEALTH_INDICATORS

MISSING_TEXT = "missing"


def format_number(value: float | None, *, decimals: int = 1) -> str:
    if is_missing(value):
        return MISSING_TEXT
    return f"{float(value):,.{max(int(decimals), 0)}f}"


def format_value(value: float | None, *, value_type: str, unit: str = "", decimals: int = 1) -> str:
    """A value as people read it: '23.4%', '12,345', 'decile 3', '78.1 years', '123.4 per 100,000'."""
    if is_missing(value):
        return MISSING_TEXT
    if round(float(value), max(int(decimals), 0)) == 0:
        value = 0.0  # never "-0.000" (a standardised score at England's mean)
    if value_type == "percentage":
        return f"{float(value):,.{decimals}f}%"
    if value_type == "count":
        return f"{float(value):,.0f}"
    if value_type in ("decile", "rank"):
        return f"{float(value):,.0f}"
    if value_type == "years":
        return f"{float(value):,.{decimals}f} years"
    if value_type == "rate":
        unit_text = unit.strip()
        return f"{float(value):,.{decimals}f} {unit_text}".strip()
    return f"{float(value):,.{decimals}f}"


def format_ci(lower: float | None, upper: float | None, *, value_type: str, unit: str = "", decimals: int = 1) -> str:
    """'(95% CI 21.0% to 25.9%)' style text, or '' when the interval is missing."""
    if is_missing(lower) or is_missing(upper):
        return ""
    lo = format_value(lower, value_type=value_type, unit="", decimals=decimals)
    hi = format_value(upper, value_type=value_type, unit="", decimals=decimals)
    return f"95% CI {lo} to {hi}"


def ordinal(n: int) -> str:
    n = int(n)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def rank_text(rank: float, n: int, *, area_word: str = "wards") -> str:
    """'3rd highest of 16 wards' (rank 1 = highest value)."""
    if is_missing(rank) or not n:
        return "not ranked"
    rank = int(rank)
    if rank == 1:
        return f"highest of {n} {area_word}"
    if rank == n:
        return f"lowest of {n} {area_word}"
    return f"{ordinal(rank)} highest of {n} {area_word}"


def decile_phrase(decile: float | None) -> str:
    """'among the 10% most deprived neighbourhoods in England' for decile 1, and so on."""
    if is_missing(decile):
        return ""
    d = int(round(float(decile)))
    if d <= 5:
        return f"among the {d * 10}% most deprived areas in England"
    return f"among the {(11 - d) * 10}% least deprived areas in England"


def legend_title(meta: dict) -> str:
    """The colour legend's title, saying what the colour means in words."""
    if meta.get("value_type") == "decile":
        return "England decile<br>(1 = most deprived 10%,<br>10 = least deprived 10%)"
    unit = {"percentage": "%", "years": "years"}.get(str(meta.get("value_type")), str(meta.get("unit") or ""))
    name = str(meta.get("name"))
    direction = {
        "higher_is_better": "higher is better",
        "lower_is_better": "lower is better",
    }.get(str(meta.get("polarity")), "")
    suffix = f" ({unit})" if unit and unit not in name else ""
    extra = f"<br><i>{direction}</i>" if direction else ""
    return f"{wrap(name + suffix, 22)}{extra}"


def wrap(text: str, width: int) -> str:
    """Break a label into lines of about ``width`` characters with <br> (plotly titles)."""
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    if line:
        lines.append(line)
    return "<br>".join(lines)


SIGNIFICANCE_WORDS = {
    statistics.BETTER: "significantly better than {ref}",
    statistics.WORSE: "significantly worse than {ref}",
    statistics.HIGHER: "significantly higher than {ref}",
    statistics.LOWER: "significantly lower than {ref}",
    statistics.SIMILAR: "similar to {ref}",
    statistics.NOT_COMPARED: "not tested against {ref} (no confidence interval)",
    statistics.MISSING: "missing",
}


def significance_text(significance: str, *, reference: str = "England") -> str:
    return SIGNIFICANCE_WORDS.get(significance, significance).format(ref=reference)


def _fact(facts: pd.DataFrame, indicator_id: str) -> dict | None:
    rows = facts[facts["indicator_id"] == indicator_id]
    return None if rows.empty else rows.iloc[0].to_dict()


def format_fact(fact: Mapping[str, Any], key: str = "value") -> str:
    """One value of a fact (a row of facts) formatted by its own value type, unit and decimals."""
    return format_value(
        fact.get(key),
        value_type=str(fact.get("value_type")),
        unit=str(fact.get("unit") or ""),
        decimals=int(fact.get("decimals") or 0),
    )


def deprivation_rank_text(rank: int, n: int, *, place_name: str) -> str:
    """'it is the most deprived of the place's 16 wards' (rank 1 = highest IMD score)."""
    if rank == 1:
        return f"it is the most deprived of {place_name}'s {n} wards"
    if rank == n:
        return f"it is the least deprived of {place_name}'s {n} wards"
    return f"it is the {ordinal(rank)} most deprived of {place_name}'s {n} wards"


def build_ward_summary(*, ward_name: str, place_name: str, facts: pd.DataFrame) -> list[str]:
    """Plain-English sentences about a ward, generated from its facts (see selection.ward_facts)."""
    sentences: list[str] = []
    population = _fact(facts, POPULATION)
    if population and not is_missing(population["value"]):
        origin = str(population.get("vintage") or population.get("period") or "").replace(" (", ", ").replace(")", "")
        sentences.append(f"{ward_name} is home to about {format_fact(population)} people ({origin}).")

    decile = _fact(facts, IMD_DECILE)
    score = _fact(facts, IMD_SCORE)
    if decile and not is_missing(decile["value"]):
        text = (
            f"On the Index of Multiple Deprivation 2025, {ward_name} is {decile_phrase(decile['value'])} (England "
            f"decile {format_fact(decile)} of 10)"
        )
        if score and not is_missing(score.get("rank")):
            text += f"; {deprivation_rank_text(int(score['rank']), int(score['n_wards']), place_name=place_name)}"
        sentences.append(text + ".")
    elif score and not is_missing(score["value"]):
        sentences.append(
            f"{ward_name}'s IMD 2025 score is {format_fact(score)} "
            f"({rank_text(score['rank'], int(score['n_wards']))} in {place_name})."
        )

    most = _fact(facts, IMD_MOST_DEPRIVED)
    if most and not is_missing(most["value"]):
        share = float(most["value"])
        if share <= 0:
            sentences.append("None of its residents live in England's most deprived 10% of neighbourhoods.")
        else:
            sentences.append(
                f"{format_fact(most)} of its residents live in neighbourhoods that are in England's most deprived 10%."
            )

    for indicator_id in SUMMARY_HEALTH_INDICATORS:
        fact = _fact(facts, indicator_id)
        if fact:
            sentences.append(fact_sentence(fact, ward_name=ward_name, place_name=place_name))

    compared = facts[facts["significance"].isin([statistics.BETTER, statistics.WORSE, statistics.SIMILAR])]
    if len(compared):
        counts = compared["significance"].value_counts()
        sentences.append(
            f"Of {len(compared)} indicators tested against England, {int(counts.get(statistics.WORSE, 0))} "
            f"{'is' if int(counts.get(statistics.WORSE, 0)) == 1 else 'are'} significantly worse, "
            f"{int(counts.get(statistics.SIMILAR, 0))} similar and {int(counts.get(statistics.BETTER, 0))} "
            "significantly better."
        )
    missing = facts[facts["value"].isna()]
    if len(missing):
        sentences.append(f"{len(missing)} indicator(s) have no value for this ward; the tables below say why.")
    return sentences


def fact_sentence(fact: dict, *, ward_name: str, place_name: str) -> str:
    """One indicator in words: 'No qualifications: 35.0% (significantly worse than the district).'
    (``fact`` is a row of ``selection.ward_facts``; the ward summary and the ward brief use it.)"""
    name = str(fact["name"])
    if is_missing(fact["value"]):
        note = fact.get("value_note")
        reason = f": {note}" if isinstance(note, str) and note else ""
        return f"{name} is missing for {ward_name}{reason}."
    reference = {"place": place_name, "": "England"}.get(
        str(fact.get("compared_with") or ""), str(fact.get("compared_with"))
    )
    text = f"{name}: {format_fact(fact)}"
    ratio = fact.get("ratio_england")
    if not is_missing(ratio) and not is_missing(fact.get("england_value")):
        text += f", {float(ratio):.1f}x the England figure of {format_fact(fact, 'england_value')}"
    elif reference == place_name and not is_missing(fact.get("place_value")):
        text += f" against {place_name}'s {format_fact(fact, 'place_value')}"
    return text + f" ({significance_text(str(fact['significance']), reference=reference)})."


def top_needs(facts: pd.DataFrame, *, ward_name: str, place_name: str, limit: int = 4) -> list[str]:
    """The ward's biggest needs in words: the indicators significantly worse than their reference
    (England, else the place), furthest from it first, each as ``fact_sentence``. Empty when none."""
    worse = facts[facts["significance"] == statistics.WORSE].copy()
    if worse.empty:
        return []
    reference = worse["england_value"].where(worse["compared_with"] == "England", worse["place_value"])
    ratio = (worse["value"] / reference).where(reference.abs() > 0)
    # How many times worse than the reference, whichever way "worse" points for the indicator.
    worse["gap"] = ratio.where(worse["polarity"] != "higher_is_better", 1 / ratio)
    worse = worse.sort_values(["gap", "name"], ascending=[False, True], na_position="last").head(limit)
    return [fact_sentence(fact, ward_name=ward_name, place_name=place_name) for fact in worse.to_dict("records")]
