"""Domain errors raised by services and turned into messages by views and the API."""

from __future__ import annotations


class DomainError(Exception):
    """A refused action. The message is written for the person who tried it."""

    code = "refused"

    def __init__(self, message: str, *, details: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or []


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
