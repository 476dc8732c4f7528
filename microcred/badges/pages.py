"""Reads that build the badge app's pages for one viewer: a badge's public page (what the
credential says, where it stands, what the earner and the issuer may do on it), which copy
of a re-issued badge a link leads to, an issuer's public page, the earner's wallet and the
issuer's list of what it issued.

Kept apart from `selectors` because a page also reads what `compose`, `verify` and
`services.needs_reissue` work out, and those import `selectors`.
"""

from __future__ import annotations

import json
import uuid
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from microcred.badges import compose, did, selectors, services, verify
from microcred.badges.forms import PreferencesForm, ReissueForm, RevokeForm
from microcred.badges.models import IssuedCredential
from microcred.catalog.models import Credential
from microcred.core import permissions, tenancy
from microcred.core.models import Organization, User

PAGE_SIZE = 25
MAX_REISSUE_CHAIN = 20  # a chain of re-issues is never a cycle, but bounded all the same


def current_copy(credential: IssuedCredential) -> IssuedCredential:
    """The copy that replaced this one (a new name, a renewal), following the chain; the
    credential itself when it was not replaced."""
    current = credential
    for _ in range(MAX_REISSUE_CHAIN):
        if current.state != IssuedCredential.State.SUPERSEDED or current.superseded_by is None:
            break
        current = current.superseded_by
    return current


def _uuid_or_none(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def _replaced(credential: IssuedCredential, replaced: str) -> dict[str, Any]:
    """The earlier copy of the same award that a followed link named (`?replaced=`), with a
    link that checks it in the verifier."""
    if not replaced:
        return {}
    public_id: Any = _uuid_or_none(replaced)  # not a UUID: no copy matches it
    # The same award's copies, or for a stack's badge the same earner's and achievement's.
    same = (
        {"award_id": credential.award_id}
        if credential.award_id is not None
        else {"earner_id": credential.earner_id, "achievement_name": credential.achievement_name}
    )
    earlier = (
        IssuedCredential.objects.filter(**same, state=IssuedCredential.State.SUPERSEDED)
        .filter(public_id=public_id)
        .first()
    )
    if earlier is None:
        return {"replaced": None}
    document = compose.absolute(reverse("badges:json", args=[earlier.public_id]))
    return {
        "replaced": earlier,
        "replaced_verify_url": reverse("badges:verify") + "?" + urlencode({"url": document}),
    }


def linkedin_url(credential: IssuedCredential, document: dict[str, Any], page: str) -> str:
    """LinkedIn's "Add to profile" link; with the issuer's LinkedIn page id when it has one,
    so the certification shows under that page, else with the issuer's name as text."""
    issued = credential.award.awarded_at if credential.award else credential.valid_from
    organization = credential.organization
    params: dict[str, Any] = {"startTask": "CERTIFICATION_NAME", "name": document.get("name", "")}
    if organization.linkedin_organization_id:
        params["organizationId"] = organization.linkedin_organization_id
    else:
        params["organizationName"] = organization.name
    params |= {
        "issueYear": issued.year,
        "issueMonth": issued.month,
        "certUrl": page,
        "certId": str(credential.public_id),
    }
    if credential.valid_until:
        params["expirationYear"] = credential.valid_until.year
        params["expirationMonth"] = credential.valid_until.month
    return "https://www.linkedin.com/profile/add?" + urlencode(params)


def _rubric(subject: dict[str, Any]) -> list[dict[str, Any]]:
    """Each rubric section the credential names, with its levels and the one achieved."""
    achievement = subject.get("achievement", {})
    achieved = {
        r.get("resultDescription"): r.get("achievedLevel") for r in subject.get("result", [])
    }
    return [
        {
            "name": rd.get("name"),
            "levels": rd.get("rubricCriterionLevel", []),
            "achieved": achieved.get(rd.get("id")),
            "required": rd.get("requiredLevel"),
        }
        for rd in achievement.get("resultDescription", [])
    ]


def _earner_part(credential: IssuedCredential, is_public: bool) -> dict[str, Any]:
    return {
        "preferences_form": PreferencesForm(
            initial={"display_name": credential.recipient_name, "public": is_public}
        ),
        "needs_reissue": services.needs_reissue(credential),
        "earner_reissue_form": ReissueForm(earner=True),
    }


def _issuer_part(credential: IssuedCredential) -> dict[str, Any]:
    award = credential.award
    return {
        "revoke_form": RevokeForm(),
        "reissue_form": ReissueForm(),
        "can_renew": award is not None
        and bool(award.attempt.version.valid_for_months)
        and credential.state == IssuedCredential.State.ACTIVE,
    }


def badge_page(*, credential: IssuedCredential, viewer: Any, replaced: str = "") -> dict[str, Any]:
    """A badge's page as `viewer` sees it: the credential, its verdict and standing, the
    rubric it records, its share and verify links, and the earner's and the issuer's forms
    for those who are either. `replaced` is the earlier copy a followed link named."""
    earlier = _replaced(credential, replaced)
    document = json.loads(credential.document)
    verdict = verify.verify_credential(document)
    award = credential.award
    version = award.attempt.version if award else None  # None: a stack's badge
    viewer = viewer if viewer is not None and viewer.is_authenticated else None
    is_earner = viewer is not None and credential.earner_id == viewer.pk
    is_issuer = viewer is not None and permissions.has_perm(
        viewer, "assessment.decide", credential.organization
    )
    page = compose.absolute(credential.get_absolute_url())
    subject = document.get("credentialSubject", {})
    prefs = getattr(award, "badge_preferences", None)
    is_public = prefs.public if prefs else True
    # A revoked or expired badge no longer counts: nothing on its page invites sharing it.
    standing = selectors.standing_of(credential)
    can_share = standing.counts and credential.state == IssuedCredential.State.ACTIVE
    context: dict[str, Any] = {
        **earlier,
        "credential": credential,
        "standing": standing,
        "can_share": can_share,
        "document": document,
        "achievement": subject.get("achievement", {}),
        "rubric": _rubric(subject),
        "verdict": verdict,
        "version": version,
        "page_url": page,
        "image_url": (
            compose.badge_image_url(version)
            if version
            else compose.absolute(
                reverse("badges:issuer-image", args=[credential.organization.slug])
            )
        ),
        "components": subject.get("achievement", {}).get("alignment", []) if not version else [],
        # Only the earner adds a certification to their own profile.
        "linkedin_url": linkedin_url(credential, document, page) if can_share and is_earner else "",
        "verify_url": reverse("badges:verify") + "?" + urlencode({"url": page}),
        "is_earner": is_earner,
        "is_issuer": is_issuer,
        "is_public": is_public,
    }
    if is_earner:
        context |= _earner_part(credential, is_public)
    if is_issuer:
        context |= _issuer_part(credential)
    return context


def issuer_page(*, organization: Organization) -> dict[str, Any]:
    """An issuer's public page: its DID and keys, its listed public credentials, and its
    status lists."""
    credentials = (
        Credential.objects.listed()
        .filter(organization=organization, visibility=Credential.Visibility.PUBLIC)
        .select_related("current_version")
        .order_by("current_version__title")
    )
    return {
        "organization": organization,
        "did": did.organization_did(organization),
        "keys": list(organization.signing_keys.order_by("-created_at")),
        "credentials": credentials,
        "status_lists": list(organization.status_lists.order_by("number")),
    }


def wallet_page(*, actor: User) -> dict[str, Any]:
    """The earner's badges, each with where it stands, and the awards still being signed."""
    credentials = list(selectors.wallet(actor=actor))
    now = timezone.now()
    for credential in credentials:
        credential.standing = selectors.standing_of(credential, now=now)  # type: ignore[attr-defined]
    pending = selectors.awards_without_credential(actor=actor)
    return {"credentials": credentials, "pending": pending, "now": now}


def _issuing_organizations(actor: User) -> QuerySet[Organization]:
    return (
        Organization.objects.filter(tenancy.within(actor, "assessment.manage", field=""))
        .filter(signing_keys__isnull=False)
        .distinct()
        .order_by("path")
    )


def issued_page(*, actor: User, query: str, page: Any) -> dict[str, Any]:
    """One page of what the actor's organizations issued (`query` as in
    `selectors.issued_by`), each with where it stands, and the organizations that sign."""
    rows = selectors.issued_by(actor=actor, query=query)
    page_obj = Paginator(rows, PAGE_SIZE).get_page(page)
    now = timezone.now()
    for row in page_obj.object_list:
        row.standing = selectors.standing_of(row, now=now)  # type: ignore[attr-defined]
    return {
        "page_obj": page_obj,
        "query": query,
        "organizations": _issuing_organizations(actor),
        "now": timezone.now(),
    }


def certificate_badge(*, award: Any) -> dict[str, Any]:
    """What a printed certificate shows of the award's badge: the current copy's public link,
    a QR code of it (inline SVG), and whether strangers can open it. The certificate's own
    page decided who may read it."""
    import segno

    credential = (
        IssuedCredential.objects.current()
        .filter(award=award)
        .select_related("award__badge_preferences")
        .order_by("-pk")
        .first()
    )
    if credential is None:
        return {"credential": None}
    url = compose.absolute(credential.get_absolute_url())
    qr = segno.make(url, error="m").svg_inline(
        scale=4, border=2, dark="#1b1b1b", light="#ffffff", omitsize=True
    )
    label = "QR code: opens this badge's verification page"
    qr = qr.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)
    prefs = getattr(credential.award, "badge_preferences", None)
    return {
        "credential": credential,
        "url": url,
        "qr": qr,
        "is_public": prefs is None or prefs.public,
        "revoked": credential.state == IssuedCredential.State.REVOKED,
    }
