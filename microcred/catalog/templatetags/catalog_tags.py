"""Presentation helpers for credential pages."""

from __future__ import annotations

from typing import Any, cast

from django import forms, template
from django.forms import BoundField
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from microcred.catalog.models import CredentialVersion

register = template.Library()


@register.simple_tag
def select_options(field: BoundField) -> str:
    """<option> elements for a bound choice field, the current value selected."""
    value = "" if field.value() is None else str(field.value())
    choices = cast(list[tuple[str, str]], cast(forms.ChoiceField, field.field).choices)
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (choice, mark_safe(" selected") if str(choice) == value else "", label)
            for choice, label in choices
        ),
    )


@register.simple_tag
def rubric_table(version: CredentialVersion) -> dict[str, Any]:
    """Rows of the rubric with each level marked passing or not, and the shared level
    names for the header when every section uses the same scale."""
    rows: list[dict[str, Any]] = []
    scales: set[tuple[str, ...]] = set()
    for section in version.sections.all():
        levels = list(section.levels.all())
        passing_position = next(
            (lv.position for lv in levels if lv.pk == section.passing_level_id), None
        )
        scales.add(tuple(lv.name for lv in levels))
        rows.append(
            {
                "section": section,
                "targets": list(section.targets.all()),
                "evidence": list(section.evidence.all()),  # none: judged on all of it
                "cells": [
                    {
                        "level": lv,
                        "passing": passing_position is not None and lv.position >= passing_position,
                        "is_threshold": lv.position == passing_position,
                    }
                    for lv in levels
                ],
            }
        )
    shared = list(next(iter(scales))) if len(scales) == 1 else None
    width = max((len(r["cells"]) for r in rows), default=0)
    for row in rows:
        row["padding"] = range(width - len(row["cells"]))
    return {"rows": rows, "shared_levels": shared, "width": width}


@register.simple_tag
def prerequisite_marker(credential_id: int) -> str:
    """Where a credential page keeps the reader's mark beside a prerequisite: the page view
    puts earning's mark there (views.public), after the shared body comes from the cache."""
    return mark_safe(f"<!--prerequisite-mark:{int(credential_id)}-->")  # noqa: S308 - a number
