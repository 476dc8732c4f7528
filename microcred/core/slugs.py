"""Addresses made from names: a slug no row of a model has yet."""

from __future__ import annotations

from collections.abc import Collection

from django.db.models import QuerySet
from django.utils.text import slugify


def unique_slug(
    taken: QuerySet, text: str, *, length: int, fallback: str, reserved: Collection[str] = ()
) -> str:
    """`text` as a slug of at most `length` characters that no row of `taken` has (its
    `slug` field), numbered "-2", "-3"… when it is; `fallback` when the text has no letters;
    a `reserved` word (another page's address) is never given as it is."""
    base = slugify(text)[:length] or fallback
    if base in reserved:
        base = f"{base}-{fallback}"
    slug, n = base, 2
    while taken.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug
