"""Writes of the programs app: designing and publishing stacks (completing them: `completion`)."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from microcred.catalog.models import Credential
from microcred.core import audit, permissions
from microcred.core.audit import Event
from microcred.core.errors import Invalid, InvalidTransition
from microcred.core.models import Organization, User
from microcred.core.slugs import unique_slug
from microcred.programs import tasks
from microcred.programs.models import Stack, StackComponent

STACK_MAX_CREDENTIALS = 40


def _unique_slug(title: str) -> str:
    # "new" is the designer's own address (/stacks/new/).
    return unique_slug(Stack.objects.all(), title, length=80, fallback="stack", reserved={"new"})


def _checked_rule(
    rule: str, choose: int | None, credentials: Sequence[Credential], required: set[int]
) -> int | None:
    """The number the rule asks for, refused when it cannot be met or says nothing."""
    total = len(credentials)
    if rule not in Stack.Rule.values:
        raise Invalid("Choose how the stack is completed.", field="rule")
    if total < 2:
        raise Invalid("A stack needs at least two credentials.", field="credentials")
    if total > STACK_MAX_CREDENTIALS:
        raise Invalid(
            f"A stack holds at most {STACK_MAX_CREDENTIALS} credentials; this one has {total}.",
            field="credentials",
        )
    if rule == Stack.Rule.ALL:
        return None
    if rule == Stack.Rule.ANY_N:
        if not choose or choose >= total:
            raise Invalid(
                f"Say how many of the {total} credentials complete the stack: from 1 to "
                f"{total - 1} (all {total} is the rule “All of them”).",
                field="choose",
            )
        return choose
    electives = total - len(required)
    if not required:
        raise Invalid("Mark at least one credential as required.", field="required")
    if electives < 1:
        raise Invalid(
            "Every credential is marked required: leave some as electives, or choose the rule "
            "“All of them”.",
            field="required",
        )
    if not choose or choose > electives:
        raise Invalid(
            f"Say how many of the {electives} electives complete the stack: from 1 to {electives}.",
            field="choose",
        )
    return choose


@transaction.atomic
def stack_create(
    *,
    actor: User,
    organization: Organization,
    title: str,
    summary: str,
    rule: str,
    choose: int | None,
    credentials: Sequence[Credential],
    required: Sequence[Credential] = (),
    grants: str = "",
    grant_title: str = "",
    grant_months: int | None = None,
) -> Stack:
    """A stack of `credentials` (in that order) offered by `organization` once published.
    `required` matters for the rule “the required ones and N of the others” only."""
    permissions.require(actor, "programs.manage", organization)
    title = title.strip()
    if not title:
        raise Invalid("Give the stack a title.", field="title")
    offered = set(
        Credential.objects.visible_to(actor)
        .listed()
        .filter(pk__in=[c.pk for c in credentials])
        .values_list("pk", flat=True)
    )
    missing = [c for c in credentials if c.pk not in offered]
    if missing:
        version = missing[0].current_version
        raise Invalid(
            f"“{version.title if version else missing[0].slug}” is not a published credential "
            "this organization's educators can earn.",
            field="credentials",
        )
    if len({c.pk for c in credentials}) != len(credentials):
        raise Invalid("Each credential can be in a stack once.", field="credentials")
    required_ids = ({c.pk for c in required} if rule == Stack.Rule.REQUIRED_PLUS else set()) & {
        c.pk for c in credentials
    }
    choose = _checked_rule(rule, choose, credentials, required_ids)
    if grants not in Stack.Grant.values:
        raise Invalid("Choose what completing the stack grants.", field="grants")
    grant_title = grant_title.strip()
    if grants and not grant_title:
        raise Invalid(
            "Name the endorsement or status the stack grants, e.g. “Teacher leader”.",
            field="grant_title",
        )
    stack = Stack.objects.create(
        organization=organization,
        slug=_unique_slug(title),
        title=title,
        summary=summary.strip(),
        rule=rule,
        choose=choose,
        grants=grants,
        grant_title=grant_title if grants else "",
        grant_months=grant_months if grants else None,
        created_by=actor,
    )
    StackComponent.objects.bulk_create(
        StackComponent(
            stack=stack,
            credential=credential,
            required=rule == Stack.Rule.ALL or credential.pk in required_ids,
            position=position,
        )
        for position, credential in enumerate(credentials)
    )
    audit.record(
        actor,
        Event.STACK_CREATED,
        stack,
        organization=organization,
        title=stack.title,
        credentials=[c.pk for c in credentials],
    )
    return stack


@transaction.atomic
def stack_publish(*, actor: User, stack: Stack) -> Stack:
    """Offer the stack to the educators under its organization."""
    stack = Stack.objects.select_for_update().get(pk=stack.pk)
    permissions.require(actor, "programs.manage", stack.organization)
    if stack.published_at is not None:
        raise InvalidTransition("This stack is already published.")
    stack.published_at = timezone.now()
    stack.save(update_fields=["published_at"])
    audit.record(actor, Event.STACK_PUBLISHED, stack, organization=stack.organization)
    # Those who already satisfy it complete it now, in the worker.
    transaction.on_commit(lambda: tasks.complete_published_stack.enqueue(stack.pk))
    return stack
