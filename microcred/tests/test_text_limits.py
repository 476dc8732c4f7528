"""Every long text a person types has a limit the server keeps: over it, the form says how
long the text is and what the limit is, keeps what was typed and saves nothing. The live
counter (microcred.js) is checked in the browser tests."""

from __future__ import annotations

import importlib
import inspect

import pytest
from django import forms

from microcred.catalog.tests.factories import draft_credential

FORM_MODULES = [
    "microcred.core.forms",
    "microcred.catalog.forms",
    "microcred.earning.forms",
    "microcred.assessment.forms",
    "microcred.badges.forms",
]


def textarea_fields() -> list[tuple[str, str, forms.Field]]:
    found = []
    for module_name in FORM_MODULES:
        module = importlib.import_module(module_name)
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if not issubclass(cls, forms.Form) or cls.__module__ != module_name:
                continue
            for field_name, field in cls.base_fields.items():
                if isinstance(field.widget, forms.Textarea):
                    found.append((f"{name}.{field_name}", module_name, field))
    return found


def test_every_long_text_field_of_every_form_has_a_length_limit():
    fields = textarea_fields()
    assert len(fields) > 20  # the forms were found
    unlimited = [name for name, _, field in fields if getattr(field, "max_length", None) is None]
    assert unlimited == []
    # The limit reaches the page, where microcred.js turns it into a counter.
    for name, _, field in fields:
        assert field.widget.attrs.get("maxlength") == str(field.max_length), name


@pytest.fixture
def draft(designer_dan, north):
    return draft_credential(designer_dan, north, complete=True)


def test_a_key_method_over_its_limit_is_refused_with_the_lengths_and_kept(
    client, designer_dan, draft
):
    client.force_login(designer_dan)
    typed = "Exit tickets every day. " + "x" * 5000
    data = {
        "title": "Exit tickets",
        "summary": "Kept summary",
        "competency": "c",
        "key_method": typed,
        "subject": "math",
        "grade_band": "3-5",
        "estimated_hours": "10",
        "credit_hours": "1",
        "then": "stay",
    }
    response = client.post(f"/studio/{draft.pk}/edit/basics/", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert f"Ensure this value has at most 5000 characters (it has {len(typed)})." in html
    assert typed in html  # what was typed comes back in the field
    assert "Kept summary" in html
    assert draft.versions.get().key_method != typed


def test_an_evidence_description_over_its_limit_is_refused_and_kept(client, designer_dan, draft):
    client.force_login(designer_dan)
    typed = "Video of the lesson. " * 120  # 2,520 characters; the limit is 2,000
    data = {
        "evidence-count": "1",
        "evidence-0-title": "Video",
        "evidence-0-kind": "video",
        "evidence-0-min_count": "1",
        "evidence-0-max_count": "1",
        "evidence-0-description": typed,
        "then": "stay",
    }
    response = client.post(f"/studio/{draft.pk}/edit/evidence/", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert f"Ensure this value has at most 2000 characters (it has {len(typed.strip())})." in html
    assert typed.strip() in html
    assert draft.versions.get().evidence_requirements.get().title == "Sorted exit tickets"
