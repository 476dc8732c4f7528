"""Forms of the badges app: the verifier, the earner's badge preferences, the issuer's
revocation, re-issuing, and marking a signing key compromised."""

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
            attrs={
                "accept": ".json,.jsonld,.jwt,.png,.svg,application/json,image/png,image/svg+xml"
            }
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


Reissue = IssuedCredential.Reissue


class ReissueForm(forms.Form):
    """Issue a badge again for the same award: for a new name or email address (the new
    value is asked for and goes on the badge) or, by the issuer, to correct it. Renewing
    (new dates) is its own action."""

    # The new name and email are needed for one reason each: their help says when, so
    # neither is labelled "(optional)".
    all_optional = True

    reason = forms.ChoiceField(
        label="Why issue it again?",
        choices=[
            (value, label)
            for value, label in Reissue.choices
            if value not in (Reissue.RENEWAL, Reissue.KEY_COMPROMISE)
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose why the badge is issued again."},
    )
    new_name = forms.CharField(
        label="New name on the badge",
        required=False,
        max_length=MAX_NAME,
        help_text="Needed when the name changed: the name the new badge shows.",
    )
    new_email = forms.EmailField(
        label="New email address",
        required=False,
        max_length=254,
        help_text="Needed when the email address changed: the address the new badge names its "
        "earner by (stored hashed in the badge).",
        error_messages={"invalid": "Enter an email address like name@school.org."},
    )

    def __init__(self, *args: Any, earner: bool = False, **kwargs: Any) -> None:
        # Its own ids: the revoke form on the same page has a "reason" too.
        kwargs.setdefault("auto_id", "earner-reissue-%s" if earner else "reissue-%s")
        super().__init__(*args, **kwargs)
        self.earner = earner
        if earner:  # the earner re-issues for her own name or email; the rest is the issuer's
            field = self.fields["reason"]
            field.choices = [  # type: ignore[attr-defined]
                (Reissue.NAME.value, "My name changed"),
                (Reissue.EMAIL.value, "My email address changed"),
            ]
            field.label = "What changed?"
            field.error_messages["required"] = "Choose what changed: your name or your email."

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        reason = data.get("reason")
        if data.get("new_name") and reason and reason != Reissue.NAME:
            self.add_error(
                "new_name", "A new name goes with “name changed”: choose it, or leave this empty."
            )
        if data.get("new_email") and reason and reason != Reissue.EMAIL:
            self.add_error(
                "new_email",
                "A new email address goes with “email address changed”: choose it, or leave "
                "this empty.",
            )
        return data


class CompromisedKeyForm(forms.Form):
    reason = forms.CharField(
        label="What happened",
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For the audit trail, e.g. “The laptop with a copy of the database was stolen.”",
        error_messages={"required": "Say what happened to the key; it stays in the audit trail."},
    )
    confirm = forms.BooleanField(
        label="I understand: badges signed with this key stop verifying now; each is issued "
        "again with the current key, and its educator is told",
        error_messages={"required": "Tick the box to confirm that the key is compromised."},
    )
