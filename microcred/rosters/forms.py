"""Forms of the rosters app: a OneRoster upload and the district's role map."""

from __future__ import annotations

from typing import Any

from django import forms

from microcred.core.models import Role
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
        error_messages={"required": "Choose the roster zip to check."},
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
