"""Completing stacks: when an educator's earned credentials satisfy a published stack, its
badge is signed once through the badge service and the status it grants begins; when the
badge, or a credential it counts, is revoked, the status ends (and the badge with it).

Runs in the worker (`tasks`) after every award and when a stack is published, and inside the
revoking transaction for revocations (settings.LIFECYCLE_HANDLERS)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from microcred.assessment.models import Award
from microcred.badges import compose
from microcred.badges import pages as badge_pages
from microcred.badges import services as badge_services
from microcred.badges.models import IssuedCredential
from microcred.core import audit
from microcred.core.audit import Event
from microcred.core.models import User
from microcred.earning.models import Attempt
from microcred.programs import ledger, selectors
from microcred.programs.models import Stack, StackCompletion
from microcred.programs.rules import StackRule

# ----------------------------------------------------------------------------- completion


def _components(educator: User, credential_ids: list[int]) -> list[compose.Component]:
    """The earner's badge for each counted credential (the newest earned award of each),
    signed here when the worker has not signed it yet, so the stack's badge can cite it."""
    awards = (
        Award.objects.filter(
            attempt__educator=educator,
            attempt__version__credential_id__in=credential_ids,
            attempt__state=Attempt.State.EARNED,
            attempt__revoked_at__isnull=True,
        )
        .select_related("attempt__version__credential")
        .order_by("awarded_at")
    )
    newest = {award.attempt.version.credential_id: award for award in awards}
    components = []
    for credential_id in credential_ids:
        award = newest[credential_id]
        badge = IssuedCredential.objects.filter(award=award).current().order_by(
            "-pk"
        ).first() or badge_services.credential_issue(award=award)
        version = award.attempt.version
        components.append(
            compose.Component(
                title=version.title,
                achievement_url=compose.version_url(version),
                code=compose.human_code(version.credential.slug),
                badge_url=compose.absolute(badge.get_absolute_url()),
                awarded_at=award.awarded_at,
            )
        )
    return components


def _criteria(stack: Stack) -> str:
    grant = ""
    if stack.grant_title:
        period = f" for {stack.grant_months} months" if stack.grant_months else ""
        grant = f" Completing it grants “{stack.grant_title}”{period}."
    return f"{stack.rule_text}{grant} Each credential is assessed on its own by a trained assessor."


def _counted(stack: Stack, rule: StackRule, earned: set[int]) -> list[int]:
    """The earned credentials the stack counts, in its order: every required one, then
    electives up to the number the rule asks for."""
    counted = [p.credential_id for p in stack.parts if p.credential_id in rule.required & earned]
    electives = [p.credential_id for p in stack.parts if p.credential_id in rule.electives & earned]
    take = len(electives) if rule.rule == Stack.Rule.ALL else (stack.choose or 0)
    return counted + electives[:take]


@transaction.atomic
def _complete(
    stack: Stack, rule: StackRule, educator: User, earned: set[int]
) -> StackCompletion | None:
    # The stack's row is locked so that two workers completing it for the same educator at
    # once issue one badge; the second finds the completion.
    Stack.objects.select_for_update().filter(pk=stack.pk).first()
    if StackCompletion.objects.filter(stack=stack, educator=educator).exists():
        return None
    counted = _counted(stack, rule, earned)
    now = timezone.now()
    until = (
        badge_services.months_later(now, stack.grant_months)
        if stack.grants and stack.grant_months
        else None
    )
    facts = compose.StackFacts(
        url=compose.absolute(stack.get_absolute_url()),
        name=stack.title,
        description=stack.summary,
        criteria=_criteria(stack),
        components=_components(educator, counted),
        completed_at=now,
        organization=stack.organization,
    )
    badge = badge_services.stack_credential_issue(earner=educator, facts=facts, valid_until=until)
    completion = StackCompletion.objects.create(
        stack=stack,
        educator=educator,
        completed_at=now,
        credential=badge,
        status_title=stack.grant_title if stack.grants else "",
        status_until=until,
    )
    completion.counted.set(counted)
    ledger.stack_completed(completion)
    audit.record(
        None,
        Event.STACK_COMPLETED,
        completion,
        organization=stack.organization,
        stack=stack.slug,
        educator=educator.pk,
        counted=counted,
    )
    return completion


def stacks_complete(*, educator: User) -> list[StackCompletion]:
    """Complete every published stack offered to the educator that their earned credentials
    now satisfy, once: its badge is signed and the status it grants begins. Safe to run
    again at any time (the award task runs it after every award)."""
    stacks = list(
        selectors.with_parts(
            Stack.objects.offered_to(educator).exclude(completions__educator=educator)
        )
    )
    states = selectors.credential_states(
        educator, {p.credential_id for s in stacks for p in s.parts}
    )
    earned = {cid for cid, state in states.items() if state == selectors.EARNED}
    agreed = selectors.agreed_credentials(educator, stacks)
    done = []
    for stack in stacks:
        rule = selectors.rule_of(stack, agreed.get(stack.pk, frozenset()))
        if rule.complete(earned):
            completion = _complete(stack, rule, educator, earned)
            if completion is not None:
                done.append(completion)
    return done


def stack_complete_for_all(*, stack: Stack, limit: int = 1000) -> int:
    """Complete a newly published stack for the educators who already satisfy it (the
    publish task runs it): those with enough earned credentials among its components, at
    most `limit` per run. Returns how many completed."""
    stack = Stack.objects.prefetch_related("components").get(pk=stack.pk)
    if stack.rule == Stack.Rule.AGREED:
        return 0  # nobody agreed it yet: each completes it after her agreement is approved
    rule = selectors.rule_of(stack)
    educators = (
        Attempt.objects.filter(
            version__credential_id__in=rule.required | rule.electives,
            state=Attempt.State.EARNED,
            revoked_at__isnull=True,
        )
        .values("educator_id")
        .annotate(n=Count("version__credential_id", distinct=True))
        .filter(n__gte=rule.needed)
        .values_list("educator_id", flat=True)
        .order_by("educator_id")[:limit]
    )
    done = 0
    for educator in User.objects.filter(pk__in=list(educators)):
        done += sum(1 for c in stacks_complete(educator=educator) if c.stack_id == stack.pk)
    return done


# ----------------------------------------------------------------------------- revocation


def credential_revoked(*, credential_id: int) -> None:
    """The handler of "credential.revoked" (settings.LIFECYCLE_HANDLERS), inside the revoking
    transaction. A stack's badge revoked: the status it granted ends. A credential a
    completed stack counts revoked: the stack's badge is revoked too, unless the earner's
    other earned credentials still complete the stack."""
    credential = IssuedCredential.objects.get(pk=credential_id)
    ended = completion_of_badge(credential)
    if ended is not None:
        _status_end(ended, "The stack's badge was revoked: " + credential.revoked_reason)
        return
    if credential.award_id is None:
        return
    award = Award.objects.select_related("attempt__version__credential__current_version").get(
        pk=credential.award_id
    )
    component = award.attempt.version.credential
    completions = StackCompletion.objects.filter(
        educator_id=credential.earner_id, counted=component, ended_at__isnull=True
    ).select_related("stack", "credential")
    for completion in completions:
        stack = selectors.with_parts(Stack.objects.filter(pk=completion.stack_id)).get()
        states = selectors.credential_states(
            credential.earner, {p.credential_id for p in stack.parts}
        )
        earned = {cid for cid, state in states.items() if state == selectors.EARNED}
        agreed = selectors.agreed_credentials(credential.earner, [stack]).get(stack.pk)
        if selectors.rule_of(stack, agreed or frozenset()).complete(earned):
            continue  # the others still complete it
        current = badge_pages.current_copy(completion.credential)
        if current.state == IssuedCredential.State.ACTIVE:
            title = component.current_version.title if component.current_version else component.slug
            badge_services.credential_revoke(
                actor=None,
                credential=current,
                reason=f"“{title}”, a credential this stack counts, was revoked.",
                via="a counted credential was revoked",
            )


def credential_reinstated(*, credential_id: int) -> None:
    """The handler of "credential.reinstated": a stack's badge counts again, and so does the
    status it granted. (A counted credential reinstated leaves the stack's badge revoked: the
    issuer reinstates that on its page.)"""
    credential = IssuedCredential.objects.get(pk=credential_id)
    completion = completion_of_badge(credential)
    if completion is None or completion.ended_at is None:
        return
    completion.ended_at = None
    completion.ended_reason = ""
    completion.save(update_fields=["ended_at", "ended_reason"])
    audit.record(
        None, Event.STACK_STATUS_RESTORED, completion, organization=completion.stack.organization
    )


def completion_of_badge(credential: IssuedCredential) -> StackCompletion | None:
    """The completion whose badge this is: its first copy, or one that replaced it (a
    re-issued copy supersedes the first, which the completion keeps)."""
    if credential.award_id is not None:
        return None
    completions = StackCompletion.objects.filter(
        educator_id=credential.earner_id, stack__organization_id=credential.organization_id
    ).select_related("stack__organization", "credential")
    for completion in completions:
        copy: IssuedCredential | None = completion.credential
        for _ in range(badge_pages.MAX_REISSUE_CHAIN):
            if copy is None:
                break
            if copy.pk == credential.pk:
                return completion
            copy = copy.superseded_by
    return None


def _status_end(completion: StackCompletion, reason: str) -> None:
    if completion.ended_at is not None:
        return
    completion.ended_at = timezone.now()
    completion.ended_reason = reason
    completion.save(update_fields=["ended_at", "ended_reason"])
    audit.record(
        None,
        Event.STACK_STATUS_ENDED,
        completion,
        organization=completion.stack.organization,
        reason=reason,
    )
