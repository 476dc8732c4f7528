"""The stack designer's form."""

from __future__ import annotations

from typing import Any

from django import forms

from microcred.catalog.models import Credential
from microcred.core.forms import PlainSelect
from microcred.core.models import Membership, Organization, Role, User
from microcred.programs.models import Stack


class StackForm(forms.Form):
    organization = forms.ModelChoiceField(
        label="Offered by",
        queryset=Organization.objects.none(),
        widget=PlainSelect,
        error_messages={
            "required": "Choose the organization that offers the stack.",
            "invalid_choice": "Choose one of the organizations listed.",
        },
    )
    title = forms.CharField(
        label="Title",
        max_length=160,
        error_messages={"required": "Give the stack a title."},
        help_text="What educators will see, e.g. “Teacher leader in literacy”.",
    )
    summary = forms.CharField(
        label="Summary", required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    credentials = forms.ModelMultipleChoiceField(
        label="Credentials in the stack",
        queryset=Credential.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choose the credentials in the stack: at least two.",
            "invalid_choice": "Choose among the credentials listed.",
            "invalid_pk_value": "Choose among the credentials listed.",
        },
    )
    rule = forms.ChoiceField(
        label="Completed by earning",
        choices=Stack.Rule.choices,
        widget=forms.RadioSelect,
        initial=Stack.Rule.ALL,
        error_messages={"required": "Choose how the stack is completed."},
    )
    choose = forms.IntegerField(
        label="How many",
        required=False,
        min_value=1,
        max_value=40,
        help_text="For “a number of them”: of all the credentials; for “the required ones and "
        "a number of the others”: of the others.",
        error_messages={
            "invalid": "Give the number as a whole number, e.g. 3.",
            "min_value": "Give a number from 1 up.",
            "max_value": "A stack holds at most 40 credentials.",
        },
    )
    required = forms.ModelMultipleChoiceField(
        label="Required credentials",
        required=False,
        queryset=Credential.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="For “the required ones and a number of the others” only.",
        error_messages={"invalid_choice": "Choose among the credentials listed."},
    )
    grants = forms.ChoiceField(
        label="Completing it grants",
        choices=Stack.Grant.choices,
        required=False,
        widget=PlainSelect,
    )
    grant_title = forms.CharField(
        label="Name of the endorsement or status", required=False, max_length=120
    )
    grant_months = forms.IntegerField(
        label="Valid for (months)",
        required=False,
        min_value=1,
        max_value=120,
        help_text="Empty: it does not expire.",
        error_messages={
            "invalid": "Give the months as a whole number, e.g. 12.",
            "min_value": "Give at least 1 month, or leave it empty.",
            "max_value": "At most 120 months (10 years).",
        },
    )

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organizations = Organization.objects.filter(
            pk__in=Membership.objects.filter(user=actor, role=Role.ADMIN).values("organization")
        ).order_by("name")
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]
        if not self.is_bound:
            self.initial.setdefault("organization", organizations.first())
        offered = Credential.objects.visible_to(actor).listed()
        for name in ("credentials", "required"):
            self.fields[name].queryset = offered  # type: ignore[attr-defined]
        self.offered = offered

    def credential_rows(self) -> list[dict[str, Any]]:
        """One row per credential offered (a state's installation offers hundreds): its id,
        title and owner, and whether it is chosen and required, as the template draws them
        (two checkboxes a row; the widgets' own templates cost ~0.2 ms a checkbox)."""
        chosen = {str(pk) for pk in self["credentials"].value() or ()}
        required = {str(pk) for pk in self["required"].value() or ()}
        rows = self.offered.order_by("current_version__title", "pk").values_list(
            "pk", "current_version__title", "organization__name"
        )
        return [
            {
                "pk": pk,
                "title": title,
                "owner": owner,
                "chosen": str(pk) in chosen,
                "required": str(pk) in required,
            }
            for pk, title, owner in rows
        ]

    def options(self) -> dict[str, Any]:
        """The valid form as `services.stack_create`'s arguments."""
        data = self.cleaned_data
        return {
            "organization": data["organization"],
            "title": data["title"],
            "summary": data["summary"],
            "rule": data["rule"],
            "choose": data["choose"],
            "credentials": list(data["credentials"]),
            "required": list(data["required"]),
            "grants": data["grants"] or "",
            "grant_title": data["grant_title"],
            "grant_months": data["grant_months"],
        }
