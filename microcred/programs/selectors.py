"""Reads of the programs app: the stacks a person is offered or designs, and progress."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from microcred.core import permissions
from microcred.core.models import User
from microcred.earning.models import Attempt
from microcred.earning.standing import Standing
from microcred.programs.models import Stack, StackCompletion, StackComponent
from microcred.programs.rules import StackRule

EARNED, IN_PROGRESS, NOT_STARTED = "earned", "in_progress", "not_started"
STATE_LABELS = {EARNED: "Earned", IN_PROGRESS: "In progress", NOT_STARTED: "Not started"}
STACKS_SHOWN = 50  # the most stacks a list shows (an organization offers a handful)


def rule_of(stack: Stack) -> StackRule:
    parts = stack.parts
    if stack.rule == Stack.Rule.ALL:
        return StackRule(stack.rule, None, frozenset(p.credential_id for p in parts), frozenset())
    if stack.rule == Stack.Rule.ANY_N:
        return StackRule(
            stack.rule, stack.choose, frozenset(), frozenset(p.credential_id for p in parts)
        )
    return StackRule(
        stack.rule,
        stack.choose,
        frozenset(p.credential_id for p in parts if p.required),
        frozenset(p.credential_id for p in parts if not p.required),
    )


def with_parts(stacks: QuerySet[Stack]) -> QuerySet[Stack]:
    return stacks.select_related("organization").prefetch_related(
        Prefetch(
            "components",
            queryset=StackComponent.objects.select_related("credential__current_version").only(
                "stack_id",
                "credential_id",
                "required",
                "position",
                "credential__slug",
                "credential__current_version__title",
                "credential__current_version__credit_hours",
                "credential__current_version__credential_id",
                "credential__current_version__number",
            ),
        )
    )


def credential_states(educator: User, credential_ids: set[int]) -> dict[int, str]:
    """Per credential, where the educator stands: earned (and still counting), in progress,
    or absent (not started)."""
    if not credential_ids:
        return {}
    states: dict[int, str] = {}
    rows = (
        Attempt.objects.filter(educator=educator, version__credential_id__in=credential_ids)
        .exclude(state__in=(Attempt.State.WITHDRAWN, Attempt.State.REJECTED))
        .values_list("version__credential_id", "state", "revoked_at", "valid_until")
    )
    for credential_id, state, revoked_at, valid_until in rows:
        if state == Attempt.State.EARNED:
            if Standing.of(revoked_at=revoked_at, valid_until=valid_until).counts:
                states[credential_id] = EARNED
        elif states.get(credential_id) != EARNED:
            states[credential_id] = IN_PROGRESS
    return states


@dataclass
class PartRow:
    part: StackComponent
    state: str

    @property
    def label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def title(self) -> str:
        version = self.part.credential.current_version
        return version.title if version else self.part.credential.slug


@dataclass
class Progress:
    stack: Stack
    rows: list[PartRow] = field(default_factory=list)
    counted: int = 0
    needed: int = 0

    @property
    def complete(self) -> bool:
        return self.needed > 0 and self.counted >= self.needed

    @property
    def percent(self) -> int:
        return round(100 * self.counted / self.needed) if self.needed else 0


def _progress(stack: Stack, states: dict[int, str]) -> Progress:
    rule = rule_of(stack)
    earned = {cid for cid, state in states.items() if state == EARNED}
    return Progress(
        stack=stack,
        rows=[PartRow(part, states.get(part.credential_id, NOT_STARTED)) for part in stack.parts],
        counted=rule.counted(earned),
        needed=rule.needed,
    )


def stacks_page(*, actor: User) -> dict[str, Any]:
    """The stacks offered to the person, with their progress toward each (an educator), and
    the ones they design (a program admin), drafts included."""
    offered = list(with_parts(Stack.objects.offered_to(actor)).order_by("title")[:STACKS_SHOWN])
    states = credential_states(actor, {p.credential_id for s in offered for p in s.parts})
    designed = list(
        with_parts(Stack.objects.designed_by(actor)).order_by("-created_at")[:STACKS_SHOWN]
    )
    return {
        "offered": [_progress(stack, states) for stack in offered],
        "designed": designed,
        "can_design": permissions.has_perm_anywhere(actor, "programs.manage"),
    }


def statuses_of(*, person: User) -> list[StackCompletion]:
    """The stacks the person completed, newest first, each with whether the endorsement or
    status it granted stands now (`holding`) and its badge's current copy."""
    completions = list(
        StackCompletion.objects.filter(educator=person)
        .select_related("stack__organization", "credential__superseded_by")
        .order_by("-completed_at")[:STACKS_SHOWN]
    )
    now = timezone.now()
    for completion in completions:
        completion.holding = completion.holds_status(now)  # type: ignore[attr-defined]
    return completions


def stack_page(*, actor: User, slug: str) -> dict[str, Any]:
    """One stack: offered to the person (published, their organization's or above) or one
    they design. Another's stack is Stack.DoesNotExist (a 404)."""
    visible = Stack.objects.offered_to(actor) | Stack.objects.designed_by(actor)
    stack = with_parts(visible.distinct()).get(slug=slug)
    states = credential_states(actor, {p.credential_id for p in stack.parts})
    completion = (
        StackCompletion.objects.filter(stack=stack, educator=actor)
        .select_related("credential")
        .first()
    )
    if completion is not None:
        completion.holding = completion.holds_status(timezone.now())  # type: ignore[attr-defined]
    return {
        "stack": stack,
        "completion": completion,
        "progress": _progress(stack, states),
        "can_publish": stack.published_at is None
        and permissions.has_perm(actor, "programs.manage", stack.organization),
    }
