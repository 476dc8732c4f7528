"""Forms of the attempt pages. Checks of content (type, size, counts) live in services."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django import forms

from microcred.catalog.models import EvidenceRequirement


class UploadForm(forms.Form):
    file = forms.FileField(
        label="File",
        error_messages={
            "required": "Choose a file to upload.",
            "empty": "That file is empty. Choose the file again; it may not have finished saving.",
        },
    )
    caption = forms.CharField(
        label="Caption",
        required=False,
        max_length=300,
        help_text="What the assessor sees in it, e.g. “Lesson 2, small-group station”.",
    )
    consent = forms.BooleanField(
        label="Every student shown has consent on file, or their faces and names are hidden.",
        required=False,
    )

    def __init__(self, *args: Any, requirement: EvidenceRequirement, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.requirement = requirement
        self.auto_id = f"id_r{requirement.pk}_%s"
        if requirement.consent_required:
            self.fields["consent"].required = True
            self.fields["consent"].error_messages["required"] = (
                "Confirm consent (or hidden faces and names) before uploading."
            )
        else:
            del self.fields["consent"]


class SubmitForm(forms.Form):
    note = forms.CharField(
        label="What did you change?",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Tell the assessor which evidence is new and what you did differently.",
    )

    def __init__(self, *args: Any, resubmission: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if resubmission:
            self.fields["note"].required = True
            self.fields["note"].error_messages["required"] = (
                "Say what you changed, so the assessor knows where to look."
            )
        else:
            self.fields["note"].label = "A note for the assessor"
            self.fields["note"].help_text = "Anything the assessor should know about your context."


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Comment",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Write a comment before sending it."},
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Why are you withdrawing?",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


ANSWER_FIELD = re.compile(r"prompt-([1-9][0-9]*)")


def reflection_answers(data: Mapping[str, str]) -> dict[int, str]:
    """What a reflection page posts, by prompt: its fields are named `prompt-<id>`. An answer
    over the limit is kept whole, so the page can show it back with the refusal."""
    answers = {}
    for name, text in data.items():
        if field := ANSWER_FIELD.fullmatch(name):
            answers[int(field[1])] = text
    return answers
