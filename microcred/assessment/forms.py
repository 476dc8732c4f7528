"""Forms of the assessment pages. Rules of content (levels, feedback, consistency with the
pass rule) live in services; the forms parse input and keep it when it is refused."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from microcred.assessment import selectors
from microcred.assessment.models import AssessorPool, Decision, Review
from microcred.assessment.selectors import ReviewScreen, SectionView
from microcred.assessment.services import PoolSettings
from microcred.catalog.models import Credential
from microcred.core.forms import PlainModelChoiceField, PlainSelect
from microcred.core.models import Organization, User

REASON = forms.Textarea(attrs={"rows": 3})


class ReviewForm(forms.Form):
    """One level (radio) and one feedback box per section of the hand-in, then the
    recommendation and a summary. Nothing is required here: a draft may be partial; the
    service says what a submitted review lacks, field by field."""

    all_optional = True  # no "(optional)" on every box: the service says what is missing

    recommendation = forms.ChoiceField(
        label="Your recommendation",
        choices=Review.Recommendation.choices,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose award or not yet."},
    )
    summary = forms.CharField(
        label="Summary for the educator",
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What went well, and what to do next. The educator reads this first.",
    )

    def __init__(self, *args: Any, sections: list[SectionView], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sections = sections
        for view in sections:
            pk = view.section.pk
            self.fields[f"level-{pk}"] = forms.TypedChoiceField(
                label=f"Level for “{view.section.name}”",
                choices=[(level.pk, level.name) for level in view.levels],
                coerce=int,
                required=False,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": "Choose one of the levels shown."},
            )
            self.fields[f"feedback-{pk}"] = forms.CharField(
                label=f"Feedback on “{view.section.name}”",
                required=False,
                max_length=10_000,
                widget=forms.Textarea(attrs={"rows": 4}),
            )

    @classmethod
    def for_screen(cls, screen: ReviewScreen) -> ReviewForm:
        """Unbound, showing the review as saved so far."""
        review = screen.review
        initial: dict[str, Any] = {
            "recommendation": review.recommendation,
            "summary": review.summary,
        }
        for view in screen.sections:
            if view.score is not None:
                initial[f"level-{view.section.pk}"] = view.score.level_id
                initial[f"feedback-{view.section.pk}"] = view.score.feedback
        return cls(initial=initial, sections=screen.sections)

    def review_data(self) -> dict[str, Any]:
        """The scores, recommendation and summary, as `review_save` takes them."""
        return {
            "scores": self.scores(),
            "recommendation": self.cleaned_data["recommendation"],
            "summary": self.cleaned_data["summary"],
        }

    def add_missing(self, fields: dict[str, str]) -> None:
        """What a submitted review lacks, next to each box (at the top for the rest)."""
        for name, message in fields.items():
            self.add_error(name if name in self.fields else None, message)

    def scores(self) -> dict[int, tuple[int | None, str]]:
        data = self.cleaned_data
        return {
            view.section.pk: (
                data.get(f"level-{view.section.pk}") or None,
                data.get(f"feedback-{view.section.pk}") or "",
            )
            for view in self.sections
        }

    def rows(self) -> list[dict[str, Any]]:
        """Each section with its bound fields, for the template."""
        return [
            {
                "view": view,
                "level": self[f"level-{view.section.pk}"],
                "feedback": self[f"feedback-{view.section.pk}"],
                "chosen": str(self[f"level-{view.section.pk}"].value() or ""),
            }
            for view in self.sections
        ]


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label="Why do you decline?",
        max_length=2000,
        widget=REASON,
        help_text="For example: I know this educator, or I cannot review it before the due date.",
        error_messages={
            "required": "Say why you decline, so the review can go to the right assessor."
        },
    )

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)
        # The page comes back with the error: the reason box, at the foot of a long page,
        # takes the focus (and so the scroll), where the message is.
        self.fields["reason"].widget.attrs["autofocus"] = True


class ReassignForm(forms.Form):
    assessor = forms.ModelChoiceField(
        label="Give it to",
        queryset=User.objects.none(),
        required=False,
        empty_label="The next eligible assessor in the pool",
        error_messages={"invalid_choice": "Choose one of the assessors listed."},
    )
    reason = forms.CharField(
        label="Reason",
        required=False,
        max_length=2000,
        widget=REASON,
        help_text="The assessor who had it reads this.",
    )

    def __init__(
        self, *args: Any, assessors: QuerySet[User], next_free: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assessor"]
        field.queryset = assessors  # type: ignore[attr-defined]
        field.label_from_instance = _assessor_label  # type: ignore[attr-defined]
        if not next_free:
            # Nobody in the pool can take it: say so instead of offering a choice that fails.
            field.required = True
            field.empty_label = "Choose an assessor"  # type: ignore[attr-defined]
            field.error_messages["required"] = (
                "Nobody in the pool is free for this hand-in; choose an assessor by name."
            )


def _assessor_label(user: User) -> str:
    """“Fay Foster — in the pool, 1 open review” (annotated by assignable_assessors)."""
    open_reviews = getattr(user, "open_reviews", 0)
    where = "in the pool" if getattr(user, "in_pool", False) else "not in the pool"
    return f"{user} — {where}, {open_reviews} open review{'' if open_reviews == 1 else 's'}"


class DecideForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Decision",
        choices=Decision.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose a decision: award, not yet, or reject.",
            "invalid_choice": "Choose award, not yet, or reject.",
        },
    )
    reason = forms.CharField(
        label="Reason for the educator",
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Required for “not yet” and “reject”.",
    )

    def terms(self) -> dict[str, Any]:
        """The outcome and the reason, as `submission_decide` takes them."""
        return {"outcome": self.cleaned_data["outcome"], "reason": self.cleaned_data["reason"]}


class AppealForm(forms.Form):
    reason = forms.CharField(
        label="Why do you appeal?",
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Point to the evidence the assessment missed. A different assessor will review your hand-in.",
        error_messages={
            "required": "Say why you appeal: what in the evidence the assessment missed."
        },
    )

    def __init__(self, *args: Any, decision: Decision | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.decision = decision

    def clean(self) -> dict[str, Any]:
        """The decision appealed, in `decision`; there must be one."""
        cleaned = super().clean() or {}
        if self.decision is None:
            raise forms.ValidationError("There is no decision to appeal yet.")
        cleaned["decision"] = self.decision
        return cleaned


class PoolForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=160,
        error_messages={"required": "Give the pool a name."},
    )
    turnaround_days = forms.IntegerField(
        label="Turnaround (days)",
        min_value=1,
        max_value=90,
        initial=14,
        help_text="How long an assessor has for a review.",
        error_messages={
            "required": "Say how many days an assessor has (1 to 90).",
            "invalid": "Enter a whole number of days.",
            "min_value": "The turnaround must be at least 1 day.",
            "max_value": "The turnaround can be 90 days at most.",
        },
    )
    double_scoring = forms.BooleanField(
        label="Double scoring: two assessors score each hand-in without seeing each other",
        required=False,
    )
    auto_decide = forms.BooleanField(
        label="Decide automatically when the reviews agree", required=False
    )
    max_resubmissions = forms.IntegerField(
        label="Resubmissions allowed",
        min_value=0,
        max_value=10,
        initial=2,
        error_messages={
            "required": "Say how many resubmissions are allowed (0 to 10).",
            "invalid": "Enter a whole number.",
            "min_value": "Enter 0 or more.",
            "max_value": "Allow 10 resubmissions at most.",
        },
    )
    resubmit_wait_days = forms.IntegerField(
        label="Waiting period before a resubmission (days)",
        min_value=0,
        max_value=365,
        initial=0,
        error_messages={
            "required": "Say how many days to wait (0 for none).",
            "invalid": "Enter a whole number of days.",
            "min_value": "Enter 0 or more days.",
            "max_value": "The waiting period can be 365 days at most.",
        },
    )

    SETTINGS = (
        "name",
        "turnaround_days",
        "double_scoring",
        "auto_decide",
        "max_resubmissions",
        "resubmit_wait_days",
    )

    @classmethod
    def for_pool(cls, pool: AssessorPool) -> PoolForm:
        """Unbound, showing the pool's settings."""
        return cls(initial={name: getattr(pool, name) for name in cls.SETTINGS})

    def settings(self) -> PoolSettings:
        return PoolSettings(**{name: self.cleaned_data[name] for name in self.SETTINGS})


class PoolCreateForm(PoolForm):
    organization = PlainModelChoiceField(
        label="Organization",
        queryset=Organization.objects.none(),
        error_messages={
            "required": "Choose the organization that runs this pool.",
            "invalid_choice": "Choose one of the organizations listed.",
        },
    )
    credential = forms.ModelChoiceField(
        label="Credential",
        queryset=Credential.objects.none(),
        required=False,
        widget=PlainSelect,
        empty_label="Every credential of the organization (general pool)",
        error_messages={"invalid_choice": "Choose one of the credentials listed."},
    )

    field_order = ["name", "organization", "credential"]

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        """A pool of one of the organizations `actor` runs, for one of their credentials;
        the first organization is chosen to begin with."""
        organizations = selectors.pool_organizations(actor=actor)
        kwargs.setdefault("initial", {"organization": organizations.first()})
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]
        self.fields["credential"].queryset = selectors.pool_credentials(actor=actor)  # type: ignore[attr-defined]
        self.fields["credential"].label_from_instance = lambda c: (  # type: ignore[attr-defined]
            c.current_version.title if c.current_version else c.slug
        )


class MemberAddForm(forms.Form):
    assessor = forms.ModelChoiceField(
        label="Add an assessor",
        queryset=User.objects.none(),
        empty_label="Choose an assessor…",
        error_messages={
            "required": "Choose the assessor to add.",
            "invalid_choice": "Choose one of the assessors listed.",
        },
    )

    def __init__(self, *args: Any, assessors: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assessor"].queryset = assessors  # type: ignore[attr-defined]


DEFAULT_THRESHOLD = 70.0


def parse_threshold(raw: str) -> tuple[float, str]:
    """The calibration report's agreement threshold (a percentage) from the query string,
    and what was wrong with it: a wrong one falls back to 70 % and the page says so."""
    if not raw:
        return DEFAULT_THRESHOLD, ""
    try:
        threshold = float(raw)
    except ValueError:
        return (
            DEFAULT_THRESHOLD,
            f"“{raw[:20]}” is not a number; showing the default threshold of 70 %.",
        )
    if not 0 <= threshold <= 100:
        return DEFAULT_THRESHOLD, "The threshold is a percentage from 0 to 100; showing 70 %."
    return threshold, ""


class MonthInput(forms.DateInput):
    input_type = "month"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m", attrs={"class": "input--short"})


class CalibrationFilterForm(forms.Form):
    """Which hand-ins the calibration report counts (the query string; every field may be
    empty): months the second review came in, and the educators' school or district."""

    all_optional = True  # filters: no "(optional)" on every label

    since = forms.DateField(
        label="From (month)",
        required=False,
        input_formats=["%Y-%m"],
        widget=MonthInput(),
        error_messages={"invalid": "Enter a month as year and month, e.g. 2026-09."},
    )
    until = forms.DateField(
        label="To (month)",
        required=False,
        input_formats=["%Y-%m"],
        widget=MonthInput(),
        error_messages={"invalid": "Enter a month as year and month, e.g. 2026-12."},
    )
    # Ids and names only: a state lists thousands of schools, and the one chosen is read
    # when the form is valid.
    school = forms.TypedChoiceField(
        label="Educators of",
        required=False,
        coerce=int,
        empty_value=None,
        widget=PlainSelect,
        error_messages={"invalid_choice": "Choose one of the schools or districts listed."},
    )

    def __init__(self, *args: Any, schools: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.schools = schools
        field = self.fields["school"]
        districts = list(
            schools.filter(kind=Organization.Kind.DISTRICT).values_list("pk", "name", "path")
        )
        if len(districts) <= 1:  # one district: all its schools
            field.choices = [("", "Every school"), *schools.values_list("pk", "name")]  # type: ignore[attr-defined]
            return
        # A state's report: its districts, then the schools of the one chosen (or of the
        # chosen school's district), not thousands of schools in one list.
        field.label = "Educators of (choose a district, then one of its schools)"
        choices: list[tuple[Any, str]] = [("", "Every district")]
        within = self._district_of(districts)
        for pk, name, path in districts:
            choices.append((pk, name))
            if path == within:
                choices += [
                    (school, f"{name} · {school_name}")
                    for school, school_name in schools.filter(
                        kind=Organization.Kind.SCHOOL, path__startswith=path
                    ).values_list("pk", "name")
                ]
        field.choices = choices  # type: ignore[attr-defined]

    def _district_of(self, districts: list[tuple[int, str, str]]) -> str | None:
        """The path of the district the query string chose, itself or through one of its
        schools; None when it chose none (or something not listed)."""
        try:
            chosen = int(self.data.get("school", ""))
        except ValueError:
            return None
        path = next((p for pk, _, p in districts if pk == chosen), None)
        if path is None:
            school = self.schools.filter(pk=chosen).values_list("path", flat=True).first()
            path = next((p for _, _, p in districts if school and school.startswith(p)), None)
        return path

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", "The last month comes after the first one.")
        return data

    def filter(self) -> selectors.CalibrationFilter:
        """What a valid form asks for; everything when it is not valid."""
        if not self.is_valid():
            return selectors.CalibrationFilter()
        school = self.cleaned_data["school"]
        return selectors.CalibrationFilter(
            since=self.cleaned_data["since"],
            until=self.cleaned_data["until"],
            school=self.schools.get(pk=school) if school is not None else None,
        )
