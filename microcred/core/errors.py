"""Domain errors raised by services and turned into messages by views and the API.

A view decides what to do with an error (the HTTP status, which form field shows it) from
its `code` and `field`, never from its wording: the message is for people and may be
reworded at any time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django import forms


class DomainError(Exception):
    """A refused action. The message is written for the person who tried it.

    `code` is stable and names the refusal (the class's code unless the raise site gives a
    more specific one); `field` names the one input the error is about, when there is one.
    """

    code = "refused"

    def __init__(
        self,
        message: str,
        *,
        details: list[str] | None = None,
        code: str | None = None,
        field: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or []
        if code is not None:
            self.code = code
        self.field = field


class InvalidTransition(DomainError):
    """The object is not in a state from which this action is possible."""

    code = "invalid_transition"


class Incomplete(DomainError):
    """Required parts are missing; `details` names each one."""

    code = "incomplete"


class Invalid(DomainError):
    """The input breaks a rule; the message says which and how to fix it."""

    code = "invalid"


class InvitationForAnotherAddress(DomainError):
    """The signed-in account has not confirmed the address an invitation was sent to."""

    code = "invitation_for_another_address"


def add_to_form(form: forms.BaseForm, error: DomainError, *, fallback: str | None = None) -> None:
    """Show `error` on the form: next to its field when the form has that field, otherwise
    at the top, or on `fallback` for a form that shows one input and no summary; its details
    follow it."""
    field = error.field if error.field in form.fields else fallback
    form.add_error(field, error.message)
    for detail in error.details:
        form.add_error(field, detail)
