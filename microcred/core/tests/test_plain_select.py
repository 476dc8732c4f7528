"""PlainSelect writes the same select as Django's Select, with the choice kept and the
label escaped, without a template per option."""

from __future__ import annotations

from django import forms
from django.test.html import parse_html

from microcred.core.forms import PlainSelect

CHOICES = [("", "Every credential"), ("1", "Exit tickets"), ("2", "<b>Talk</b> & moves")]


def test_it_writes_what_djangos_select_writes():
    for value in ("2", None, ""):
        attrs = {"id": "id_credential", "aria-describedby": "id_credential_helptext"}
        plain = PlainSelect(choices=CHOICES).render("credential", value, attrs)
        django = forms.Select(choices=CHOICES).render("credential", value, attrs)
        assert parse_html(plain) == parse_html(django)
    assert '<option value="2" selected>&lt;b&gt;Talk&lt;/b&gt; &amp; moves</option>' in (
        PlainSelect(choices=CHOICES).render("credential", "2")
    )
