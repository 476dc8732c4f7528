"""The badge of a completed stack, checked by the independent Digital Bazaar verifier
(`interop/verify.mjs`) over HTTP from the live server, with the 1EdTech OB 3.0 JSON schema:
the good one verifies on every check, a revoked one fails on its status, a forged one on its
signature."""

from __future__ import annotations

import copy
import json

import pytest
from django.db import transaction

from microcred.badges import services as badge_services
from microcred.badges.models import IssuedCredential
from microcred.badges.tests.factories import awarded
from microcred.badges.tests.test_interop import _js_verify, _node
from microcred.catalog.tests.factories import published_credential
from microcred.core.models import Role
from microcred.core.tests.factories import member
from microcred.programs import completion, services
from microcred.programs.models import StackCompletion

# Not serialized_rollback: that restores a database saved before the first test, which a
# flush by an earlier transactional test (post_migrate recreating content types) conflicts
# with. The tests that restore one (badges, core) run before this.
pytestmark = pytest.mark.django_db(transaction=True)


def test_digital_bazaar_verifies_a_stack_badge_and_catches_the_bad_ones(
    world, settings, live_server, tmp_path
):
    node = _node()
    settings.SITE_URL = live_server.url
    north = world.north
    people = north.people
    parts = [
        published_credential(
            people[Role.DESIGNER], people[Role.REVIEWER], north.organization, title=title
        )
        for title in ("Exit tickets", "Data teams")
    ]
    stack = services.stack_create(
        actor=people[Role.ADMIN],
        organization=north.organization,
        title="Teacher leader",
        summary="",
        rule="all",
        choose=None,
        credentials=parts,
        grants="status",
        grant_title="Teacher leader",
        grant_months=12,
    )
    services.stack_publish(actor=people[Role.ADMIN], stack=stack)
    badges = {}
    for name in ("good", "revoked"):
        educator = member(north.school, Role.EDUCATOR, email=f"{name}@riverbend.example")
        for part in parts:
            with transaction.atomic():
                awarded(
                    educator=educator,
                    credential=part,
                    assessor=people[Role.ASSESSOR],
                    issuer=people[Role.ISSUER],
                )
        # The last award's task completed the stack (tasks run at once here).
        completion.stacks_complete(educator=educator)  # a retry: nothing more
        badges[name] = StackCompletion.objects.get(educator=educator).credential
    badge_services.credential_revoke(
        actor=people[Role.ISSUER], credential=badges["revoked"], reason="Entered in error."
    )
    files = {}
    for name, badge in badges.items():
        badge = IssuedCredential.objects.get(pk=badge.pk)
        files[name] = json.loads(badge.document)
    forged = copy.deepcopy(files["good"])
    forged["credentialSubject"]["achievement"]["alignment"][0]["targetName"] = "Never earned"
    files["forged"] = forged
    paths = []
    for name, document in files.items():
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(document, ensure_ascii=False))
        paths.append(path)

    verdicts = _js_verify(node, live_server.url, paths)
    good = verdicts["good.json"]
    assert good["verified"] is True, good
    assert {k: c["ok"] for k, c in good["checks"].items()} == {
        "signature": True,
        "status": True,
        "validity": True,
        "schema": True,
    }
    revoked = verdicts["revoked.json"]
    assert revoked["verified"] is False
    assert revoked["checks"]["signature"]["ok"] is True
    assert revoked["checks"]["status"]["ok"] is False
    assert verdicts["forged.json"]["checks"]["signature"]["ok"] is False
