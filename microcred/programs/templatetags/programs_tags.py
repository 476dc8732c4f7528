"""Template filters of the programs app."""

from __future__ import annotations

from decimal import Decimal

from django import template

from microcred.programs.ledger import format_money

register = template.Library()


@register.filter
def money(value: Decimal | int | None, currency: str = "USD") -> str:
    """ "$1,200.00", "−$40.00"; empty for no amount."""
    if value is None or value == "":
        return ""
    return format_money(Decimal(value), currency)
