"""Template helpers for badge pages."""

from __future__ import annotations

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def narrative(text: str) -> SafeString:
    """A credential's plain-text narrative as HTML: paragraphs split on blank lines, and a
    paragraph whose lines all start with "- " as a list (the Markdown subset OB uses)."""
    blocks = []
    for block in str(text or "").split("\n\n"):
        lines = [line.strip() for line in block.strip().splitlines() if line.strip()]
        if not lines:
            continue
        if all(line.startswith("- ") for line in lines):
            items = format_html_join("", "<li>{}</li>", ((line[2:],) for line in lines))
            blocks.append(format_html("<ul>{}</ul>", items))
        else:
            blocks.append(format_html("<p>{}</p>", " ".join(lines)))
    return mark_safe("".join(blocks))  # noqa: S308 - every piece was escaped by format_html
