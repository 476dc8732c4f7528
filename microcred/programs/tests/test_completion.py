"""Completing a stack: its badge is signed once, through the badge service, as an Open Badges
3.0 credential naming the credentials it counts and citing the earner's badges for them; the
status it grants runs for the program's period, and ends when the badge or a credential it
counts is revoked."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from lxml import html

from microcred.badges import compose, verify
from microcred.badges import services as badge_services
from microcred.badges.models import IssuedCredential
from microcred.badges.tests.factories import awarded
from microcred.catalog.tests.factories import published_credential
from microcred.core.audit import Event
from microcred.core.models import AuditEvent
from microcred.programs import completion, services
from microcred.programs.models import StackCompletion

pytestmark = pytest.mark.django_db


@pytest.fixture
def three(designer_dan, reviewer_rita, north):
    return [
        published_credential(designer_dan, reviewer_rita, north, title=title)
        for title in ("Exit tickets", "Small-group reading", "Feedback that moves learning")
    ]


@pytest.fixture
def stack(admin_adam, north, three):
    made = services.stack_create(
        actor=admin_adam,
        organization=north,
        title="Riverbend teacher leader",
        summary="Lead learning beyond your classroom.",
        rule="required_plus",
        choose=1,
        credentials=three,
        required=three[:1],
        grants="status",
        grant_title="Teacher leader",
        grant_months=12,
    )
    return services.stack_publish(actor=admin_adam, stack=made)


@pytest.fixture
def earn(educator_ana, assessor_ben, issuer_carla, django_capture_on_commit_callbacks):
    """Ana earns a credential; the award's tasks run (her badge, then her stacks)."""

    def earn(credential):
        with django_capture_on_commit_callbacks(execute=True):
            return awarded(
                educator=educator_ana,
                credential=credential,
                assessor=assessor_ben,
                issuer=issuer_carla,
            )

    return earn


def _badge(educator) -> IssuedCredential:
    return IssuedCredential.objects.get(earner=educator, award__isnull=True)


def test_the_award_that_completes_a_stack_signs_its_badge_once(stack, three, earn, educator_ana):
    earn(three[0])
    assert not StackCompletion.objects.exists()
    earn(three[2])  # the required one and one elective: complete
    done = StackCompletion.objects.get()
    assert (done.stack, done.educator, done.status_title) == (stack, educator_ana, "Teacher leader")
    assert sorted(c.pk for c in done.counted.all()) == sorted([three[0].pk, three[2].pk])
    assert done.status_until == badge_services.months_later(done.completed_at, 12)
    badge = done.credential
    assert (badge.award, badge.earner, badge.title) == (None, educator_ana, stack.title)
    assert badge.valid_until == done.status_until
    # Running it again (another award, a retried task) issues nothing more.
    assert completion.stacks_complete(educator=educator_ana) == []
    earn(three[1])
    assert IssuedCredential.objects.filter(award__isnull=True).count() == 1
    assert AuditEvent.objects.filter(verb=Event.STACK_COMPLETED).count() == 1


def test_the_stack_badge_names_the_component_achievements_and_verifies(
    stack, three, earn, educator_ana
):
    earn(three[0])
    earn(three[1])
    badge = _badge(educator_ana)
    document = json.loads(badge.document)
    achievement = document["credentialSubject"]["achievement"]
    assert achievement["name"] == "Riverbend teacher leader"
    assert achievement["achievementType"] == "LearningProgram"
    assert [(a["targetName"], a["targetType"]) for a in achievement["alignment"]] == [
        ("Exit tickets", "ceterms:Credential"),
        ("Small-group reading", "ceterms:Credential"),
    ]
    components = IssuedCredential.objects.filter(earner=educator_ana, award__isnull=False)
    cited = {e["id"] for e in document["evidence"]}
    assert cited == {compose.absolute(c.get_absolute_url()) for c in components}
    assert "Teacher leader" in achievement["criteria"]["narrative"]
    verdict = verify.verify_credential(document)
    assert verdict.verified, [(c.key, c.detail) for c in verdict.checks if c.ok is False]


def test_a_forged_stack_badge_fails_verification(stack, three, earn, educator_ana):
    earn(three[0])
    earn(three[1])
    document = json.loads(_badge(educator_ana).document)
    document["credentialSubject"]["achievement"]["alignment"].append(
        {
            "type": ["Alignment"],
            "targetName": "A credential never earned",
            "targetUrl": "https://example.org/never",
            "targetType": "ceterms:Credential",
        }
    )
    verdict = verify.verify_credential(document)
    assert not verdict.verified and verdict.check("signature").ok is False


def test_revoking_a_counted_credential_revokes_the_stack_badge_and_ends_the_status(
    stack, three, earn, educator_ana, issuer_carla
):
    earn(three[0])
    earn(three[1])
    part = IssuedCredential.objects.get(award__attempt__version__credential=three[1])
    badge_services.credential_revoke(actor=issuer_carla, credential=part, reason="Copied work.")
    badge = _badge(educator_ana)
    assert badge.state == IssuedCredential.State.REVOKED
    assert "“Small-group reading”, a credential this stack counts, was revoked." in (
        badge.revoked_reason
    )
    assert not verify.verify_credential(json.loads(badge.document)).verified
    done = StackCompletion.objects.get()
    assert done.ended_at is not None and not done.holds_status(done.ended_at)
    revoked = AuditEvent.objects.get(verb=Event.BADGE_REVOKED, subject_id=str(badge.pk))
    assert revoked.data["via"] == "a counted credential was revoked"


def test_a_stack_still_complete_without_the_revoked_credential_keeps_its_badge(
    stack, three, earn, educator_ana, issuer_carla
):
    for credential in three:
        earn(credential)
    part = IssuedCredential.objects.get(award__attempt__version__credential=three[1])
    badge_services.credential_revoke(actor=issuer_carla, credential=part, reason="Copied work.")
    assert _badge(educator_ana).state == IssuedCredential.State.ACTIVE
    assert StackCompletion.objects.get().ended_at is None


def test_the_issuer_revoking_and_reinstating_the_stack_badge_ends_and_restores_the_status(
    stack, three, earn, educator_ana, issuer_carla
):
    earn(three[0])
    earn(three[2])
    badge = _badge(educator_ana)
    badge_services.credential_revoke(
        actor=issuer_carla, credential=badge, reason="Entered in error."
    )
    done = StackCompletion.objects.get()
    assert done.ended_reason == "The stack's badge was revoked: Entered in error."
    badge_services.credential_unrevoke(actor=issuer_carla, credential=badge)
    done.refresh_from_db()
    assert done.ended_at is None and done.holds_status(done.completed_at)


def test_publishing_a_stack_completes_it_for_those_who_already_satisfy_it(
    admin_adam, north, three, earn, educator_ana, django_capture_on_commit_callbacks
):
    earn(three[0])
    earn(three[1])
    draft = services.stack_create(
        actor=admin_adam,
        organization=north,
        title="Reading pair",
        summary="",
        rule="any_n",
        choose=2,
        credentials=three,
    )
    assert not StackCompletion.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.stack_publish(actor=admin_adam, stack=draft)
    assert StackCompletion.objects.get().educator == educator_ana


def test_the_stack_badge_re_issued_after_a_name_change_keeps_the_completion(
    stack, three, earn, educator_ana, issuer_carla
):
    earn(three[0])
    earn(three[1])
    educator_ana.full_name = "Ana Lucía Flores"
    educator_ana.save(update_fields=["full_name"])
    first = _badge(educator_ana)
    assert badge_services.needs_reissue(first) == IssuedCredential.Reissue.NAME
    new = badge_services.credential_reissue(
        actor=educator_ana, credential=first, reason=IssuedCredential.Reissue.NAME
    )
    assert new.recipient_name == "Ana Lucía Flores"
    assert verify.verify_credential(json.loads(new.document)).verified
    # Revoking the new copy still ends the status the completion (first copy) granted.
    badge_services.credential_revoke(actor=issuer_carla, credential=new, reason="In error.")
    assert StackCompletion.objects.get().ended_at is not None


# ----------------------------------------------------------------------------- pages


def test_the_stack_badge_page_lists_the_credentials_it_counts(
    client, stack, three, earn, educator_ana
):
    earn(three[0])
    earn(three[1])
    badge = _badge(educator_ana)
    page = html.fromstring(client.get(badge.get_absolute_url()).content)
    assert page.xpath("string(//h1)") == "Riverbend teacher leader"
    counted = page.xpath("//section[@aria-labelledby='components-h']//li/a/text()")
    assert counted == ["Exit tickets", "Small-group reading"]
    assert "Completed stack of micro-credentials" in page.xpath("string(//p[@class='eyebrow'])")
    # A stack's badge has a PNG and the JSON; no SVG and no Open Badges 2.0 copy.
    assert client.get(reverse("badges:png", args=[badge.public_id])).status_code == 200
    assert client.get(reverse("badges:svg", args=[badge.public_id])).status_code == 404
    assert client.get(reverse("badges:ob2-png", args=[badge.public_id])).status_code == 404
    assert client.get(reverse("badges:ob2-assertion", args=[badge.public_id])).status_code == 404


def test_the_wallet_shows_the_stack_badge(client, stack, three, earn, educator_ana):
    earn(three[0])
    earn(three[1])
    client.force_login(educator_ana)
    page = html.fromstring(client.get(reverse("badges:wallet")).content)
    titles = page.xpath("//li[contains(@class,'wallet-card')]//h2/a/text()")
    assert sorted(titles) == ["Exit tickets", "Riverbend teacher leader", "Small-group reading"]
    assert "stack completed" in page.xpath("string(//li[contains(@class,'wallet-card')])") or any(
        "stack completed" in li.text_content()
        for li in page.xpath("//li[contains(@class,'wallet-card')]")
    )


def test_another_educator_cannot_change_the_stack_badge(
    client, stack, three, earn, educator_ana, principal_dee
):
    earn(three[0])
    earn(three[1])
    badge = _badge(educator_ana)
    client.force_login(principal_dee)
    response = client.post(reverse("badges:reissue", args=[badge.public_id]), {"reason": "name"})
    assert response.status_code in (403, 404)
    assert IssuedCredential.objects.filter(award__isnull=True).count() == 1


def test_the_status_shows_on_the_profile_the_wallet_and_the_stack_page(
    client, stack, three, earn, educator_ana, issuer_carla
):
    earn(three[0])
    earn(three[1])
    done = StackCompletion.objects.get()
    client.force_login(educator_ana)
    until = f"until {done.status_until:%b} {done.status_until.day}, {done.status_until.year}"
    for url in (reverse("core:profile"), reverse("badges:wallet")):
        page = html.fromstring(client.get(url).content)
        section = page.xpath("string(//section[@aria-labelledby='statuses-h'])")
        assert "Riverbend teacher leader" in section and "Teacher leader" in section, url
        assert until in " ".join(section.split()), url
    page = html.fromstring(client.get(stack.get_absolute_url()).content)
    alert = " ".join(page.xpath("string(//div[contains(@class,'alert--success')])").split())
    assert "You completed this stack" in alert and "You hold the status Teacher leader" in alert
    badge = _badge(educator_ana)
    badge_services.credential_revoke(actor=issuer_carla, credential=badge, reason="In error.")
    page = html.fromstring(client.get(reverse("core:profile")).content)
    section = " ".join(page.xpath("string(//section[@aria-labelledby='statuses-h'])").split())
    assert "Teacher leader: ended" in section and "In error." in section


def test_no_completed_stack_no_statuses_section(client, educator_ana):
    client.force_login(educator_ana)
    page = html.fromstring(client.get(reverse("core:profile")).content)
    assert not page.xpath("//section[@aria-labelledby='statuses-h']")
