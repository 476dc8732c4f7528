"""The printable certificate of an award: credit hours, how long it is valid, the badge's
public verification link and its QR code, a Print button and honest expired/revoked pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from microcred.assessment.models import Award
from microcred.badges import services
from microcred.badges.models import IssuedCredential
from microcred.badges.tests.factories import awarded
from microcred.catalog.tests.factories import published_credential
from microcred.core.models import Role

REASON = "The evidence was another teacher's."


def certificate_url(issued: IssuedCredential) -> str:
    assert issued.award is not None
    return reverse("assessment:certificate", args=[issued.award.public_id])


def test_the_certificate_shows_hours_validity_and_the_badge_link_with_its_qr_code(
    client, issued, educator_ana, principal_dee
):
    for person in (educator_ana, principal_dee):
        client.force_login(person)
        page = client.get(certificate_url(issued)).content.decode()
        assert "<dt>Credit</dt><dd>1.5 credit hours</dd>" in page
        assert "Does not expire" in page
        link = f"http://localhost:8000/badges/{issued.public_id}/"
        assert f'<a class="certificate__link" href="{link}">{link}</a>' in page
        # The QR code is drawn inline (no request of its own), and says what it is.
        assert '<svg role="img" aria-label="QR code: opens this badge\'s verification page"' in (
            page
        )
        assert "<path" in page.split("certificate__verify", 1)[1]
        assert (
            '<button class="btn btn--primary" type="button" data-print hidden>Print</button>'
            in page
        )
        assert "use your browser's print command" in page


def test_the_qr_code_encodes_the_badge_link(issued):
    import segno

    from microcred.badges import pages

    block = pages.certificate_badge(award=issued.award)
    expected = segno.make(block["url"], error="m").svg_inline(
        scale=4, border=2, dark="#1b1b1b", light="#ffffff", omitsize=True
    )
    assert block["url"] == f"http://localhost:8000/badges/{issued.public_id}/"
    assert block["qr"].split(">", 1)[1] == expected.split(">", 1)[1]


def test_a_certificate_with_a_term_shows_its_valid_until_date(
    client, world, educator_ana, designer_dan, reviewer_rita, north
):
    credential = published_credential(designer_dan, reviewer_rita, north, title="Wait time")
    version = credential.current_version
    version.valid_for_months = 24
    version.save(update_fields=["valid_for_months"])
    people = world.north.people
    award = awarded(
        educator=educator_ana,
        credential=credential,
        assessor=people[Role.ASSESSOR],
        issuer=people[Role.ISSUER],
    )
    issued = IssuedCredential.objects.get(pk=services.credential_issue(award=award).pk)
    assert issued.valid_until is not None
    client.force_login(educator_ana)
    page = client.get(reverse("assessment:certificate", args=[award.public_id])).content.decode()
    until = timezone.localtime(issued.valid_until)  # the page shows the installation's date
    assert f"<dt>Valid until</dt><dd>{until:%B} {until.day}, " in page
    assert "Does not expire" not in page


def test_an_expired_certificate_says_so_and_still_links_to_the_badge(
    client, world, educator_ana, designer_dan, reviewer_rita, north
):
    credential = published_credential(designer_dan, reviewer_rita, north, title="Wait time")
    version = credential.current_version
    version.valid_for_months = 1
    version.save(update_fields=["valid_for_months"])
    people = world.north.people
    award = awarded(
        educator=educator_ana,
        credential=credential,
        assessor=people[Role.ASSESSOR],
        issuer=people[Role.ISSUER],
    )
    Award.objects.filter(pk=award.pk).update(awarded_at=timezone.now() - timedelta(days=90))
    issued = IssuedCredential.objects.get(pk=services.credential_issue(award=award).pk)
    client.force_login(educator_ana)
    page = client.get(reverse("assessment:certificate", args=[award.public_id])).content.decode()
    assert "<dt>Expired</dt>" in page
    assert "Valid until" not in page
    assert f"/badges/{issued.public_id}/" in page


def test_a_revoked_award_has_no_certificate_and_no_verification_block(
    client, issued, issuer_carla, educator_ana
):
    services.credential_revoke(actor=issuer_carla, credential=issued, reason=REASON)
    client.force_login(educator_ana)
    page = client.get(certificate_url(issued)).content.decode()
    assert "there is no certificate for it" in page
    assert "certificate__verify" not in page
    assert "data-print" not in page


@pytest.mark.parametrize("public", [True, False])
def test_a_private_badge_is_named_private_on_its_certificate(client, issued, educator_ana, public):
    services.badge_preferences_update(
        actor=educator_ana, credential=issued, public=public, display_name=educator_ana.full_name
    )
    client.force_login(educator_ana)
    page = client.get(certificate_url(issued)).content.decode()
    assert ("Your badge is private" in page) is not public
