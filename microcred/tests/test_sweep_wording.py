"""Words and figures a walk through every page found wrong (issue 13's sweep): credit hours
written as people write them, "last worked 3 hours ago", and the feedback page addressing
the educator only when she is the one reading it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from microcred.assessment import services as assessment
from microcred.assessment.tests.factories import pool, submit_review, submitted_attempt
from microcred.catalog.tests.factories import draft_credential, published_credential
from microcred.core.templatetags.microcred import hours
from microcred.earning.models import Attempt
from microcred.earning.tests.factories import started_attempt

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("stored", "shown"), [("1.50", "1.5"), ("2.00", "2"), ("0.25", "0.25"), ("20", "20")]
)
def test_hours_drop_trailing_zeros(stored, shown):
    assert hours(stored) == shown


def test_the_catalog_card_says_1_5_credit_hours(client, designer_dan, reviewer_rita, north):
    published_credential(designer_dan, reviewer_rita, north, title="Exit tickets")  # 1.5 hours
    page = client.get(reverse("catalog:list")).content.decode()
    assert "1.5 credit hours" in page
    assert "1.50" not in page


def test_the_home_says_when_she_last_worked_without_a_stray_on(
    client, educator_ana, designer_dan, reviewer_rita, north
):
    credential = published_credential(designer_dan, reviewer_rita, north, title="Exit tickets")
    attempt = started_attempt(educator_ana, credential)
    Attempt.objects.filter(pk=attempt.pk).update(updated_at=timezone.now() - timedelta(hours=3))
    client.force_login(educator_ana)
    page = client.get("/").content.decode()
    assert "Last worked 3\xa0hours ago" in page
    assert "Last worked on" not in page


def test_the_feedback_page_speaks_to_the_educator_and_of_her_to_her_coach(
    client,
    world,
    educator_ana,
    coach_carmen,
    assessor_ben,
    issuer_carla,
    designer_dan,
    reviewer_rita,
    north,
):
    credential = published_credential(designer_dan, reviewer_rita, north, title="Exit tickets")
    pool(north, credential, [assessor_ben])
    review = submitted_attempt(educator_ana, credential).reviews.get()
    submit_review(review, failing={"Section 2"})
    assessment.submission_decide(
        actor=issuer_carla, submission=review.submission, outcome="not_yet", reason="Section 2."
    )
    url = reverse("assessment:feedback", args=[review.submission.attempt.public_id])
    client.force_login(educator_ana)
    page = client.get(url).content.decode()
    assert "you have used 0" in page
    client.force_login(coach_carmen)
    page = client.get(url).content.decode()
    assert "you have used" not in page
    name = educator_ana.get_short_name()
    assert f"{name} has used 0" in page
    assert f"{name} reworks only the sections marked" in page


def test_a_program_admin_s_assessment_page_points_to_running_it(client, admin_adam):
    client.force_login(admin_adam)
    page = client.get(reverse("assessment:index")).content.decode()
    assert "<h1>Run the assessment</h1>" in page
    assert 'aria-label="Your reviews"' not in page  # no row of zeros for reviews she never does
    assert f'href="{reverse("assessment:decisions")}">Decisions and assignments</a>' in page


def test_a_draft_s_overview_tells_a_non_designer_who_sends_it(
    client, admin_adam, designer_dan, north
):
    draft = draft_credential(designer_dan, north, title="Cold calls")
    client.force_login(admin_adam)
    page = client.get(reverse("studio:credential", args=[draft.pk])).content.decode()
    assert "Ready for review?" not in page
    assert "Send it to the review board" not in page
    assert f'href="{reverse("studio:preview", args=[draft.pk])}"' in page


def test_the_all_filter_links_to_the_plain_list(
    client, educator_ana, designer_dan, reviewer_rita, north
):
    draft_credential(designer_dan, north, title="Cold calls")
    credential = published_credential(designer_dan, reviewer_rita, north, title="Exit tickets")
    started_attempt(educator_ana, credential)
    client.force_login(educator_ana)
    page = client.get(reverse("earning:dashboard")).content.decode()
    assert 'href="?state="' not in page
    assert f'href="{reverse("earning:dashboard")}" aria-current="true">All <span' in page
    client.force_login(designer_dan)
    page = client.get(reverse("studio:index")).content.decode()
    assert 'href="?state="' not in page


def test_the_assessment_tab_says_overview_to_an_admin_who_reviews_nothing(
    client, admin_adam, assessor_ben
):
    client.force_login(admin_adam)
    page = client.get(reverse("assessment:calibration")).content.decode()
    assert ">Overview</a>" in page and "My reviews" not in page
    client.force_login(assessor_ben)
    assert ">My reviews</a>" in client.get(reverse("assessment:index")).content.decode()


def test_account_forms_use_the_products_words(client, educator_ana):
    login = client.get(reverse("account_login")).content.decode()
    assert "Keep me signed in on this device" in login and "Remember Me" not in login
    client.force_login(educator_ana)
    page = client.get(reverse("account_change_password")).content.decode()
    assert "Current password" in page and "New password, again" in page
    assert "Current Password" not in page and "(again)" not in page
