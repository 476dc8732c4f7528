"""Forms of the rosters app: a OneRoster upload and the district's role map."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from django import forms

from microcred.core.models import Organization, Role
from microcred.rosters.services import MAX_UPLOAD_BYTES, ONEROSTER_ROLES, ROSTER_ROLES

ROLE_CHOICES = [(value, Role(value).label if value else "Nobody") for value in ROSTER_ROLES]


class RosterUploadForm(forms.Form):
    package = forms.FileField(
        label="OneRoster export (.zip)",
        help_text=(
            "The CSV zip your student information system exports (OneRoster 1.1 or 1.2): "
            f"manifest.csv, orgs.csv, users.csv. Up to {MAX_UPLOAD_BYTES // (1024 * 1024)} MB. "
            "Nothing changes until you have read the report and confirmed."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}),
        error_messages={
            "required": "Choose the roster zip to check.",
            "empty": "The file is empty. Choose it again; it may not have finished saving.",
        },
    )


class InvitationsUploadForm(forms.Form):
    people = forms.FileField(
        label="People to invite (.csv)",
        help_text=(
            "One row per person, with a first line naming the columns: email, name, school, "
            "role (for example: ana@district.org, Ana Ruiz, Maple Elementary, educator). "
            "Nothing is sent until you have read the report and confirmed."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
        error_messages={
            "required": "Choose the CSV file of people to invite.",
            "empty": "The file is empty. Choose it again; it may not have finished saving.",
        },
    )


class RoleMapForm(forms.Form):
    """One choice per OneRoster role: the Microcred role it becomes, or nobody."""

    def __init__(self, *args: Any, role_map: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for role, spelled in sorted(ONEROSTER_ROLES.items(), key=lambda item: item[1].lower()):
            self.fields[role] = forms.ChoiceField(
                label=spelled,
                choices=ROLE_CHOICES,
                required=False,  # "" is a choice: nobody
                initial=role_map.get(role, ""),
                error_messages={
                    "invalid_choice": f"Choose what {spelled} becomes: an educator, a school "
                    "leader or nobody.",
                },
            )


DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


class SingleSignOnForm(forms.Form):
    """A district's OpenID Connect sign-in. The client secret is write-only: it is never
    shown again, and left empty it keeps the stored one."""

    issuer = forms.CharField(
        label="Issuer URL",
        max_length=500,
        help_text=(
            "Your provider's issuer, e.g. https://accounts.google.com or "
            "https://login.microsoftonline.com/<tenant id>/v2.0. Microcred reads "
            "/.well-known/openid-configuration from it."
        ),
        error_messages={"required": "Enter your provider's issuer URL."},
    )
    client_id = forms.CharField(
        label="Client ID",
        max_length=191,
        error_messages={"required": "Enter the client ID your provider gave Microcred."},
    )
    client_secret = forms.CharField(
        label="Client secret",
        max_length=191,
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )
    email_domains = forms.CharField(
        label="Email domains",
        help_text="The district's addresses, one domain per line or separated by commas.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter at least one email domain, e.g. schools.example.org."},
    )
    match_claim = forms.CharField(
        label="Claim holding the roster sourcedId",
        max_length=100,
        required=False,
        help_text="Optional: a claim whose value is the person's OneRoster sourcedId.",
    )
    allow_new_educators = forms.BooleanField(
        label="Let people of these domains who are not on the roster join as educators",
        required=False,
    )
    new_educator_school = forms.ModelChoiceField(
        label="School new educators join",
        queryset=Organization.objects.none(),
        required=False,
    )
    enabled = forms.BooleanField(label="Sign-in with the district is on", required=False)

    def __init__(self, *args: Any, district: Organization, has_secret: bool, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.has_secret = has_secret
        school = self.fields["new_educator_school"]
        assert isinstance(school, forms.ModelChoiceField)
        school.queryset = Organization.objects.filter(
            kind=Organization.Kind.SCHOOL, path__startswith=district.path
        ).order_by("name")
        self.fields["client_secret"].help_text = (
            "A secret is stored; leave this empty to keep it, or enter a new one."
            if has_secret
            else "The secret your provider gave Microcred. It is never shown again."
        )

    def arguments(self) -> dict[str, Any]:
        """The cleaned form as `services.sso_save` takes it."""
        data = dict(self.cleaned_data)
        data["secret"] = data.pop("client_secret")
        return data

    def clean_issuer(self) -> str:
        issuer = self.cleaned_data["issuer"].strip().rstrip("/")
        parts = urlsplit(issuer)
        local = parts.scheme == "http" and parts.hostname in {"localhost", "127.0.0.1", "::1"}
        if not parts.netloc or (parts.scheme != "https" and not local):
            raise forms.ValidationError(
                f"“{issuer}” is not an https:// address. The issuer must use https "
                "(http only for a provider on localhost)."
            )
        if parts.query or parts.fragment:
            raise forms.ValidationError("Enter the issuer without ? or # parts.")
        return issuer.removesuffix("/.well-known/openid-configuration")

    def clean_client_secret(self) -> str:
        secret: str = self.cleaned_data["client_secret"].strip()
        if not secret and not self.has_secret:
            raise forms.ValidationError("Enter the client secret your provider gave you.")
        return secret

    def clean_email_domains(self) -> list[str]:
        raw = self.cleaned_data["email_domains"].replace(",", "\n").split()
        domains = list(dict.fromkeys(d.strip().lower().lstrip("@") for d in raw if d.strip()))
        wrong = [d for d in domains if not DOMAIN.match(d)]
        if wrong:
            raise forms.ValidationError(
                f"These are not email domains: {', '.join(wrong)}. "
                "Write the part after the @, e.g. schools.example.org."
            )
        if not domains:
            raise forms.ValidationError("Enter at least one email domain.")
        return domains

    def clean_match_claim(self) -> str:
        claim: str = self.cleaned_data["match_claim"].strip()
        if claim and not re.fullmatch(r"[A-Za-z0-9_:.\-/]+", claim):
            raise forms.ValidationError(
                "A claim name has no spaces or quotes, e.g. sourcedId or ext_sourced_id."
            )
        return claim
