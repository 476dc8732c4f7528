"""Re-issue and renew are two actions: re-issuing asks for the new name or email address
and puts it on the new badge (same dates); renewing gives new dates. Each refuses bad input
with a message beside the field, keeping what was typed."""

from __future__ import annotations

import hashlib
import json
import re

import pytest
from django.urls import reverse

from microcred.badges import selectors, services, verify
from microcred.badges.models import BadgePreferences, IssuedCredential
from microcred.core.errors import Invalid
from microcred.core.models import AuditEvent


def _url(credential: IssuedCredential, action: str = "") -> str:
    return reverse("badges:public", args=[credential.public_id]) + action


def _doc(credential: IssuedCredential) -> dict:
    return json.loads(credential.document)


def _email_identity(credential: IssuedCredential) -> dict:
    return next(
        i
        for i in _doc(credential)["credentialSubject"]["identifier"]
        if i["identityType"] == "emailAddress"
    )


def _current(issued: IssuedCredential) -> IssuedCredential:
    return IssuedCredential.objects.exclude(state="superseded").get(award=issued.award)


def _unchanged(issued: IssuedCredential) -> None:
    issued.refresh_from_db()
    assert issued.state == "active"
    assert IssuedCredential.objects.filter(award=issued.award).count() == 1
    assert AuditEvent.objects.filter(verb="credential.issued").count() == 1  # the award's own


@pytest.fixture
def expiring(credential):
    version = credential.current_version
    version.valid_for_months = 12
    version.save(update_fields=["valid_for_months"])
    return credential


# ----------------------------------------------------------------------------- re-issue


def test_issuer_reissues_with_the_new_name_given(client, issued, issuer_carla):
    client.force_login(issuer_carla)
    response = client.post(
        _url(issued, "reissue/"), {"reason": "name", "new_name": "Ana María García"}
    )
    assert response.status_code == 302
    new = _current(issued)
    assert new.recipient_name == "Ana María García"
    names = [i for i in _doc(new)["credentialSubject"]["identifier"] if i["identityType"] == "name"]
    assert names[0]["identityHash"] == "Ana María García"
    assert (new.valid_from, new.valid_until) == (issued.valid_from, issued.valid_until)
    assert BadgePreferences.objects.get(award=issued.award).display_name == "Ana María García"
    assert verify.verify_credential(_doc(new)).verified
    issued.refresh_from_db()
    assert (issued.state, issued.superseded_reason) == ("superseded", "name")
    page = client.get(_url(new)).content.decode()
    assert "Ana María García" in page
    event = AuditEvent.objects.get(verb="credential.issued", data__reason="name")
    assert event.actor == issuer_carla


def test_earner_reissues_with_her_new_email_address(client, issued, educator_ana):
    client.force_login(educator_ana)
    response = client.post(
        _url(issued, "reissue/"), {"reason": "email", "new_email": "ana.garcia@home.example"}
    )
    assert response.status_code == 302
    new = _current(issued)
    identity = _email_identity(new)
    digest = hashlib.sha256(("ana.garcia@home.example" + identity["salt"]).encode()).hexdigest()
    assert identity["identityHash"] == f"sha256${digest}"
    assert selectors.recipient_email(new.award) == "ana.garcia@home.example"
    assert services.needs_reissue(new) is None  # the badge matches what she gave
    educator_ana.refresh_from_db()
    assert educator_ana.email == "educator@riverbend.example"  # her account is unchanged
    # A later badge for the same award keeps naming the address she gave.
    again = services.credential_reissue(
        actor=educator_ana, credential=new, reason="name", new_name="Ana G."
    )
    assert (
        _email_identity(again)["identityHash"]
        == "sha256$"
        + hashlib.sha256(
            ("ana.garcia@home.example" + _email_identity(again)["salt"]).encode()
        ).hexdigest()
    )


def test_the_prompted_reissue_still_uses_the_account_details(client, issued, educator_ana):
    educator_ana.full_name = "Ana Torres"
    educator_ana.save()
    client.force_login(educator_ana)
    page = client.get(_url(issued)).content.decode()
    assert '<input type="hidden" name="reason" value="name">' in page
    assert client.post(_url(issued, "reissue/"), {"reason": "name"}).status_code == 302
    assert _current(issued).recipient_name == "Ana Torres"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"reason": "name", "new_name": ""},
            "new_name",
            "Enter the new name the badge should show.",
        ),
        (
            {"reason": "name", "new_name": "Riverbend Educator"},
            "new_name",
            "The badge already shows “Riverbend Educator”. Enter the new name.",
        ),
        ({"reason": "name", "new_name": "A" * 151}, "new_name", "at most 150 characters"),
        ({"reason": "email", "new_email": ""}, "new_email", "Enter the new email address"),
        (
            {"reason": "email", "new_email": "ana@"},
            "new_email",
            "Enter an email address like name@school.org.",
        ),
        (
            {"reason": "email", "new_email": "EDUCATOR@riverbend.example"},
            "new_email",
            "The badge already names this email address. Enter the new one.",
        ),
        (
            {"reason": "correction", "new_name": "Ana G."},
            "new_name",
            "A new name goes with “name changed”",
        ),
        ({"new_name": "Ana G."}, "reason", "Choose why the badge is issued again."),
    ],
)
def test_issuer_reissue_refuses_bad_input_at_the_field(
    client, issued, issuer_carla, data, field, message
):
    client.force_login(issuer_carla)
    response = client.post(_url(issued, "reissue/"), data)
    assert response.status_code == 400
    page = response.content.decode()
    form = re.search(r'<details class="disclosure" id="reissue" open>.*?</details>', page, re.S)
    assert form is not None, "the refused form stays open"
    group = re.search(rf'id="reissue-{field}-group">.*?</div>', form.group(0), re.S)
    assert group is not None
    assert message in group.group(0)  # beside its field
    for value in data.values():  # what was typed is kept
        if value and len(value) < 100:
            assert f'value="{value}"' in form.group(0)
    _unchanged(issued)


def test_earner_reissue_is_for_her_name_or_email_only(client, issued, educator_ana):
    client.force_login(educator_ana)
    page = client.get(_url(issued)).content.decode()
    assert "Issue it again with a new name or email" in page
    assert "My name changed" in page and "My email address changed" in page
    assert "the issuer corrected it" not in page  # the issuer's form is not hers
    response = client.post(_url(issued, "reissue/"), {"reason": "correction"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    _unchanged(issued)


def test_service_refuses_an_unchanged_name_without_a_new_one(issued, issuer_carla):
    with pytest.raises(Invalid) as refused:
        services.credential_reissue(actor=issuer_carla, credential=issued, reason="name")
    assert refused.value.field == "new_name"
    _unchanged(issued)


# ----------------------------------------------------------------------------- renew


def test_renew_and_reissue_are_separate_actions_with_their_own_words(
    client, expiring, educator_ana, assessor_ben, issuer_carla, django_capture_on_commit_callbacks
):
    from microcred.badges.tests.factories import awarded

    with django_capture_on_commit_callbacks(execute=True):
        award = awarded(
            educator=educator_ana, credential=expiring, assessor=assessor_ben, issuer=issuer_carla
        )
    issued = IssuedCredential.objects.get(award=award)
    client.force_login(issuer_carla)
    page = client.get(_url(issued)).content.decode()
    reissue = re.search(r'<details class="disclosure" id="reissue".*?</details>', page, re.S)
    renew = re.search(r'<details class="disclosure" id="renew".*?</details>', page, re.S)
    assert reissue is not None and renew is not None
    assert "same dates" in reissue.group(0) and "renew instead" in reissue.group(0)
    assert reverse("badges:renew", args=[issued.public_id]) not in reissue.group(0)
    assert "valid from today for another 12 months" in renew.group(0)
    assert reverse("badges:renew", args=[issued.public_id]) in renew.group(0)
    response = client.post(_url(issued, "renew/"))
    assert response.status_code == 302
    renewed = _current(issued)
    assert renewed.valid_until > issued.valid_until
    assert renewed.recipient_name == issued.recipient_name


def test_a_badge_that_does_not_expire_offers_no_renewal_and_refuses_one(
    client, issued, issuer_carla
):
    client.force_login(issuer_carla)
    page = client.get(_url(issued)).content.decode()
    renew = re.search(r'<details class="disclosure" id="renew".*?</details>', page, re.S)
    assert renew is not None
    assert "does not expire, so there is nothing to renew" in renew.group(0)
    assert reverse("badges:renew", args=[issued.public_id]) not in renew.group(0)
    response = client.post(_url(issued, "renew/"), follow=True)
    assert "This credential does not expire, so it needs no renewal." in response.content.decode()
    _unchanged(issued)
