"""Forms of licensure credit: a renewal rule (the program admin's), and the day an
educator's own renewal cycle began (hers)."""

from __future__ import annotations

from typing import Any

from django import forms

from microcred.core.forms import PlainModelChoiceField
from microcred.core.models import Membership, Organization, Role, User
from microcred.programs.licensure import MAX_CYCLE_YEARS, RULE_KINDS, RuleInput
from microcred.programs.models import RenewalRule

DATE_HELP = "Give the date as YYYY-MM-DD, e.g. 2025-07-01."


class RenewalRuleForm(forms.Form):
    organization = PlainModelChoiceField(
        label="Set by",
        queryset=Organization.objects.none(),
        empty_label=None,
        help_text="Its educators, and those of the organizations under it, see their progress.",
        error_messages={
            "required": "Choose the state or district that sets the rule.",
            "invalid_choice": "Choose one of the organizations listed.",
        },
    )
    name = forms.CharField(
        label="Name",
        max_length=120,
        help_text="What educators see, e.g. “Standard license renewal”.",
        error_messages={
            "required": "Name the rule, e.g. “Standard license renewal”.",
            "max_length": "Keep the name under 120 characters.",
        },
    )
    required = forms.DecimalField(
        label="Required in each cycle",
        max_digits=7,
        decimal_places=2,
        help_text="How many credit hours (or CEUs) an educator earns in one cycle, e.g. 90.",
        error_messages={
            "required": "Give how many hours (or CEUs) a cycle requires, e.g. 90.",
            "invalid": "Give the number as digits, e.g. 90 or 7.5.",
            "max_digits": "Give at most 1000 hours.",
            "max_decimal_places": "Give at most two decimals, e.g. 7.25.",
            "max_whole_digits": "Give at most 1000 hours.",
        },
    )
    unit = forms.ChoiceField(
        label="Counted in",
        choices=RenewalRule.Unit.choices,
        widget=forms.RadioSelect,
        initial=RenewalRule.Unit.HOURS,
        error_messages={
            "required": "Choose credit hours or CEUs.",
            "invalid_choice": "Choose credit hours or CEUs.",
        },
    )
    cycle_years = forms.IntegerField(
        label="Cycle length (years)",
        min_value=1,
        max_value=MAX_CYCLE_YEARS,
        help_text="How long one renewal cycle lasts, e.g. 5.",
        error_messages={
            "required": "Give how many years a cycle lasts, e.g. 5.",
            "invalid": "Give the years as a whole number, e.g. 5.",
            "min_value": "A cycle lasts at least 1 year.",
            "max_value": f"A cycle lasts at most {MAX_CYCLE_YEARS} years.",
        },
    )
    cycles_start_on = forms.DateField(
        label="A cycle begins on",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Cycles follow one another from this date (e.g. 1 July 2025). An educator "
        "whose license cycle began on another day gives her own date on her credit page.",
        error_messages={"required": "Give the date a cycle begins.", "invalid": DATE_HELP},
    )
    description = forms.CharField(
        label="Notes for educators",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "Keep the notes under 2000 characters."},
    )
    active = forms.BooleanField(
        label="In force: educators see their progress toward it",
        required=False,
        initial=True,
    )

    def __init__(self, *args: Any, actor: User, rule: RenewalRule | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.rule = rule
        if rule is not None:
            # A rule stays with the organization that set it.
            del self.fields["organization"]
            return
        organizations = Organization.objects.filter(
            pk__in=Membership.objects.filter(user=actor, role=Role.ADMIN).values("organization"),
            kind__in=RULE_KINDS,
        ).order_by("path")
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]
        if not self.is_bound:
            self.initial.setdefault("organization", organizations.first())

    @classmethod
    def initial_of(cls, rule: RenewalRule) -> dict[str, Any]:
        return {
            "name": rule.name,
            "required": rule.required.normalize(),
            "unit": rule.unit,
            "cycle_years": rule.cycle_years,
            "cycles_start_on": rule.cycles_start_on,
            "description": rule.description,
            "active": rule.active,
        }

    def rule_input(self) -> RuleInput:
        data = self.cleaned_data
        return RuleInput(
            name=data["name"],
            required=data["required"],
            unit=data["unit"],
            cycle_years=data["cycle_years"],
            cycles_start_on=data["cycles_start_on"],
            description=data["description"],
            active=data["active"],
        )

    def chosen_organization(self) -> Organization:
        if self.rule is not None:
            return self.rule.organization
        return self.cleaned_data["organization"]


class CycleStartForm(forms.Form):
    """The day her own cycle under one rule began; empty: the rule's cycles."""

    starts_on = forms.DateField(
        label="My current cycle began on",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="The date on your license. Leave it empty to follow the rule's cycles.",
        error_messages={"invalid": DATE_HELP},
    )

    def __init__(self, *args: Any, rule_pk: int, **kwargs: Any) -> None:
        # One form per rule on the page: the prefix keeps their ids apart.
        kwargs["prefix"] = f"rule-{rule_pk}"
        super().__init__(*args, **kwargs)
