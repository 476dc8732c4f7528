"""The grading rule, kept in this one place: which review a decision rests on, and the level
each rubric section reached in a decided hand-in.

- A decision rests on the latest submitted review of the first kind present, in the order
  appeal, adjudication, primary when the hand-in's latest decision answered an appeal, and
  adjudication, primary, second otherwise.
- A section that hand-in's decisive review scored has that review's level. A section it did
  not score (a resubmission covers only what did not pass) carries over the passing level of
  the latest earlier decided hand-in where it passed.

The functions are pure, over submissions, reviews and scores already read; `read_hand_ins`
reads them for many attempts in a fixed number of queries. The feedback page, what a
resubmission covers, the award's stored results (the decide service) and the migration that
stored them for earlier awards all come through here. They use no model class of their own
(only field names and the states' values), so the migration can hand them its historical
models.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.apps import apps as installed_apps
from django.db.models import Prefetch
from django.utils import timezone

SUBMITTED = "submitted"  # Review.State.SUBMITTED
DECIDED = "decided"  # Submission.State.DECIDED
PRIMARY, SECOND, ADJUDICATION, APPEAL = "primary", "second", "adjudication", "appeal"
AFTER_APPEAL = (APPEAL, ADJUDICATION, PRIMARY)
FIRST_DECISION = (ADJUDICATION, PRIMARY, SECOND)


def level_passes(section: Any, level: Any) -> bool:
    """A level passes when it is at or above the section's passing level (any level passes
    a section without one)."""
    if level is None:
        return False
    if section.passing_level is None:
        return True
    return bool(level.position >= section.passing_level.position)


def answered_appeal(decisions: Iterable[Any]) -> bool:
    """The hand-in's latest decision is the final decision on an appeal."""
    latest = max(decisions, key=lambda d: (d.decided_at, d.pk), default=None)
    return latest is not None and latest.appeal_id is not None


def decisive(reviews: Iterable[Any], *, appealed: bool) -> Any | None:
    """The review a decision rests on, of a hand-in's reviews (submitted ones count)."""
    submitted = [r for r in reviews if r.state == SUBMITTED]
    for kind in AFTER_APPEAL if appealed else FIRST_DECISION:
        mine = [r for r in submitted if r.kind == kind]
        if mine:
            return max(mine, key=lambda r: (r.submitted_at or timezone.now(), r.pk))
    return None


def decisive_review(submission: Any) -> Any | None:
    """The review a hand-in's decision rests on, from its reviews and decisions."""
    return decisive(submission.reviews.all(), appealed=answered_appeal(submission.decisions.all()))


def passed_before(earlier: Iterable[Any]) -> dict[int, Any]:
    """Section id → the score with which it passed, in the latest of `earlier` (decided
    hand-ins, newest first) where it passed."""
    found: dict[int, Any] = {}
    for hand_in in earlier:
        review = decisive_review(hand_in)
        if review is None:
            continue
        for score in review.scores.all():
            if score.section_id not in found and level_passes(score.section, score.level):
                found[score.section_id] = score
    return found


@dataclass(frozen=True, slots=True)
class Result:
    """The level a section reached (the score that gave it), and whether it was carried over
    from an earlier hand-in."""

    score: Any
    carried_over: bool

    @property
    def section_id(self) -> int:
        return int(self.score.section_id)

    @property
    def level_id(self) -> int | None:
        return self.score.level_id

    @property
    def review_id(self) -> int:
        return int(self.score.review_id)


def results(hand_ins: Sequence[Any]) -> dict[int, Result]:
    """Section id → the result of the first of `hand_ins` (a decided hand-in, then the
    attempt's earlier decided ones, newest first, as `read_hand_ins` gives them)."""
    if not hand_ins:
        return {}
    current, *earlier = hand_ins
    review = decisive_review(current)
    found = {s.section_id: Result(s, False) for s in review.scores.all()} if review else {}
    for section_id, score in passed_before(earlier).items():
        found.setdefault(section_id, Result(score, True))
    return found


def read_hand_ins(up_to: Mapping[int, int], *, registry: Any = None) -> dict[int, list[Any]]:
    """For each attempt id → hand-in number, the attempt's decided hand-ins up to that number,
    newest first, with their decisions and submitted reviews (scores with level and section)
    read: four queries however many attempts (a later hand-in is read and left out). `registry` is a migration's historical apps."""
    registry = registry or installed_apps
    submission_model = registry.get_model("earning", "Submission")
    review_model = registry.get_model("assessment", "Review")
    score_model = registry.get_model("assessment", "SectionScore")
    found: dict[int, list[Any]] = {attempt_id: [] for attempt_id in up_to}
    if not up_to:
        return found
    rows = (
        submission_model.objects.filter(attempt_id__in=list(up_to), state=DECIDED)
        .prefetch_related(
            "decisions",
            Prefetch(
                "reviews",
                queryset=review_model.objects.filter(state=SUBMITTED).prefetch_related(
                    Prefetch(
                        "scores",
                        queryset=score_model.objects.select_related(
                            "level", "section__passing_level"
                        ),
                    )
                ),
            ),
        )
        .order_by("attempt_id", "-number")
    )
    for row in rows:
        if row.number <= up_to[row.attempt_id]:
            found[row.attempt_id].append(row)
    return found


def award_results(awards: Sequence[Any], *, registry: Any = None) -> list[Any]:
    """The results each award stores (unsaved AwardResult rows), by this rule, for awards
    read with their decision's submission."""
    registry = registry or installed_apps
    result_model = registry.get_model("assessment", "AwardResult")
    submissions = {award.pk: award.decision.submission for award in awards}
    hand_ins = read_hand_ins(
        {s.attempt_id: s.number for s in submissions.values()}, registry=registry
    )
    rows = []
    for award in awards:
        for result in results(hand_ins[submissions[award.pk].attempt_id]).values():
            rows.append(
                result_model(
                    award_id=award.pk,
                    section_id=result.section_id,
                    level_id=result.level_id,
                    review_id=result.review_id,
                    carried_over=result.carried_over,
                )
            )
    return rows
