"""Forms of the design studio and the catalog's filters.

The six parts are edited on their own pages; repeated items (targets, sections
and their levels, resources, prompts, evidence requirements) are lists of small
forms managed by `microcred.core.listedit`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast
from urllib.parse import urlencode

from django import forms

from microcred.catalog import rules, selectors, services
from microcred.catalog.models import (
    QUALITY_CHECKLIST,
    Audience,
    Credential,
    CredentialVersion,
    EvidenceKind,
    GradeBand,
    QualityPart,
    Resource,
    Subject,
)
from microcred.core.listedit import ListSpec, Node
from microcred.core.models import Organization

TEXTAREA_SMALL = {"rows": 2}
TEXTAREA = {"rows": 4}


def _required(message: str) -> dict[str, str]:
    return {"required": message}


def mark_review_required(form: forms.Form, names: tuple[str, ...]) -> None:
    """Label these fields "required to send for review" (see django/forms/field.html)."""
    for name in names:
        form.fields[name].review_required = True  # type: ignore[attr-defined]


# ----------------------------------------------------------------------------- catalog


class CatalogFilterForm(forms.Form):
    all_optional = True  # every filter is optional; the labels need not say so
    q = forms.CharField(
        label="Search",
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": "Title, competency or standard"}
        ),
    )
    audience = forms.ChoiceField(label="Audience", required=False)
    subject = forms.ChoiceField(
        label="Subject", required=False, choices=[("", "Any subject"), *Subject.choices]
    )
    grade_band = forms.ChoiceField(
        label="Grade band", required=False, choices=[("", "Any grade band"), *GradeBand.choices]
    )
    organization = forms.ChoiceField(label="Offered by", required=False)

    def __init__(self, *args: Any, facets: dict[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if facets is None:
            facets = selectors.catalog_facets()
        cast(forms.ChoiceField, self.fields["audience"]).choices = [
            ("", "Anyone"),
            *facets["audiences"],
        ]
        cast(forms.ChoiceField, self.fields["organization"]).choices = [
            ("", "Any organization"),
            *facets["organizations"],
        ]

    def filters(self) -> selectors.CatalogFilters:
        """The filters chosen; none at all when one of them is not a known value."""
        if not self.is_valid():
            return selectors.CatalogFilters()
        return selectors.CatalogFilters(**{k: v or "" for k, v in self.cleaned_data.items()})

    def query_string(self) -> str:
        """The filters chosen, for the links to other pages of the results."""
        chosen = {k: v for k, v in self.cleaned_data.items() if v} if self.is_valid() else {}
        return urlencode(chosen)


# ----------------------------------------------------------------------------- studio: create


class CredentialCreateForm(forms.Form):
    """A new credential: its fields are services.credential_create's arguments."""

    title = forms.CharField(
        label="Title",
        max_length=160,
        help_text="Name the skill, the way an educator would search for it, e.g. “Checking for understanding with exit tickets”.",
        error_messages=_required("Give the credential a title."),
    )
    organization = forms.ModelChoiceField(
        label="Owned by",
        queryset=Organization.objects.none(),
        empty_label=None,
        help_text="The organization that issues it and whose review board approves it.",
    )
    visibility = forms.ChoiceField(
        label="Who can find it",
        choices=Credential.Visibility.choices,
        initial=Credential.Visibility.PUBLIC,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, organizations: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"organization": organizations.first()})
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]


class VisibilityForm(forms.Form):
    visibility = forms.ChoiceField(
        label="Who can find it", choices=Credential.Visibility.choices, widget=forms.RadioSelect
    )


class RetireForm(forms.Form):
    reason = forms.CharField(
        label="Why is it retired?",
        max_length=2000,
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text="Educators who started or earned it read this. Say what replaces it, if anything.",
        error_messages=_required("Say why the credential is retired."),
    )


# ----------------------------------------------------------------------------- studio: basics


class CredentialIdsField(forms.TypedMultipleChoiceField):
    """Credentials ticked in a list, by id. Whether each may be chosen is the service's to
    say, with the reason (another organization's internal credential, a loop, ...), so any
    id passes here; only something that is not an id is refused."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("coerce", int)
        kwargs.setdefault("error_messages", {"invalid_choice": "Choose credentials from the list."})
        super().__init__(**kwargs)

    def valid_value(self, value: Any) -> bool:
        return True


class BasicsForm(forms.Form):
    title = forms.CharField(
        label="Title", max_length=160, error_messages=_required("Give the credential a title.")
    )
    summary = forms.CharField(
        label="Summary",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 600}),
        max_length=600,
        help_text="Two or three sentences an educator reads in the catalog before opening the credential.",
    )
    competency = forms.CharField(
        label="Competency",
        required=False,
        max_length=200,
        help_text="The one skill the credential certifies, e.g. “Uses formative assessment data to adjust instruction”.",
    )
    key_method = forms.CharField(
        label="Key method",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text="The research-backed practice the educator uses to show the competency.",
    )
    audiences = forms.ModelMultipleChoiceField(
        label="Who it is for",
        queryset=Audience.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    subject = forms.ChoiceField(label="Subject", choices=Subject.choices)
    grade_band = forms.ChoiceField(label="Grade band", choices=GradeBand.choices)
    estimated_hours = forms.DecimalField(
        label="Estimated hours",
        required=False,
        min_value=Decimal("0.5"),
        max_value=Decimal("500"),
        decimal_places=1,
        help_text="Study, classroom work and writing together.",
        error_messages={
            "min_value": "Estimate at least half an hour (0.5).",
            "max_value": "Estimate at most 500 hours; a longer credential is better split in two.",
            "max_decimal_places": "Round to a tenth of an hour, e.g. 2.5.",
            "invalid": "Enter the hours as a number, e.g. 12 or 2.5.",
        },
    )
    credit_hours = forms.DecimalField(
        label="Credit hours",
        required=False,
        min_value=Decimal("0"),
        max_value=Decimal("200"),
        decimal_places=2,
        help_text="Hours of professional-learning credit it is worth, if any.",
        error_messages={
            "min_value": "Credit hours cannot be negative; leave it empty or enter 0 for none.",
            "max_value": "Enter at most 200 credit hours.",
            "max_decimal_places": "Round to a hundredth of an hour, e.g. 1.25.",
            "invalid": "Enter the credit hours as a number, e.g. 1.5.",
        },
    )
    valid_for_months = forms.IntegerField(
        label="Valid for (months)",
        required=False,
        min_value=1,
        max_value=240,
        help_text="For credentials that must be renewed: the badge carries an end date this "
        "many months after the award. Leave empty when it does not expire.",
        error_messages={
            "min_value": "Enter at least 1 month, or leave it empty when the badge does not expire.",
            "max_value": "Enter at most 240 months (20 years).",
            "invalid": "Enter a whole number of months, e.g. 36.",
        },
    )

    prerequisites = CredentialIdsField(
        label="Before you start: credentials to earn first",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=f"An educator can start this credential only once she holds each one ticked "
        f"(earned, not revoked or expired). Up to {rules.MAX_PREREQUISITES}. The list shows the "
        "credentials in the catalog that everyone who may start this one can find.",
    )

    # A draft saves with these empty, but it cannot go to review without them
    # (rules.missing_parts): the labels say so instead of "(optional)".
    REVIEW_REQUIRED = ("summary", "competency", "key_method", "audiences", "estimated_hours")

    def __init__(
        self, *args: Any, prerequisite_choices: list[tuple[int, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        mark_review_required(self, self.REVIEW_REQUIRED)
        cast(CredentialIdsField, self.fields["prerequisites"]).choices = prerequisite_choices or []


# ----------------------------------------------------------------------------- studio: list items


class TargetItemForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    text = forms.CharField(
        label="Learning target",
        max_length=500,
        widget=forms.Textarea(attrs=TEXTAREA_SMALL),
        help_text="Start with “I can …” and name something an assessor can see.",
        error_messages=_required("Write the target, or remove it."),
    )


class StandardItemForm(forms.Form):
    framework = forms.CharField(
        label="Framework",
        max_length=120,
        error_messages=_required("Name the framework, e.g. InTASC."),
    )
    code = forms.CharField(label="Code", max_length=60, required=False)
    name = forms.CharField(
        label="Standard", max_length=300, error_messages=_required("Name the standard.")
    )
    url = forms.URLField(label="Web address", required=False, assume_scheme="https")


class SectionItemForm(forms.Form):
    name = forms.CharField(
        label="Section name", max_length=160, error_messages=_required("Name the section.")
    )
    description = forms.CharField(
        label="What this section assesses",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs=TEXTAREA_SMALL),
    )
    targets = forms.MultipleChoiceField(
        label="Learning targets it assesses", required=False, widget=forms.CheckboxSelectMultiple
    )
    evidence = forms.MultipleChoiceField(
        label="Evidence it is judged on",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The assessor reads these for this section, and after a “not yet” the "
        "educator is pointed to them. None ticked: judged on all the evidence.",
    )
    # Index of the lowest passing level; rendered as radio buttons on the level cards.
    passing = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        target_choices: list[tuple[str, str]] | None = None,
        evidence_choices: list[tuple[str, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["targets"].choices = target_choices or []  # type: ignore[attr-defined]
        self.fields["evidence"].choices = evidence_choices or []  # type: ignore[attr-defined]
        # Every section must assess a target before review (rules.missing_parts).
        mark_review_required(self, ("targets",))

    def passing_value(self) -> str:
        value = self["passing"].value()
        return "" if value is None else str(value)


class LevelItemForm(forms.Form):
    name = forms.CharField(
        label="Level name", max_length=60, error_messages=_required("Name the level.")
    )
    descriptor = forms.CharField(
        label="What it looks like",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=_required("Describe what work at this level looks like."),
    )


class ResourceItemForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    title = forms.CharField(
        label="Title", max_length=200, error_messages=_required("Give the resource a title.")
    )
    kind = forms.ChoiceField(
        label="Kind",
        choices=Resource.Kind.choices,
        initial=Resource.Kind.LINK,
        widget=forms.RadioSelect,
    )
    url = forms.URLField(label="Web address", required=False, max_length=500, assume_scheme="https")
    file = forms.FileField(
        label="File",
        required=False,
        help_text="PDF, Word, PowerPoint, Excel, image or text; up to 25 MB.",
    )
    # A signed reference to a file already uploaded with this form (kept across re-renders).
    upload = forms.CharField(required=False, widget=forms.HiddenInput)
    description = forms.CharField(
        label="Why it helps",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs=TEXTAREA_SMALL),
        help_text="One or two sentences: what the educator gets from it.",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("kind") == Resource.Kind.LINK
            and not data.get("url")
            and "url" not in self.errors
        ):
            self.add_error("url", "Give the web address of this link.")
        return data


class PromptItemForm(forms.Form):
    text = forms.CharField(
        label="Prompt",
        max_length=1000,
        widget=forms.Textarea(attrs=TEXTAREA_SMALL),
        error_messages=_required("Write the prompt, or remove it."),
    )


class TaskForm(forms.Form):
    task_title = forms.CharField(label="Task title", max_length=160, required=False)
    task_instructions = forms.CharField(
        label="What the educator does",
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="The job-embedded activity: what to plan, do with students, and collect. Blank lines start new paragraphs.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        mark_review_required(self, ("task_instructions",))


class EvidenceItemForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    title = forms.CharField(
        label="Title", max_length=200, error_messages=_required("Give the requirement a title.")
    )
    kind = forms.ChoiceField(label="Kind of evidence", choices=EvidenceKind.choices)
    min_count = forms.IntegerField(label="Fewest items", min_value=1, max_value=20, initial=1)
    max_count = forms.IntegerField(label="Most items", min_value=1, max_value=20, initial=1)
    max_minutes = forms.IntegerField(
        label="Longest video (minutes)", required=False, min_value=1, max_value=180
    )
    max_words = forms.IntegerField(
        label="Word limit", required=False, min_value=10, max_value=10000
    )
    description = forms.CharField(
        label="What the educator submits",
        max_length=2000,
        widget=forms.Textarea(attrs=TEXTAREA),
        error_messages=_required("Describe what the educator submits."),
    )
    look_fors = forms.CharField(
        label="What the assessor looks for",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs=TEXTAREA_SMALL),
    )
    consent_required = forms.BooleanField(
        label="Students appear: the educator must confirm consent or blurred faces", required=False
    )


class RubricRuleForm(forms.Form):
    pass_rule = forms.ChoiceField(
        label="Overall result",
        choices=CredentialVersion.PassRule.choices,
        widget=forms.RadioSelect,
        initial=CredentialVersion.PassRule.ALL,
    )
    pass_min_sections = forms.IntegerField(
        label="Sections that must pass",
        required=False,
        min_value=1,
        max_value=30,
        help_text="Only when “at least a number of sections” is chosen.",
    )


DEFAULT_LEVELS = ("Not yet", "Proficient", "Exemplary")


def _new_section() -> Node:
    return Node(
        values={"name": "", "description": "", "targets": [], "evidence": [], "passing": 1},
        children={"levels": [Node(values={"name": n, "descriptor": ""}) for n in DEFAULT_LEVELS]},
    )


LEVELS = ListSpec(name="levels", form_class=LevelItemForm, label="level", max_items=6, min_items=2)
SECTIONS = ListSpec(
    name="sections",
    form_class=SectionItemForm,
    label="section",
    children={"levels": LEVELS},
    new_item=_new_section,
    max_items=20,
    index_fields={"levels": "passing"},
)
TARGETS = ListSpec(name="targets", form_class=TargetItemForm, label="target", max_items=12)
STANDARDS = ListSpec(name="standards", form_class=StandardItemForm, label="standard", max_items=12)
RESOURCES = ListSpec(
    name="resources",
    form_class=ResourceItemForm,
    label="resource",
    max_items=20,
    new_item=lambda: Node(values={"kind": Resource.Kind.LINK}),
)
PRE_PROMPTS = ListSpec(name="pre", form_class=PromptItemForm, label="prompt", max_items=8)
POST_PROMPTS = ListSpec(name="post", form_class=PromptItemForm, label="prompt", max_items=8)
EVIDENCE = ListSpec(
    name="evidence",
    form_class=EvidenceItemForm,
    label="requirement",
    max_items=12,
    new_item=lambda: Node(values={"kind": EvidenceKind.DOCUMENT, "min_count": 1, "max_count": 1}),
)


# ----------------------------------------------------------------------------- review


class QualityReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label="Decision",
        choices=[("approve", "Approve and publish this version"), ("changes", "Request changes")],
        widget=forms.RadioSelect,
        error_messages=_required("Choose to approve or to request changes."),
    )
    summary = forms.CharField(
        label="Note to the designer",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text="What works well and what to change first.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for part, question in QUALITY_CHECKLIST.items():
            label = QualityPart(part).label
            self.fields[f"{part}_met"] = forms.ChoiceField(
                label=question,
                choices=[("yes", "Met"), ("no", "Not met")],
                widget=forms.RadioSelect,
                error_messages=_required(f"Answer the checklist question about {label.lower()}."),
            )
            self.fields[f"{part}_comment"] = forms.CharField(
                label=f"Comment on {label.lower()}",
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs=TEXTAREA_SMALL),
            )

    def checklist_rows(self) -> list[dict[str, Any]]:
        return [
            {
                "part": part,
                "label": QualityPart(part).label,
                "question": question,
                "met": self[f"{part}_met"],
                "comment": self[f"{part}_comment"],
            }
            for part, question in QUALITY_CHECKLIST.items()
        ]

    def review_input(self) -> dict[str, Any]:
        """The valid form as services.version_review's input."""
        data = self.cleaned_data
        return {
            "approve": data["decision"] == "approve",
            "summary": data["summary"],
            "answers": {
                part: services.ChecklistAnswer(
                    met=data[f"{part}_met"] == "yes", comment=data[f"{part}_comment"]
                )
                for part in QUALITY_CHECKLIST
            },
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for part in QUALITY_CHECKLIST:
            if data.get(f"{part}_met") == "no" and not (data.get(f"{part}_comment") or "").strip():
                self.add_error(
                    f"{part}_comment",
                    f"Explain what falls short in {QualityPart(part).label.lower()} so the designer can fix it.",
                )
        if data.get("decision") == "approve":
            unmet = [
                QualityPart(p).label for p in QUALITY_CHECKLIST if data.get(f"{p}_met") == "no"
            ]
            if unmet:
                self.add_error(
                    "decision",
                    "You marked "
                    + ", ".join(unmet)
                    + " as not met. Request changes, or mark them met to approve.",
                )
        return data


class BadgeImageForm(forms.Form):
    image = forms.FileField(
        label="Badge image",
        required=False,
        help_text="A square PNG, JPEG or WebP image, at least 90 × 90 pixels (512 × 512 is "
        "ideal), up to 2 MB. It is shown on every badge and baked into the files educators "
        "download.",
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
    )
    use_default = forms.BooleanField(
        label="Use the default image drawn from the title and the organization's colour",
        required=False,
    )

    def image_input(self) -> dict[str, Any]:
        """The valid form as services.draft_set_badge_image's input: no data for the default."""
        upload = self.cleaned_data.get("image")
        if not upload:
            return {"data": None, "file_name": ""}
        data = None if self.cleaned_data["use_default"] else upload.read()
        return {"data": data, "file_name": upload.name}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("image") and not data.get("use_default") and not self.errors:
            raise forms.ValidationError(
                "Choose an image to upload, or tick the box to use the default image."
            )
        return data
