"""The stack designer's form."""

from __future__ import annotations

from typing import Any

from django import forms

from microcred.catalog.models import Credential
from microcred.core import tenancy
from microcred.core.forms import PlainModelChoiceField, PlainSelect
from microcred.core.models import Membership, Organization, Role, User
from microcred.programs.models import ProgramTerms, Stack, StackAgreement


class StackForm(forms.Form):
    organization = PlainModelChoiceField(
        label="Offered by",
        queryset=Organization.objects.none(),
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


class AgreementForm(forms.Form):
    """The educator's proposal of her personal stack: the credentials, her goal, a date."""

    credentials = forms.ModelMultipleChoiceField(
        label="Credentials you will earn",
        queryset=Credential.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choose the credentials you will earn.",
            "invalid_choice": "Choose among this stack's credentials.",
            "invalid_pk_value": "Choose among this stack's credentials.",
        },
    )
    growth_goal = forms.CharField(
        label="Your growth goal",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What you want to be able to do, for your students, once you have earned them.",
        error_messages={
            "required": "Write your growth goal: what you want to be able to do once you have "
            "earned them.",
            "max_length": "Keep the growth goal under 2000 characters.",
        },
    )
    target_date = forms.DateField(
        label="Target date",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="When you expect to have earned them all.",
        error_messages={
            "required": "Choose a target date.",
            "invalid": "Give the date as YYYY-MM-DD, e.g. 2027-06-15.",
        },
    )

    def __init__(self, *args: Any, stack: Stack, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.stack = stack
        pool = [part.credential_id for part in stack.parts]
        self.fields["credentials"].queryset = Credential.objects.filter(  # type: ignore[attr-defined]
            pk__in=pool
        )
        self.fields["credentials"].help_text = f"Choose {stack.choose} of the {len(pool)}."

    def proposal(self) -> dict[str, Any]:
        """The valid form as `services.agreement_propose`'s arguments."""
        data = self.cleaned_data
        return {
            "credentials": list(data["credentials"]),
            "growth_goal": data["growth_goal"],
            "target_date": data["target_date"],
        }

    def credential_rows(self) -> list[dict[str, Any]]:
        """One row per credential of the stack, in its order, and whether it is chosen."""
        chosen = {str(pk) for pk in self["credentials"].value() or ()}
        return [
            {
                "pk": part.credential_id,
                "title": part.credential.current_version.title
                if part.credential.current_version
                else part.credential.slug,
                "slug": part.credential.slug,
                "hours": part.credential.current_version.credit_hours
                if part.credential.current_version
                else None,
                "chosen": str(part.credential_id) in chosen,
            }
            for part in self.stack.parts
        ]


class DecisionForm(forms.Form):
    """The school leader's decision on the proposal waiting."""

    number = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[
            ("approved", "Approve it"),
            ("changes_requested", "Ask for changes"),
            ("declined", "Decline it"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose approve, ask for changes or decline."},
    )
    comment = forms.CharField(
        label="Comment for the educator",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Required when you ask for changes or decline.",
        error_messages={"max_length": "Keep the comment under 4000 characters."},
    )

    def arguments(self, agreement: StackAgreement) -> dict[str, Any]:
        """The valid form as `services.agreement_decide`'s arguments."""
        data = self.cleaned_data
        return {
            "agreement": agreement,
            "number": data["number"],
            "decision": data["decision"],
            "comment": data["comment"],
        }


# ----------------------------------------------------------------------------- ledger

AMOUNT_ERRORS = {
    "invalid": "Give an amount, e.g. 200.00.",
    "max_digits": "Give an amount under 100,000.00.",
    "max_whole_digits": "Give an amount under 100,000.00.",
    "max_decimal_places": "Give cents as two digits at most, e.g. 40.50.",
    "min_value": "An amount cannot be negative.",
}


def _amount(label: str, *, required: bool = False, help_text: str = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=0,
        max_digits=7,
        decimal_places=2,
        help_text=help_text,
        error_messages={**AMOUNT_ERRORS, "required": f"Give {label.lower()}, e.g. 200.00."},
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )


class TermsForm(forms.Form):
    currency = forms.ChoiceField(
        label="Currency",
        choices=[(c, c) for c in ("USD", "CAD", "EUR", "GBP", "AUD")],
        widget=PlainSelect,
    )
    assessment_fee = _amount(
        "Assessment fee", help_text="Per attempt, at its first hand-in; a resubmission is free."
    )
    fee_payer = forms.ChoiceField(
        label="Who pays the fee",
        choices=ProgramTerms.Payer.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who pays the assessment fee."},
    )
    credential_stipend = _amount(
        "Stipend per earned credential", help_text="Paid to the educator once per award."
    )

    def arguments(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class BudgetForm(forms.Form):
    school = PlainModelChoiceField(
        label="School",
        queryset=Organization.objects.none(),
        error_messages={
            "required": "Choose a school.",
            "invalid_choice": "Choose one of the schools listed.",
        },
    )
    year = forms.IntegerField(
        label="Year",
        min_value=2000,
        max_value=2100,
        error_messages={
            "required": "Give the year, e.g. 2027.",
            "invalid": "Give the year as four digits, e.g. 2027.",
            "min_value": "Give the year as four digits, e.g. 2027.",
            "max_value": "Give the year as four digits, e.g. 2027.",
        },
    )
    amount = _amount("Budget", required=True)

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = Organization.objects.filter(  # type: ignore[attr-defined]
            path__startswith=organization.path, kind=Organization.Kind.SCHOOL
        ).order_by("name")

    def arguments(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class StipendsForm(forms.Form):
    on_completion = _amount("Stipend on completing the stack")
    per_year = _amount(
        "Stipend per year of the status", help_text="Paid each year the status stands."
    )

    def arguments(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class WaiverForm(forms.Form):
    email = forms.EmailField(
        label="Educator's email",
        error_messages={
            "required": "Give the educator's email.",
            "invalid": "Give an email address, e.g. ana@riverbend.example.",
        },
    )
    reason = forms.CharField(
        label="Reason",
        max_length=300,
        error_messages={"required": "Say why the fee is waived: it shows on the ledger."},
    )


class RecommendForm(forms.Form):
    credential = PlainModelChoiceField(
        label="Credential",
        queryset=Credential.objects.none(),
        label_field="current_version__title",  # listed: each has a current version
        error_messages={
            "required": "Choose the credential to recommend.",
            "invalid_choice": "Choose one of the credentials listed.",
        },
    )
    kind = forms.ChoiceField(
        label="Recommend or assign",
        choices=[("recommended", "Recommend it"), ("assigned", "Assign it")],
        widget=forms.RadioSelect,
        initial="recommended",
        help_text="A recommendation can be dismissed; an assignment stays until it is earned.",
        error_messages={"required": "Choose recommend or assign."},
    )
    target = forms.ChoiceField(
        label="To",
        choices=[
            ("person", "One educator"),
            ("school", "Every educator of a school"),
            ("group", "A group (emails)"),
        ],
        widget=forms.RadioSelect,
        initial="person",
        error_messages={"required": "Choose one person, a school or a group."},
    )
    email = forms.EmailField(
        label="Educator's email",
        required=False,
        error_messages={"invalid": "Give an email address, e.g. ana@riverbend.example."},
    )
    school = PlainModelChoiceField(
        label="School",
        required=False,
        queryset=Organization.objects.none(),
        error_messages={"invalid_choice": "Choose one of the schools listed."},
    )
    emails = forms.CharField(
        label="Emails of the group",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One per line, or separated by commas.",
        max_length=100_000,
    )
    reason = forms.CharField(
        label="Why",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The educator reads this on her home page and in the email.",
        error_messages={"required": "Say why: the educator reads this reason."},
    )
    due_on = forms.DateField(
        label="To earn by",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Give the date as YYYY-MM-DD, e.g. 2027-06-15."},
    )

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["credential"].queryset = (  # type: ignore[attr-defined]
            Credential.objects.visible_to(actor).listed().order_by("current_version__title", "pk")
        )
        self.fields["school"].queryset = (  # type: ignore[attr-defined]
            Organization.objects.filter(tenancy.within(actor, "programs.recommend", field=""))
            .filter(kind__in=(Organization.Kind.SCHOOL, Organization.Kind.DEPARTMENT))
            .order_by("name")
        )

    def arguments(self) -> dict[str, Any]:
        return dict(self.cleaned_data)
