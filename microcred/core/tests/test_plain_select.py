"""PlainSelect writes the same select as Django's Select, with the choice kept and the
label escaped, without a template per option."""

from __future__ import annotations

import pytest
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


@pytest.mark.django_db
def test_a_plain_model_choice_field_lists_names_in_one_query_and_cleans_to_the_row(
    world, django_assert_num_queries
):
    from microcred.core.forms import PlainModelChoiceField
    from microcred.core.models import Organization

    class Choose(forms.Form):
        school = PlainModelChoiceField(
            queryset=Organization.objects.filter(kind="school").order_by("name"),
            error_messages={"invalid_choice": "Choose one of the schools listed."},
        )

    maple = world.north.school
    with django_assert_num_queries(1):  # the (pk, name) pairs: no rows read as models
        html = str(Choose(initial={"school": maple})["school"])
    assert f'<option value="{maple.pk}" selected>{maple.name}</option>' in html
    pairs = list(Choose().fields["school"].choices)[1:]
    assert all(type(pk) is int and type(name) is str for pk, name in pairs)  # not models
    chosen = Choose(data={"school": str(maple.pk)})
    assert chosen.is_valid() and chosen.cleaned_data["school"] == maple
    district = Choose(data={"school": str(world.north.organization.pk)})
    assert not district.is_valid()
    assert district.errors["school"] == ["Choose one of the schools listed."]
