"""Inter-rater agreement from double-scored hand-ins, checked against figures worked by hand."""

from __future__ import annotations

from django.urls import reverse

from microcred.assessment import selectors, services
from microcred.assessment.tests.factories import assessor, pool, submitted_attempt
from microcred.core.models import Role
from microcred.core.tests.factories import member


def _score(review, positions: list[int], recommendation: str) -> None:
    scores = {}
    for section, position in zip(
        review.submission.sections.order_by("position"), positions, strict=True
    ):
        level = section.levels.get(position=position)
        scores[section.pk] = (level.pk, "" if position else "Show the next-day regrouping.")
    services.review_save(
        actor=review.assessor,
        review=review,
        scores=scores,
        recommendation=recommendation,
        summary="Summary.",
        submit=True,
    )


def test_cohen_kappa_of_a_degenerate_table_is_defined():
    # Both raters always chose the same single level: pe = 1; perfect agreement → 1.0.
    assert selectors.cohen_kappa([(1, 1), (1, 1)]) == 1.0
    assert selectors.cohen_kappa([]) is None


def test_calibration_figures_match_a_hand_computed_example(client, world, credential, admin_adam):
    """Two hand-ins, scored blind by Ben (primary) and Fay (second); level positions:

        hand-in A: Ben 1 1 1 · Fay 1 1 1
        hand-in B: Ben 1 2 1 · Fay 1 1 0

    Section 1: (1,1),(1,1): exact 100 %; pe = 1 and po = 1 → kappa 1.0.
    Section 2: (1,1),(2,1): exact 50 %; Ben {1:1, 2:1}, Fay {1:2} → pe = (1·2)/4 = .5,
               kappa = (.5 − .5)/(1 − .5) = 0.
    Section 3: (1,1),(1,0): exact 50 %; Ben {1:2}, Fay {1:1, 0:1} → pe = .5, kappa = 0.
    The pair over all six items: 4 exact → 66.7 % (below 70 %); Ben {1:5, 2:1},
    Fay {1:5, 0:1} → pe = 25/36, po = 24/36, kappa = (−1/36)/(11/36) = −1/11 = −0.091.
    """
    ben = world.north.people[Role.ASSESSOR]
    fay = assessor(world.north.organization, "Fay")
    pool(world.north.organization, credential, [ben, fay], double_scoring=True)
    for ben_levels, fay_levels in (([1, 1, 1], [1, 1, 1]), ([1, 2, 1], [1, 1, 0])):
        submission = submitted_attempt(member(world.north.school, Role.EDUCATOR), credential)
        for review in submission.reviews.all():
            levels = ben_levels if review.assessor == ben else fay_levels
            _score(review, levels, "award" if min(levels) >= 1 else "not_yet")

    report = selectors.calibration(actor=admin_adam)
    assert report.submissions == 2
    by_section = {a.label: (a.n, a.percent, a.kappa) for a in report.sections}
    assert by_section == {
        "Section 1": (2, 100.0, 1.0),
        "Section 2": (2, 50.0, 0.0),
        "Section 3": (2, 50.0, 0.0),
    }
    (pair,) = report.pairs
    assert (pair.n, pair.percent, pair.kappa) == (6, 66.7, -0.091)

    client.force_login(admin_adam)
    body = client.get(reverse("assessment:calibration")).content.decode()
    assert "Below 70 %" in body and "66.7 %" in body and "-0.09" in body
    body = client.get(reverse("assessment:calibration"), {"threshold": "60"}).content.decode()
    assert "Below 60 %" in body and "66.7 %" in body
