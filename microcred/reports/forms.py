"""The dashboard's filters: a school (among the viewer's), a credential, and the days."""

from __future__ import annotations

import datetime
from typing import Any, cast

from django import forms
from django.http import QueryDict

from microcred.core.models import Organization
from microcred.reports.selectors import MAX_MONTHS, Choices, Period, Place, default_period


class DateInput(forms.DateInput):
    input_type = "date"


class DashboardFilters(forms.Form):
    """Always bound: what the address gives, the last twelve months where it gives no days,
    so the page shows the days it counted and a refused value stays where it was typed."""

    all_optional = True  # no "(optional)" beside every filter

    school = forms.TypedChoiceField(
        label="School",
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={
            "invalid_choice": "That is not one of your schools: choose one from the list."
        },
    )
    credential = forms.TypedChoiceField(
        label="Credential",
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={
            "invalid_choice": "That credential is not one your educators can earn: choose one "
            "from the list."
        },
    )
    start = forms.DateField(
        label="From",
        required=False,
        widget=DateInput(format="%Y-%m-%d"),
        error_messages={"invalid": "Enter the first day as a date, e.g. 2026-01-31."},
    )
    end = forms.DateField(
        label="To",
        required=False,
        widget=DateInput(format="%Y-%m-%d"),
        error_messages={"invalid": "Enter the last day as a date, e.g. 2026-12-31."},
    )

    def __init__(
        self, query: QueryDict, *, choices: Choices, today: datetime.date, **kwargs: Any
    ) -> None:
        default = default_period(today)
        data = query.copy()
        for name, day in (("start", default.start), ("end", default.end)):
            if not data.get(name, "").strip():
                data[name] = day.isoformat()
        first = choices.first_district if choices.whole_is_a_state else None
        if first is not None and not data.get("school", "").strip():
            # A whole state is not rolled up per request: its first district, until another
            # is chosen (ADR 0020).
            data["school"] = str(first.pk)
        super().__init__(data, **kwargs)
        self.choices = choices
        self.today = today
        cast(forms.ChoiceField, self.fields["school"]).choices = _school_choices(choices)
        cast(forms.ChoiceField, self.fields["credential"]).choices = [
            ("", "Every credential"),
            *((str(pk), title) for pk, title in choices.credentials),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        latest = self.today.replace(month=12, day=31) + datetime.timedelta(days=366)
        if end and end > latest:
            self.add_error("end", f"Choose a last day up to {latest:%B %-d, %Y}.")
        elif start and end and start > end:
            self.add_error(
                "start",
                f"The first day is after the last: choose one on or before {end:%B %-d, %Y}.",
            )
        elif start and end and len(Period(start, end).months()) > MAX_MONTHS:
            self.add_error(
                "start", f"Choose at most {MAX_MONTHS // 12} years at a time: a later first day."
            )
        return data

    def period(self) -> Period:
        return Period(self.cleaned_data["start"], self.cleaned_data["end"])

    def place(self) -> Place | None:
        pk = self.cleaned_data.get("school")
        return self.choices.place(pk) if pk else None

    def credential_id(self) -> int | None:
        pk: int | None = self.cleaned_data.get("credential")
        return pk

    def query(self) -> str:
        """The filters as an address's query (for the CSV link)."""
        return self.data.urlencode() if isinstance(self.data, QueryDict) else ""


def _school_choices(choices: Choices) -> list[Any]:
    """ "All of …", then the districts (for a state), then each district's schools."""
    found: list[Any] = [] if choices.whole_is_a_state else [("", f"All of {choices.label}")]
    districts = [p for p in choices.places if p.kind == Organization.Kind.DISTRICT]
    if districts:
        found.append(("Districts", [(str(p.pk), p.name) for p in districts]))
    groups: dict[str, list[tuple[str, str]]] = {}
    for place in choices.places:
        if place.kind != Organization.Kind.DISTRICT:
            groups.setdefault(place.group or choices.label, []).append((str(place.pk), place.name))
    if len(groups) == 1 and not districts:
        found.extend(next(iter(groups.values())))
    else:
        found.extend((group, places) for group, places in groups.items())
    return found
