"""`{% sso_sign_ins as sign_ins %}`: the districts whose sign-in is on, for the sign-in page."""

from __future__ import annotations

from django import template

from microcred.rosters import selectors
from microcred.rosters.models import SingleSignOn

register = template.Library()


@register.simple_tag
def sso_sign_ins() -> list[SingleSignOn]:
    return selectors.sso_sign_ins()
