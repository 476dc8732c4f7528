"""Reads of the programs app: the stacks a person is offered or designs, and progress."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from microcred.catalog.models import Credential
from microcred.core import permissions, tenancy
from microcred.core.models import Organization, User
from microcred.earning.models import Attempt
from microcred.earning.standing import Standing
from microcred.programs.models import (
    AgreementVersion,
    LedgerEntry,
    ProgramTerms,
    Recommendation,
    SchoolBudget,
    Stack,
    StackAgreement,
    StackCompletion,
    StackComponent,
)
from microcred.programs.rules import StackRule

EARNED, IN_PROGRESS, NOT_STARTED = "earned", "in_progress", "not_started"
STATE_LABELS = {EARNED: "Earned", IN_PROGRESS: "In progress", NOT_STARTED: "Not started"}
STACKS_SHOWN = 50  # the most stacks a list shows (an organization offers a handful)


def rule_of(stack: Stack, agreed: frozenset[int] = frozenset()) -> StackRule:
    """The stack's rule; for an "agreed" stack, the educator's approved credentials (`agreed`;
    none: nothing completes it)."""
    parts = stack.parts
    if stack.rule == Stack.Rule.AGREED:
        return StackRule(Stack.Rule.ALL, None, agreed, frozenset())
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


def agreed_credentials(educator: User, stacks: list[Stack]) -> dict[int, frozenset[int]]:
    """Per "agreed" stack among `stacks`, the credentials of the educator's approved
    agreement (one query; none when no such stack is given)."""
    ids = [stack.pk for stack in stacks if stack.rule == Stack.Rule.AGREED]
    if not ids:
        return {}
    rows = AgreementVersion.credentials.through.objects.filter(
        agreementversion__agreement__educator=educator,
        agreementversion__agreement__stack_id__in=ids,
        agreementversion__agreement__approved=models.F("agreementversion"),
    ).values_list("agreementversion__agreement__stack_id", "credential_id")
    agreed: dict[int, set[int]] = {}
    for stack_id, credential_id in rows:
        agreed.setdefault(stack_id, set()).add(credential_id)
    return {stack_id: frozenset(found) for stack_id, found in agreed.items()}


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


def _progress(
    stack: Stack, states: dict[int, str], agreed: frozenset[int] | None = None
) -> Progress:
    """Progress toward the stack; for an "agreed" stack, toward the credentials agreed (none
    agreed yet: every credential offered, nothing counted, the number to agree needed)."""
    earned = {cid for cid, state in states.items() if state == EARNED}
    parts = stack.parts
    if stack.rule == Stack.Rule.AGREED and not agreed:
        return Progress(
            stack=stack,
            rows=[PartRow(part, states.get(part.credential_id, NOT_STARTED)) for part in parts],
            counted=0,
            needed=stack.choose or 0,
        )
    if stack.rule == Stack.Rule.AGREED:
        parts = [part for part in parts if part.credential_id in (agreed or ())]
    rule = rule_of(stack, agreed or frozenset())
    return Progress(
        stack=stack,
        rows=[PartRow(part, states.get(part.credential_id, NOT_STARTED)) for part in parts],
        counted=rule.counted(earned),
        needed=rule.needed,
    )


def stacks_page(*, actor: User) -> dict[str, Any]:
    """The stacks offered to the person, with their progress toward each (an educator), and
    the ones they design (a program admin), drafts included."""
    offered = list(with_parts(Stack.objects.offered_to(actor)).order_by("title")[:STACKS_SHOWN])
    states = credential_states(actor, {p.credential_id for s in offered for p in s.parts})
    agreed = agreed_credentials(actor, offered)
    designed = list(
        with_parts(Stack.objects.designed_by(actor)).order_by("-created_at")[:STACKS_SHOWN]
    )
    return {
        "offered": [_progress(stack, states, agreed.get(stack.pk)) for stack in offered],
        "agreements": agreements_list(actor=actor) if _follows(actor) else None,
        "designed": designed,
        "can_design": permissions.has_perm_anywhere(actor, "programs.manage"),
        "can_recommend": permissions.has_perm_anywhere(actor, "programs.recommend"),
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
    agreement = None
    if stack.rule == Stack.Rule.AGREED:
        agreement = (
            StackAgreement.objects.filter(stack=stack, educator=actor)
            .select_related("approved")
            .first()
        )
    agreed = agreed_credentials(actor, [stack]).get(stack.pk) if agreement else None
    return {
        "stack": stack,
        "completion": completion,
        "agreement": agreement,
        "can_agree": stack.rule == Stack.Rule.AGREED
        and stack.published_at is not None
        and permissions.has_perm_anywhere(actor, "earning.earn"),
        "progress": _progress(stack, states, agreed),
        "can_publish": stack.published_at is None
        and permissions.has_perm(actor, "programs.manage", stack.organization),
        "can_manage": permissions.has_perm(actor, "programs.manage", stack.organization),
    }


# ----------------------------------------------------------------------------- agreements

AGREEMENTS_SHOWN = 50  # per list; a school's leader follows a few dozen at most


def _follows(actor: User) -> bool:
    return permissions.has_perm_anywhere(actor, "programs.follow")


def _agreements_base() -> QuerySet[StackAgreement]:
    return StackAgreement.objects.select_related("stack", "educator", "school", "approved")


def _with_counts(agreements: list[StackAgreement]) -> list[StackAgreement]:
    """Each agreement's `earned` / `agreed` counts of its approved version and whether the
    stack is `completed` (three queries)."""
    approved_ids = [a.approved_id for a in agreements if a.approved_id]
    chosen: dict[int, set[int]] = {}
    for version_id, credential_id in AgreementVersion.credentials.through.objects.filter(
        agreementversion_id__in=approved_ids
    ).values_list("agreementversion_id", "credential_id"):
        chosen.setdefault(version_id, set()).add(credential_id)
    earned: set[tuple[int, int]] = set()
    if chosen:
        rows = Attempt.objects.filter(
            educator_id__in={a.educator_id for a in agreements},
            version__credential_id__in=set().union(*chosen.values()),
            state=Attempt.State.EARNED,
        ).values_list("educator_id", "version__credential_id", "revoked_at", "valid_until")
        earned = {
            (educator_id, credential_id)
            for educator_id, credential_id, revoked_at, valid_until in rows
            if Standing.of(revoked_at=revoked_at, valid_until=valid_until).counts
        }
    completed = set(
        StackCompletion.objects.filter(
            educator_id__in={a.educator_id for a in agreements},
            stack_id__in={a.stack_id for a in agreements},
        ).values_list("educator_id", "stack_id")
        if agreements
        else ()
    )
    for agreement in agreements:
        agreement.completed = (agreement.educator_id, agreement.stack_id) in completed  # type: ignore[attr-defined]
        ids = chosen.get(agreement.approved_id or 0, set())
        agreement.agreed_count = len(ids)  # type: ignore[attr-defined]
        agreement.earned_count = sum(  # type: ignore[attr-defined]
            1 for cid in ids if (agreement.educator_id, cid) in earned
        )
    return agreements


def agreements_list(*, actor: User) -> dict[str, list[StackAgreement]]:
    """The agreements a person deals with: her own (an educator), those waiting for her
    decision (a school leader) and the approved ones she follows (a leader, a program
    admin), newest first, each with its progress counts."""
    mine = list(
        _agreements_base().filter(educator=actor).order_by("-updated_at")[:AGREEMENTS_SHOWN]
    )
    waiting: list[StackAgreement] = []
    following: list[StackAgreement] = []
    if permissions.has_perm_anywhere(actor, "programs.agree"):
        waiting = list(
            _agreements_base()
            .filter(tenancy.within(actor, "programs.agree", field="school"))
            .filter(state=StackAgreement.State.PROPOSED)
            .exclude(educator=actor)
            .order_by("updated_at")[:AGREEMENTS_SHOWN]
        )
    if _follows(actor):
        following = list(
            _agreements_base()
            .filter(tenancy.within(actor, "programs.follow", field="school"))
            .filter(approved__isnull=False)
            .exclude(educator=actor)
            .order_by("-updated_at")[:AGREEMENTS_SHOWN]
        )
    _with_counts(mine + waiting + following)
    return {"mine": mine, "waiting": waiting, "following": following}


def agreement_form(*, actor: User, slug: str) -> dict[str, Any]:
    """The "agreed" stack offered to the person (else Stack.DoesNotExist, a 404), her
    agreement of it if any, and its latest version as the form's starting point."""
    stack = with_parts(Stack.objects.offered_to(actor)).get(slug=slug, rule=Stack.Rule.AGREED)
    agreement = StackAgreement.objects.filter(stack=stack, educator=actor).first()
    latest = agreement.versions.prefetch_related("credentials").first() if agreement else None
    initial: dict[str, Any] = {}
    if latest is not None:
        initial = {
            "credentials": [c.pk for c in latest.credentials.all()],
            "growth_goal": latest.growth_goal,
            "target_date": latest.target_date,
        }
    return {"stack": stack, "agreement": agreement, "latest": latest, "initial": initial}


@dataclass
class VersionView:
    version: AgreementVersion
    titles: list[str]
    base: int | None = None  # the version it is compared with: the one in force, or before
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def _title(credential: Any) -> str:
    version = credential.current_version
    return version.title if version else credential.slug


def agreement_page(*, actor: User, pk: int) -> dict[str, Any]:
    """One agreement, for its educator and the leaders and program admins over her school
    (anyone else: StackAgreement.DoesNotExist, a 404): its versions with the leader's
    comments, what a waiting change adds or removes, and progress on the one in force."""
    visible = StackAgreement.objects.filter(
        models.Q(educator=actor) | tenancy.within(actor, "programs.follow", field="school")
    )
    agreement = _agreements_base().filter(pk__in=visible.values("pk")).get(pk=pk)
    versions = list(
        agreement.versions.select_related("decided_by").prefetch_related(
            Prefetch(
                "credentials",
                queryset=Credential.objects.select_related("current_version").only(
                    "slug", "current_version__title", "current_version__credential_id"
                ),
            )
        )
    )
    in_force = next((v for v in versions if v.pk == agreement.approved_id), None)
    force_ids = {c.pk for c in in_force.credentials.all()} if in_force else set()
    views = []
    for position, version in enumerate(versions):
        credentials = list(version.credentials.all())
        view = VersionView(version, sorted(_title(c) for c in credentials))
        # What it changes: against the version in force, or else the one before it.
        base = in_force
        if base is None and position + 1 < len(versions):
            base = versions[position + 1]
        if base is not None and version.number > base.number:
            ids = {c.pk for c in credentials}
            base_ids = {c.pk for c in base.credentials.all()}
            view.base = base.number
            view.added = sorted(_title(c) for c in credentials if c.pk not in base_ids)
            view.removed = sorted(_title(c) for c in base.credentials.all() if c.pk not in ids)
        views.append(view)
    stack = with_parts(Stack.objects.filter(pk=agreement.stack_id)).get()
    states = credential_states(agreement.educator, {p.credential_id for p in stack.parts})
    completion = StackCompletion.objects.filter(stack=stack, educator=agreement.educator).first()
    latest = versions[0]
    return {
        "agreement": agreement,
        "stack": stack,
        "versions": views,
        "latest": latest,
        "in_force": in_force,
        "progress": _progress(stack, states, frozenset(force_ids)) if in_force else None,
        "completion": completion,
        "is_educator": agreement.educator_id == actor.pk,
        "can_decide": not latest.decision
        and agreement.educator_id != actor.pk
        and permissions.has_perm(actor, "programs.agree", agreement.school),
    }


# ----------------------------------------------------------------------------- ledger

LEDGER_ROWS = 50  # entries a ledger list shows; the payroll CSV has every one


def ledger_organizations(actor: User) -> list[Any]:
    """The organizations whose program the person runs (program admin), by name."""
    return list(
        Organization.objects.filter(tenancy.within(actor, "programs.manage", field=""))
        .filter(kind__in=("state", "district"))
        .order_by("name")[:STACKS_SHOWN]
    )


def ledger_page(*, actor: User, organization: Any) -> dict[str, Any]:
    """A program's ledger for its admin: the terms, each school's year against its budget,
    the entries waiting for approval, the latest approved, and the educators' balances, all
    summed in the database and bounded."""
    terms = ProgramTerms.objects.filter(organization=organization).first()
    context: dict[str, Any] = {"organization": organization, "terms": terms}
    if terms is None:
        return context
    year = timezone.now().year
    entries = LedgerEntry.objects.filter(terms=terms)
    # This year's entries, summed from the index `ledger_by_terms_year` alone; the names of
    # the (bounded) rows shown are read after.
    this_year = entries.filter(
        created_at__gte=_new_year(year), created_at__lt=_new_year(year + 1)
    ).order_by()
    schools: list[dict[str, Any]] = [
        dict(row)
        for row in this_year.values("school_id").annotate(
            approved=Sum("district_cost", filter=Q(approved_at__isnull=False), default=0),
            pending=Sum("district_cost", filter=Q(approved_at__isnull=True), default=0),
        )
    ]
    budgets = {
        school_id: (name, amount)
        for school_id, name, amount in SchoolBudget.objects.filter(
            terms=terms, year=year
        ).values_list("school_id", "school__name", "amount")[:LEDGER_ROWS]
    }
    listed = {row["school_id"] for row in schools}
    schools += [
        {"school_id": pk, "approved": 0, "pending": 0} for pk in budgets if pk not in listed
    ]
    balances: list[dict[str, Any]] = [
        dict(row)
        for row in this_year.values("educator_id", "school_id")
        .annotate(
            paid=Sum("amount", filter=Q(approved_at__isnull=False), default=0),
            waiting=Sum("amount", filter=Q(approved_at__isnull=True), default=0),
            n=Count("*"),
        )
        .order_by("-paid", "educator_id")[:LEDGER_ROWS]
    ]
    _name_rows(schools, balances)
    schools = sorted(schools, key=lambda row: row["school__name"])[:LEDGER_ROWS]
    for row in schools:
        row["budget"] = budgets[row["school_id"]][1] if row["school_id"] in budgets else None
        row["left"] = row["budget"] - row["approved"] if row["budget"] is not None else None
    pending = list(
        entries.filter(approved_at__isnull=True)
        .select_related("educator", "school")
        .order_by("created_at", "pk")[:LEDGER_ROWS]
    )
    context.update(
        year=year,
        schools=schools,
        pending=pending,
        pending_count=entries.filter(approved_at__isnull=True).count(),
        approved=list(
            entries.filter(approved_at__isnull=False)
            .select_related("educator", "school")
            .order_by("-approved_at", "-pk")[:LEDGER_ROWS]
        ),
        balances=balances,
        rows_shown=LEDGER_ROWS,
        period=timezone.now().strftime("%Y-%m"),
    )
    return context


def _new_year(year: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, 1, 1))


def _name_rows(schools: list[dict[str, Any]], balances: list[dict[str, Any]]) -> None:
    """Put the schools' and educators' names on the ledger's rows (two queries)."""
    school_ids = {row["school_id"] for row in schools} | {row["school_id"] for row in balances}
    names = dict(Organization.objects.filter(pk__in=school_ids).values_list("pk", "name"))
    people = dict(
        User.objects.filter(pk__in=[row["educator_id"] for row in balances]).values_list(
            "pk", "full_name"
        )
    )
    for row in schools + balances:
        row["school__name"] = names.get(row["school_id"], "")
    for row in balances:
        row["educator__full_name"] = people.get(row["educator_id"], "")


def my_ledger(*, actor: User) -> dict[str, Any]:
    """The educator's own stipends and fees, newest first, with her totals."""
    entries = LedgerEntry.objects.filter(educator=actor)
    totals = entries.aggregate(
        paid=Sum("amount", filter=Q(approved_at__isnull=False), default=0),
        waiting=Sum("amount", filter=Q(approved_at__isnull=True), default=0),
    )
    return {
        "entries": list(
            entries.select_related("terms").order_by("-created_at", "-pk")[:LEDGER_ROWS]
        ),
        "totals": totals,
        "currency": entries.values_list("currency", flat=True).first() or "USD",
    }


# ----------------------------------------------------------------------------- recommendations

RECOMMENDATIONS_SHOWN = 50


def _with_states(recommendations: list[Recommendation]) -> list[Recommendation]:
    """Each recommendation's `state` for its educator (earned, in progress, not started):
    one query for them all."""
    if not recommendations:
        return recommendations
    rows = (
        Attempt.objects.filter(
            educator_id__in={r.educator_id for r in recommendations},
            version__credential_id__in={r.credential_id for r in recommendations},
        )
        .exclude(state__in=(Attempt.State.WITHDRAWN, Attempt.State.REJECTED))
        .values_list("educator_id", "version__credential_id", "state", "revoked_at", "valid_until")
    )
    states: dict[tuple[int, int], str] = {}
    for educator_id, credential_id, state, revoked_at, valid_until in rows:
        key = (educator_id, credential_id)
        if state == Attempt.State.EARNED:
            if Standing.of(revoked_at=revoked_at, valid_until=valid_until).counts:
                states[key] = EARNED
        elif states.get(key) != EARNED:
            states[key] = IN_PROGRESS
    for r in recommendations:
        r.state = states.get((r.educator_id, r.credential_id), NOT_STARTED)  # type: ignore[attr-defined]
        r.state_label = STATE_LABELS[r.state]  # type: ignore[attr-defined]
    return recommendations


def recommendations_made(*, actor: User) -> list[Recommendation]:
    """The latest recommendations the person made, with where each educator stands."""
    return _with_states(
        list(
            Recommendation.objects.filter(recommended_by=actor)
            .select_related("educator", "credential__current_version", "organization")
            .order_by("-created_at", "-pk")[:RECOMMENDATIONS_SHOWN]
        )
    )


def recommendations_for(*, educator: User) -> list[Recommendation]:
    """What her leaders recommended or assigned to the educator and she has not earned,
    due first, then newest (the home page's part)."""
    open_ = _with_states(
        list(
            Recommendation.objects.filter(educator=educator, dismissed_at__isnull=True)
            .select_related("credential__current_version", "recommended_by")
            .order_by(models.F("due_on").asc(nulls_last=True), "-created_at")[
                :RECOMMENDATIONS_SHOWN
            ]
        )
    )
    return [r for r in open_ if r.state != EARNED]  # type: ignore[attr-defined]
