"""What the mirror did not hold for the place, in words (from the build stamp's ``not_held`` list)."""

from __future__ import annotations

LOSES_INDICATORS = ("not available", "not shown", "not held")


def not_held(build: dict) -> list[dict]:
    """The build stamp's list of sources not held for the place (empty for a build that lacked nothing)."""
    return [e for e in build.get("not_held", []) or [] if isinstance(e, dict) and e.get("title")]


def not_held_lines(build: dict, place_name: str) -> list[str]:
    """One sentence per dataset not held: 'Not held for Burnley: <title>; <what that means>.'"""
    lines = []
    for entry in not_held(build):
        note = str(entry.get("note") or "").strip().rstrip(".")
        lines.append(f"Not held for {place_name}: {entry['title']}" + (f"; {note}." if note else "."))
    return lines


def gaps_summary(build: dict, place_name: str) -> str:
    """A short line for pages where indicators would appear ('' when nothing is missing)."""
    # Only the gaps that take indicators away (a lookup replaced by another method is not a gap on a page).
    losing = [e for e in not_held(build) if any(w in str(e.get("note", "")) for w in LOSES_INDICATORS)]
    titles = [e["title"].split(",")[0].split(" (")[0] for e in losing]
    if not titles:
        return ""
    return (
        f"Some data are not held for {place_name} ({'; '.join(titles)}), so some indicators are not shown here; "
        "the Data and sources page lists what is missing and how the ward figures were made instead."
    )
