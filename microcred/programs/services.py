"""Writes of the programs app: designing and publishing stacks, agreeing personal stacks
(completing them: `completion`)."""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone

from microcred.catalog.models import Credential
from microcred.core import audit, permissions, tenancy
from microcred.core.audit import Event
from microcred.core.errors import Invalid, InvalidTransition
from microcred.core.models import Membership, Organization, Role, User
from microcred.core.notify import Verb, notifications_resolve, notify, subject_of
from microcred.core.slugs import unique_slug
from microcred.earning.models import Attempt
from microcred.earning.services import home_organization, home_organizations
from microcred.programs import tasks
from microcred.programs.models import (
    AgreementVersion,
    Recommendation,
    Stack,
    StackAgreement,
    StackCompletion,
    StackComponent,
)

STACK_MAX_CREDENTIALS = 40


def _unique_slug(title: str) -> str:
    # "new" is the designer's own address (/stacks/new/).
    return unique_slug(
        Stack.objects.all(), title, length=80, fallback="stack", reserved={"new", "agreements"}
    )


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
    if rule == Stack.Rule.AGREED:
        if not choose or choose > total:
            raise Invalid(
                f"Say how many of the {total} credentials each educator agrees with her school "
                f"leader: from 1 to {total}.",
                field="choose",
            )
        return choose
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


# ----------------------------------------------------------------------------- agreements

GOAL_MAX_CHARS = 2000
COMMENT_MAX_CHARS = 4000
TARGET_MAX_YEARS = 5


def _school_leaders(school: Organization) -> list[User]:
    """The school leaders of the school and of the organizations above it."""
    return [
        membership.user
        for membership in Membership.objects.filter(
            organization_id__in=school.ancestor_ids, role=Role.LEADER
        ).select_related("user")
    ]


def _checked_proposal(
    stack: Stack, credentials: Sequence[Credential], growth_goal: str, target_date: datetime.date
) -> str:
    pool = {part.credential_id for part in stack.parts}
    if any(c.pk not in pool for c in credentials):
        raise Invalid("Choose among this stack's credentials.", field="credentials")
    chosen = len({c.pk for c in credentials})
    if chosen != stack.choose:
        raise Invalid(
            f"Choose {stack.choose} credentials for this stack; you chose {chosen}.",
            field="credentials",
        )
    growth_goal = growth_goal.strip()
    if not growth_goal:
        raise Invalid(
            "Write your growth goal: what you want to be able to do once you have earned them.",
            field="growth_goal",
        )
    if len(growth_goal) > GOAL_MAX_CHARS:
        raise Invalid(
            f"Keep the growth goal under {GOAL_MAX_CHARS} characters; it has {len(growth_goal)}.",
            field="growth_goal",
        )
    today = timezone.localdate()
    if target_date <= today:
        raise Invalid("Choose a target date after today.", field="target_date")
    if target_date > today.replace(year=today.year + TARGET_MAX_YEARS):
        raise Invalid(f"Choose a target date within {TARGET_MAX_YEARS} years.", field="target_date")
    return growth_goal


@transaction.atomic
def agreement_propose(
    *,
    actor: User,
    stack: Stack,
    credentials: Sequence[Credential],
    growth_goal: str,
    target_date: datetime.date,
) -> StackAgreement:
    """The educator proposes her personal stack, or a change to it: a new version that her
    school leader decides on. An approved version stays in force until a change is approved."""
    stack = Stack.objects.prefetch_related("components").get(pk=stack.pk)
    if stack.rule != Stack.Rule.AGREED:
        raise InvalidTransition("This stack's credentials are set by the program, not agreed.")
    if not Stack.objects.offered_to(actor).filter(pk=stack.pk).exists():
        raise InvalidTransition("This stack is not offered to you.")
    school = home_organization(actor)
    if school is None:
        raise InvalidTransition("Only an educator can agree a stack with her school leader.")
    goal = _checked_proposal(stack, credentials, growth_goal, target_date)
    if StackCompletion.objects.filter(stack=stack, educator=actor).exists():
        raise InvalidTransition("You completed this stack: its agreement can no longer change.")
    agreement, _ = StackAgreement.objects.get_or_create(
        stack=stack, educator=actor, defaults={"school": school}
    )
    agreement = StackAgreement.objects.select_for_update().get(pk=agreement.pk)
    latest = agreement.versions.order_by("-number").first()
    if latest is not None and not latest.decision:
        # A proposal nobody decided on yet is replaced by this one.
        latest.decision = AgreementVersion.Decision.REPLACED
        latest.decided_at = timezone.now()
        latest.save(update_fields=["decision", "decided_at"])
    version = AgreementVersion.objects.create(
        agreement=agreement,
        number=latest.number + 1 if latest else 1,
        growth_goal=goal,
        target_date=target_date,
        proposed_at=timezone.now(),
    )
    version.credentials.set(credentials)
    agreement.school = school
    agreement.state = StackAgreement.State.PROPOSED
    agreement.save(update_fields=["school", "state", "updated_at"])
    audit.record(
        actor,
        Event.AGREEMENT_PROPOSED,
        agreement,
        organization=school,
        stack=stack.slug,
        version=version.number,
        credentials=sorted(c.pk for c in credentials),
    )
    change = agreement.approved_id is not None
    notify(
        _school_leaders(school),
        actor=actor,
        verb=Verb.AGREEMENT_PROPOSED,
        text=f"{actor.get_full_name()} proposes {'a change to ' if change else ''}her "
        f"“{stack.title}” agreement: approve it or ask for changes.",
        url=agreement.get_absolute_url(),
        subject=subject_of(agreement),
        email_template="programs/email/proposed",
        context={"agreement": agreement, "version": version, "educator": actor, "change": change},
    )
    return agreement


@transaction.atomic
def agreement_decide(
    *, actor: User, agreement: StackAgreement, number: int, decision: str, comment: str
) -> AgreementVersion:
    """The school leader approves version `number` (the latest, waiting), requests changes
    to it or declines it, with a comment (required unless approving)."""
    agreement = (
        StackAgreement.objects.select_for_update(of=("self",))
        .select_related("stack", "school", "educator")
        .get(pk=agreement.pk)
    )
    permissions.require(actor, "programs.agree", agreement.school)
    if actor.pk == agreement.educator_id:
        raise InvalidTransition("You cannot decide on your own agreement.")
    latest = agreement.versions.order_by("-number").first()
    if latest is None or latest.decision:
        raise InvalidTransition("Nothing waits for a decision on this agreement.")
    if latest.number != number:
        raise InvalidTransition(
            f"{agreement.educator.get_full_name()} changed her proposal since you opened it: "
            f"read version {latest.number}, then decide."
        )
    if decision not in {
        AgreementVersion.Decision.APPROVED,
        AgreementVersion.Decision.CHANGES_REQUESTED,
        AgreementVersion.Decision.DECLINED,
    }:
        raise Invalid("Choose approve, request changes or decline.", field="decision")
    comment = comment.strip()
    if decision != AgreementVersion.Decision.APPROVED and not comment:
        raise Invalid(
            "Say what should change, or why you decline: she reads this comment.",
            field="comment",
        )
    if len(comment) > COMMENT_MAX_CHARS:
        raise Invalid(
            f"Keep the comment under {COMMENT_MAX_CHARS} characters; it has {len(comment)}.",
            field="comment",
        )
    now = timezone.now()
    latest.decision = decision
    latest.comment = comment
    latest.decided_by = actor
    latest.decided_at = now
    latest.save(update_fields=["decision", "comment", "decided_by", "decided_at"])
    fields = ["state", "updated_at"]
    if decision == AgreementVersion.Decision.APPROVED:
        agreement.approved = latest
        fields.append("approved")
    agreement.state = decision
    agreement.save(update_fields=fields)
    audit.record(
        actor,
        Event.AGREEMENT_DECIDED,
        agreement,
        organization=agreement.school,
        version=latest.number,
        decision=decision,
    )
    notifications_resolve(subject=subject_of(agreement))
    did = {
        AgreementVersion.Decision.APPROVED: "approved",
        AgreementVersion.Decision.CHANGES_REQUESTED: "asks for changes to",
        AgreementVersion.Decision.DECLINED: "declined",
    }[AgreementVersion.Decision(decision)]
    notify(
        [agreement.educator],
        actor=actor,
        verb=Verb.AGREEMENT_DECIDED,
        text=f"{actor.get_full_name()} {did} your “{agreement.stack.title}” agreement.",
        url=agreement.get_absolute_url(),
        email_template="programs/email/decided",
        context={"agreement": agreement, "version": latest, "leader": actor},
    )
    if decision == AgreementVersion.Decision.APPROVED:
        # She may have earned them all already: the worker completes the stack then.
        educator_id = agreement.educator_id
        transaction.on_commit(lambda: tasks.complete_stacks_of.enqueue(educator_id))
    return latest


# ----------------------------------------------------------------------------- recommendations

RECOMMEND_AT_ONCE = 2000  # educators one recommendation may reach (a large school's staff)
REASON_MAX_CHARS = 2000


@dataclass(frozen=True)
class Recommended:
    made: int  # new recommendations
    already: int  # educators who had it open already, or had earned it


def staff_of(actor: User, organization: Organization) -> list[User]:
    """The educators of `organization` and below, where the actor may recommend."""
    if not permissions.has_perm(actor, "programs.recommend", organization):
        raise Invalid("Choose a school you lead.", field="school")
    return list(
        User.objects.filter(
            memberships__role=Role.EDUCATOR,
            memberships__organization__path__startswith=organization.path,
            is_active=True,
        )
        .distinct()
        .order_by("pk")[: RECOMMEND_AT_ONCE + 1]
    )


def staff_by_email(actor: User, emails: Sequence[str]) -> list[User]:
    """The educators with these emails, each in an organization where the actor may
    recommend; refused, naming them, when some are not."""
    wanted = {e.strip().lower() for e in emails if e.strip()}
    if not wanted:
        raise Invalid("Give at least one educator's email.", field="emails")
    if len(wanted) > RECOMMEND_AT_ONCE:
        raise Invalid(f"Give at most {RECOMMEND_AT_ONCE} emails at once.", field="emails")
    found = {
        user.email.lower(): user
        for user in User.objects.annotate(email_lower=Lower("email"))
        .filter(
            tenancy.within(actor, "programs.recommend", field="memberships__organization"),
            memberships__role=Role.EDUCATOR,
            email_lower__in=wanted,
            is_active=True,
        )
        .distinct()
    }
    missing = sorted(wanted - set(found))
    if missing:
        shown = ", ".join(missing[:5]) + (
            f" and {len(missing) - 5} more" if len(missing) > 5 else ""
        )
        raise Invalid(f"Not an educator of the schools you lead: {shown}.", field="emails")
    return list(found.values())


@transaction.atomic
def credential_recommend(
    *,
    actor: User,
    credential: Credential,
    educators: Sequence[User],
    kind: str,
    reason: str,
    due_on: datetime.date | None = None,
) -> Recommended:
    """Recommend (or assign) the credential to each educator, with the reason; each is told.
    Those who have it open already, or earned it, are skipped and counted."""
    if kind not in Recommendation.Kind.values:
        raise Invalid("Choose recommend or assign.", field="kind")
    reason = reason.strip()
    if not reason:
        raise Invalid("Say why: the educator reads this reason.", field="reason")
    if len(reason) > REASON_MAX_CHARS:
        raise Invalid(f"Keep the reason under {REASON_MAX_CHARS} characters.", field="reason")
    if due_on is not None and due_on <= timezone.localdate():
        raise Invalid("Choose a date after today, or none.", field="due_on")
    if not educators:
        raise Invalid("Nobody to recommend it to: that school has no educators.", field="school")
    if len(educators) > RECOMMEND_AT_ONCE:
        raise Invalid(
            f"Recommend to at most {RECOMMEND_AT_ONCE} educators at once.", field="school"
        )
    if not Credential.objects.visible_to(actor).listed().filter(pk=credential.pk).exists():
        raise Invalid("Choose a published credential your staff can earn.", field="credential")
    homes = home_organizations(educators)
    for educator in educators:
        school = homes.get(educator.pk)
        if school is None or not permissions.has_perm(actor, "programs.recommend", school):
            raise Invalid(
                f"{educator.get_full_name()} is not an educator of the schools you lead.",
                field="emails",
            )
    ids = [e.pk for e in educators]
    skip = set(
        Recommendation.objects.filter(
            credential=credential, educator_id__in=ids, dismissed_at__isnull=True
        ).values_list("educator_id", flat=True)
    ) | set(
        Attempt.objects.filter(
            version__credential=credential, educator_id__in=ids, state=Attempt.State.EARNED
        ).values_list("educator_id", flat=True)
    )
    made = Recommendation.objects.bulk_create(
        Recommendation(
            credential=credential,
            educator=educator,
            organization=homes[educator.pk],
            kind=kind,
            reason=reason,
            due_on=due_on,
            recommended_by=actor,
        )
        for educator in educators
        if educator.pk not in skip
    )
    title = credential.current_version.title if credential.current_version else credential.slug
    audit.record(
        actor,
        Event.CREDENTIAL_RECOMMENDED,
        credential,
        organization=credential.organization,
        kind=kind,
        educators=len(made),
    )
    verb = "assigns you" if kind == Recommendation.Kind.ASSIGNED else "recommends"
    notify(
        [r.educator for r in made],
        actor=actor,
        verb=Verb.CREDENTIAL_RECOMMENDED,
        text=f"{actor.get_full_name()} {verb} “{title}”: {reason}",
        url=credential.get_absolute_url(),
        email_template="programs/email/recommended",
        context={
            "title": title,
            "reason": reason,
            "due_on": due_on,
            "leader": actor,
            "assigned": kind == Recommendation.Kind.ASSIGNED,
        },
    )
    return Recommended(made=len(made), already=len(skip))


@transaction.atomic
def recommendation_dismiss(*, actor: User, recommendation: Recommendation) -> None:
    """The educator puts a recommendation aside (an assignment stays until she earns it)."""
    recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    if recommendation.educator_id != actor.pk:
        raise InvalidTransition("Only the educator it was made to can dismiss it.")
    if recommendation.kind == Recommendation.Kind.ASSIGNED:
        raise InvalidTransition("An assignment stays until you earn the credential.")
    if recommendation.dismissed_at is not None:
        raise InvalidTransition("It is dismissed already.")
    recommendation.dismissed_at = timezone.now()
    recommendation.save(update_fields=["dismissed_at"])
    audit.record(actor, Event.RECOMMENDATION_DISMISSED, recommendation)


def recommend_to(
    *,
    actor: User,
    target: str,
    email: str = "",
    school: Organization | None = None,
    emails: str = "",
    **recommendation: object,
) -> Recommended:
    """`credential_recommend` to one educator (`email`), a school's educators (`school`),
    or a group (`emails`, one per line or separated by commas)."""
    if target == "person":
        educators = staff_by_email(actor, [email]) if email.strip() else []
        if not educators:
            raise Invalid("Give the educator's email.", field="email")
    elif target == "school":
        if school is None:
            raise Invalid("Choose a school.", field="school")
        educators = staff_of(actor, school)
    elif target == "group":
        educators = staff_by_email(actor, re.split(r"[\s,;]+", emails))
    else:
        raise Invalid("Choose one person, a school or a group.", field="target")
    return credential_recommend(actor=actor, educators=educators, **recommendation)  # type: ignore[arg-type]
