"""allauth's account forms with the product's words ("Current password", not "Current
Password"): named in settings.ACCOUNT_FORMS. Kept apart from core.forms, which allauth
imports (the signup form) while its own forms module loads."""

from __future__ import annotations

from typing import Any

from allauth.account import forms as allauth_forms

NEW_PASSWORD = "New password"  # noqa: S105 - a label, not a password
AGAIN = "New password, again"


def _relabel(form: Any, labels: dict[str, str]) -> None:
    for name, label in labels.items():
        if name in form.fields:
            form.fields[name].label = label
            form.fields[name].widget.attrs.pop("placeholder", None)  # the label says it


class LoginForm(allauth_forms.LoginForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _relabel(self, {"remember": "Keep me signed in on this device"})


class ChangePasswordForm(allauth_forms.ChangePasswordForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _relabel(
            self, {"oldpassword": "Current password", "password1": NEW_PASSWORD, "password2": AGAIN}
        )


class SetPasswordForm(allauth_forms.SetPasswordForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _relabel(self, {"password1": "Password", "password2": "Password, again"})


class ResetPasswordKeyForm(allauth_forms.ResetPasswordKeyForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _relabel(self, {"password1": NEW_PASSWORD, "password2": AGAIN})
