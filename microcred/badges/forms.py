"""Forms of the badges app: the verifier, the earner's badge preferences, the issuer's
revocation, and re-issuing."""

from __future__ import annotations

from typing import Any

from django import forms

from microcred.badges.models import IssuedCredential
from microcred.badges.services import MAX_NAME, MAX_REASON


class VerifyForm(forms.Form):
    url = forms.URLField(
        label="Link to a badge",
        required=False,
        max_length=2000,
        assume_scheme="https",
        help_text="The address of a badge page or of a credential's JSON.",
        widget=forms.URLInput(attrs={"placeholder": "https://…", "autocomplete": "off"}),
    )
    file = forms.FileField(
        label="Or a file",
        required=False,
        help_text="A credential (.json) or a badge image with the credential inside (.png, .svg).",
        widget=forms.ClearableFileInput(
            attrs={"accept": ".json,.jsonld,.png,.svg,application/json,image/png,image/svg+xml"}
        ),
    )
    text = forms.CharField(
        label="Or paste the credential",
        required=False,
        max_length=1_000_000,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false", "class": "mono"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        given = [name for name in ("url", "file", "text") if data.get(name)]
        if not given and not self.errors:
            raise forms.ValidationError(
                "Give the verifier something to check: a link, a file, or the credential's JSON."
            )
        if len(given) > 1:
            raise forms.ValidationError(
                "Check one thing at a time: give a link, a file or pasted JSON, not several."
            )
        return data


class PreferencesForm(forms.Form):
    display_name = forms.CharField(
        label="Name on the badge",
        max_length=MAX_NAME,
        error_messages={"required": "Enter the name the badge should show."},
        help_text="How your name appears to anyone who opens or verifies this badge. "
        "Changing it issues the badge again with the new name.",
    )
    public = forms.BooleanField(
        label="Anyone with the link can see this badge's page",
        required=False,
        help_text="When off, the page is visible to you and the issuer only. The credential "
        "file you download still verifies anywhere.",
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label="Reason",
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The educator reads this. Verifiers only see that the credential was revoked.",
        error_messages={
            "required": "Say why the credential is revoked; the educator reads this reason."
        },
    )


class ReissueForm(forms.Form):
    reason = forms.ChoiceField(
        label="Why issue it again?",
        choices=[
            (value, label)
            for value, label in IssuedCredential.Reissue.choices
            if value != IssuedCredential.Reissue.RENEWAL
        ],
    )
