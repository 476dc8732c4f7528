"""Forms for accounts and organization membership."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from microcred.core.models import Organization, Role


class SignupForm(forms.Form):
    """Extra sign-up fields for django-allauth (ACCOUNT_SIGNUP_FORM_CLASS)."""

    full_name = forms.CharField(
        label="Full name",
        max_length=150,
        help_text="As colleagues and assessors will see it.",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    field_order = ["full_name", "email", "password1", "password2"]

    def clean(self) -> dict[str, Any]:
        # allauth's sign-up form inherits from this one, so this runs after its clean_email.
        from allauth.core import context

        from microcred.core.adapters import invitation_from_session

        cleaned = super().clean() or {}
        email = (self.cleaned_data.get("email") or "").strip().lower()
        request = context.request
        invitation = invitation_from_session(request) if request is not None else None
        if invitation is not None and email and email != invitation.email.lower():
            self.add_error(
                "email",
                f"This invitation is for {invitation.email}. Sign up with that address, or ask "
                f"{invitation.organization} to invite the address you want to use.",
            )
        return cleaned

    def signup(self, request: Any, user: Any) -> None:
        # The adapter already stored full_name in save_user(); nothing else to add.
        return None


class ProfileForm(forms.Form):
    full_name = forms.CharField(
        label="Full name",
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": "Enter your name as colleagues know it."},
    )


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        help_text="The person gets a link to join. It stays valid for 14 days.",
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    role = forms.ChoiceField(label="Role", choices=Role.choices, initial=Role.EDUCATOR)


class UnitForm(forms.Form):
    """A school or department added under an organization."""

    name = forms.CharField(
        label="Name",
        max_length=200,
        error_messages={"required": "Give the school or department a name."},
    )
    kind = forms.ChoiceField(label="Kind")

    def __init__(self, *args: Any, kinds: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds  # type: ignore[attr-defined]


class LinkedInForm(forms.Form):
    """The organization's LinkedIn page, for the earners' "Add to LinkedIn"."""

    linkedin_organization_id = forms.CharField(
        label="LinkedIn organization id",
        required=False,
        max_length=200,
        help_text="The number of your organization's LinkedIn page, or the address of the "
        "page's admin view (linkedin.com/company/1337/admin/). Leave it empty to remove it.",
    )

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial", {"linkedin_organization_id": organization.linkedin_organization_id}
        )
        super().__init__(*args, **kwargs)


class PlainSelect(forms.Select):
    """A select whose options are written out in Python instead of one template each: a
    state's list of organizations or credentials (hundreds of options) renders in a few
    milliseconds instead of a few hundred. Same markup as Django's Select, without groups."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        chosen = set(self.format_value(value))
        options = []
        for option_value, label in self.choices:
            text = "" if option_value is None else str(option_value)
            selected = text in chosen  # the first option with the value, as Django's Select
            chosen -= {text}
            options.append(
                f'<option value="{escape(text)}"{" selected" if selected else ""}>'
                f"{escape(label)}</option>"
            )
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            flatatt(self.build_attrs(self.attrs, attrs)),
            mark_safe("".join(options)),  # noqa: S308 (every value and label escaped above)
        )


class _PairChoices(ModelChoiceIterator):
    """The choices as (pk, label) pairs from one `values_list` read: no model instances and
    no server-side cursor."""

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from self.queryset.values_list("pk", getattr(self.field, "label_field", "name"))


class PlainModelChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField for long lists, drawn by `PlainSelect`: each option's label is the
    value of `label_field` (a field or a lookup path, e.g. "current_version__title")."""

    iterator = _PairChoices
    widget = PlainSelect

    def __init__(self, *args: Any, label_field: str = "name", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.label_field = label_field
