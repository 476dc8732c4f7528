"""Reads of the rosters app: a district's import history and one import's report."""

from __future__ import annotations

from collections import Counter
from typing import Any

from microcred.core.models import Organization, Role
from microcred.core.selectors import CappedPaginator
from microcred.rosters import services
from microcred.rosters.models import RosterImport

IMPORTS_PER_PAGE = 25
PROBLEMS_SHOWN = 500  # on the page; the CSV has every one


def imports_page(*, organization: Organization, page: str | int | None) -> dict[str, Any]:
    """The district's imports, newest first, a page at a time (the problems and summaries,
    which can be large, are not read for the list)."""
    rows = (
        RosterImport.objects.filter(organization=organization)
        .select_related("started_by")
        .defer("problems", "summary")
        .order_by("-created_at", "-pk")
    )
    return {"imports": CappedPaginator(rows, IMPORTS_PER_PAGE).get_page(page)}


def import_report(*, record: RosterImport) -> dict[str, Any]:
    """One import's page: its problems (the first PROBLEMS_SHOWN, and counts by file), what
    it would do or did, and its progress while it is being applied."""
    problems = record.problems
    by_file = Counter(
        (p.get("file") or "the package", p.get("severity", "error")) for p in problems
    )
    files = sorted({file for file, _ in by_file})
    role_map = services.role_map_of(record.organization)
    roles = record.summary.get("roles", {})
    role_rows = [
        {
            "role": services.ONEROSTER_ROLES.get(role, role),
            "people": counts[0],
            "new": counts[1],
            "becomes": Role(role_map[role]).label if role_map.get(role) else "",
        }
        for role, counts in sorted(roles.items(), key=lambda item: -item[1][0])
    ]
    done, total = services.progress_of(record)
    summary = record.summary
    named = [
        (
            f"{title} ({summary.get(count, 0):,})",
            summary[key],
            summary.get(count, 0) - len(summary[key]),
        )
        for title, key, count in (
            ("Added", "added", "people_added"),
            ("Changed", "changed", "people_changed"),
            ("Deactivated", "deactivated", "people_deactivated"),
        )
        if summary.get(key)
    ]
    return {
        "record": record,
        "organization": record.organization,
        "problems": problems[:PROBLEMS_SHOWN],
        "problems_hidden": max(0, len(problems) - PROBLEMS_SHOWN),
        "errors": sum(n for (_, severity), n in by_file.items() if severity == "error"),
        "warnings": sum(n for (_, severity), n in by_file.items() if severity != "error"),
        "by_file": [(file, by_file[(file, "error")], by_file[(file, "warning")]) for file in files],
        "role_rows": role_rows,
        "members_to_be": sum(counts[0] for counts in _mapped(record, role_map)),
        "new_members": sum(counts[1] for counts in _mapped(record, role_map)),
        "named": named,
        "progress": {"done": done, "total": total, "percent": 100 * done // total if total else 0},
    }


def _mapped(record: RosterImport, role_map: dict[str, str]) -> list[list[int]]:
    """The [people, new] counts of the role sets the role map gives a membership to."""
    sets = record.summary.get("role_sets", {})
    return [
        counts
        for held, counts in sets.items()
        if any(role_map.get(role) for role in held.split(",") if role)
    ]
