"""The demo installation loads through the real services, once, with work in every state."""

from __future__ import annotations

import pytest

from microcred.assessment.models import Award, Review
from microcred.core.models import User
from microcred.demo import loader
from microcred.earning.models import Attempt, Evidence

pytestmark = pytest.mark.django_db


def test_the_demo_loads_once_with_attempts_in_each_state():
    assert loader.load() is True
    assert loader.load() is False
    ana = User.objects.get(email="ana@riverbend.example")
    states = dict(
        Attempt.objects.filter(educator=ana).values_list("version__credential__slug", "state")
    )
    assert states == {
        "exit-tickets": "earned",
        "data-team-meetings": "not_yet",
        "number-talks": "in_progress",
    }
    assert Award.objects.filter(attempt__educator=ana).count() == 1
    ben = User.objects.get(email="ben@riverbend.example")
    queue = Review.objects.filter(assessor=ben, state__in=("assigned", "draft"))
    assert sorted(r.submission.attempt.version.credential.slug for r in queue) == [
        "data-team-meetings",
        "exit-tickets",
    ]
    assert {r.submission.attempt.educator.email for r in queue} == {"maya@riverbend.example"}
    video = Evidence.objects.filter(content_type="video/webm").first()
    assert video is not None and video.size > 1000


def test_the_demo_has_double_scored_hand_ins_for_the_calibration_report():
    from microcred.assessment import selectors

    assert loader.load() is True
    alex = User.objects.get(email="alex@lakeshore.example")
    report = selectors.calibration(actor=alex)
    assert report.submissions == 4
    assert [p.label for p in report.pairs] == ["Omar Ortiz & Nia Nash"]
    below = [s.label for s in report.sections if s.percent is not None and s.percent < 70]
    assert below == ["Discussion questions"]
    # The assessors agreed on the outcome, so each hand-in was decided automatically.
    earned = Attempt.objects.filter(
        version__credential__slug="accountable-talk", state="earned"
    ).count()
    assert earned == 4
    # Riverbend's admin sees none of Lakeshore's figures.
    adam = User.objects.get(email="adam@riverbend.example")
    assert selectors.calibration(actor=adam).submissions == 0


def test_the_demo_offers_riverbends_stacks_with_anas_progress_and_agreement():
    from microcred.programs import selectors

    loader.load()
    ana = User.objects.get(email="ana@riverbend.example")
    offered = {p.stack.title: p for p in selectors.stacks_page(actor=ana)["offered"]}
    assert sorted(offered) == ["Riverbend coaching pathway", "Riverbend teacher leader"]
    # Her teacher-leader agreement is approved: exit tickets, earned, counts.
    leader = offered["Riverbend teacher leader"]
    assert leader.stack.rule == "agreed" and leader.stack.grant_title == "Teacher leader"
    assert (leader.counted, leader.needed) == (1, 12)  # twelve agreed, as in Juab
    assert len(selectors.agreed_credentials(ana, [leader.stack])[leader.stack.pk]) == 12
    # Tess's proposal waits for Dee, her principal.
    dee = User.objects.get(email="dee@riverbend.example")
    lists = selectors.agreements_list(actor=dee)
    assert [a.educator.email for a in lists["waiting"]] == ["tess@riverbend.example"]
    assert [a.educator.email for a in lists["following"]] == ["ana@riverbend.example"]
    # Dee recommended observation-feedback cycles to her school; Ana sees it at home.
    assert [r.credential.slug for r in selectors.recommendations_for(educator=ana)] == [
        "observation-feedback-cycles"
    ]
    progress = offered["Riverbend coaching pathway"]
    assert progress.stack.grant_title == "Instructional coach"
    # Exit tickets is earned and required; Data team meetings, required, is "not yet".
    states = {row.part.credential.slug: row.state for row in progress.rows}
    assert states["exit-tickets"] == "earned"
    assert states["data-team-meetings"] == "in_progress"
    assert (progress.counted, progress.needed) == (1, 4)


def test_the_demo_ledger_has_fees_stipends_a_reversal_and_entries_waiting():
    from microcred.programs.models import LedgerEntry

    loader.load()
    entries = LedgerEntry.objects.filter(terms__organization__slug="riverbend")
    kinds = set(entries.values_list("kind", flat=True))
    assert kinds == {"fee", "credential_stipend", "reversal"}
    reversal = entries.get(kind="reversal")
    assert (reversal.amount, reversal.reverses.educator.email) == (-200, "leo@riverbend.example")
    assert entries.filter(approved_at__isnull=True).count() == 3
    # One fee per attempt: Maya's resubmitted data-team attempt paid once.
    maya_fees = entries.filter(kind="fee", educator__email="maya@riverbend.example")
    assert maya_fees.count() == len({e.attempt_id for e in maya_fees})
