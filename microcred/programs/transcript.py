"""An educator's transcript, in two forms:

- a PDF (WeasyPrint) for people: each credential she earned with its issuer, date, credit
  hours and standards, the totals, the stacks she completed, her name, the date, and where
  to verify each line; a revoked award stays listed, marked revoked and not counted;
- a signed 1EdTech CLR 2.0 credential for machines (`badges.clr`): her current, valid Open
  Badges 3.0 credentials (awards' and stacks') bundled and signed by the district she
  teaches in. A revoked badge cannot go in (it would not verify): it leaves the CLR.

Only she asks for either, for herself; nothing is stored (the CLR's issue is audited)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from allauth.account.models import EmailAddress
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from PIL import ImageFile

from microcred.badges import clr, compose
from microcred.badges.models import BadgePreferences, IssuedCredential
from microcred.core import audit
from microcred.core.audit import Event
from microcred.core.errors import DomainError, Invalid
from microcred.core.models import Organization, User
from microcred.earning.services import home_organization
from microcred.programs import licensure, selectors
from microcred.programs.models import CreditEntry

ZERO = Decimal("0.00")


class Unavailable(DomainError):
    """Something the server lacks stops the work; the message says what."""

    code = "unavailable"


@dataclass
class Line:
    """One credential on the transcript."""

    entry: CreditEntry
    badge_url: str  # its badge's public page (follows to the current copy), or ""

    @property
    def title(self) -> str:
        return self.entry.version.title

    @property
    def issuer(self) -> str:
        return self.entry.version.credential.organization.name

    @property
    def hours(self) -> str:
        return licensure.hours_text(self.entry.hours)

    @property
    def standards(self) -> list[str]:
        return [
            " ".join(part for part in (s.get("framework"), s.get("code")) if part)
            + (f": {s['name']}" if s.get("name") else "")
            for s in self.entry.standards
            if isinstance(s, dict)
        ]


def _badge_urls(entries: list[CreditEntry]) -> dict[int, str]:
    """Each award's badge page (one query); the public page leads to its current copy."""
    rows = (
        IssuedCredential.objects.filter(award_id__in=[e.award_id for e in entries])
        .current()
        .order_by("issued_at", "pk")
        .values_list("award_id", "public_id")
    )
    return {
        award_id: compose.absolute(reverse("badges:public", args=[public_id]))
        for award_id, public_id in rows
    }


def transcript_facts(*, educator: User) -> dict[str, Any]:
    """What the PDF shows, oldest credential first (four queries)."""
    entries = list(reversed(licensure.entries_of(educator)))
    urls = _badge_urls(entries)
    lines = [Line(entry, urls.get(entry.award_id, "")) for entry in entries]
    counted = [line for line in lines if line.entry.counts]
    return {
        "educator": educator,
        "name": educator.full_name or educator.email,
        "lines": lines,
        "counted": counted,
        "revoked": [line for line in lines if not line.entry.counts],
        "total_hours": licensure.hours_text(sum((ln.entry.hours for ln in counted), ZERO)),
        "cycles": licensure.cycles_for(educator, entries),
        "completions": selectors.statuses_of(person=educator),
        "generated_at": timezone.now(),
        "site": compose.absolute("/"),
        "verify_url": compose.absolute(reverse("badges:verify")),
        "credit_url": compose.absolute(reverse("licensure:credit")),
    }


def _no_fetching(url: str, *args: Any, **kwargs: Any) -> Any:
    """WeasyPrint's URL fetcher: the transcript is drawn from its own HTML and CSS only, and
    never reaches out (a link in a credential's text is printed, not fetched)."""
    raise ValueError(f"The transcript fetches nothing: {url}")


def transcript_pdf(*, educator: User) -> bytes:
    """The educator's transcript as a PDF. Refused (`Unavailable`) on a server without pango,
    which WeasyPrint draws with."""
    try:
        import weasyprint  # loads pango and fonts: only when a transcript is drawn
    except (ImportError, OSError) as error:
        raise Unavailable(
            "Transcript PDFs cannot be drawn on this server yet: it lacks the pango library. "
            "Ask the site's operator to install it; the signed transcript below works meanwhile.",
            code="transcript_pdf_unavailable",
        ) from error
    # Importing WeasyPrint tells Pillow, for the whole process, to load truncated images;
    # this site refuses them (a damaged upload is an error, catalog.images), so put it back.
    ImageFile.LOAD_TRUNCATED_IMAGES = False

    facts = transcript_facts(educator=educator)
    html = render_to_string("programs/transcript_pdf.html", facts)
    document = weasyprint.HTML(string=html, base_url=None, url_fetcher=_no_fetching)
    return bytes(document.write_pdf())


# ----------------------------------------------------------------------------- CLR 2.0


def signing_organization(educator: User) -> Organization:
    """Who signs her transcript: the district she teaches in (the nearest district above her
    school), else the nearest state or provider above it."""
    home = home_organization(educator)
    if home is None:
        raise Invalid(
            "A transcript is signed by the district you teach in, and you are not an educator "
            "of any school or district here.",
            code="transcript_no_district",
        )
    ids = [int(part) for part in home.path.strip("/").split("/") if part]
    found = {o.pk: o for o in Organization.objects.filter(pk__in=ids)}
    above = [found[pk] for pk in reversed(ids) if pk in found]
    for kinds in (
        {Organization.Kind.DISTRICT},
        {Organization.Kind.STATE, Organization.Kind.PROVIDER},
    ):
        for organization in above:
            if organization.kind in kinds:
                return organization
    return above[-1]


def _badges(educator: User) -> tuple[list[IssuedCredential], bool]:
    """Her badges that verify now (active, not expired), earliest earned first, and whether
    any valid one was left out (an expired badge): the transcript is then partial."""
    now = timezone.now()
    active = list(
        IssuedCredential.objects.filter(earner=educator, state=IssuedCredential.State.ACTIVE)
        .select_related("award")
        .order_by("valid_from", "pk")
    )
    current = [c for c in active if c.valid_until is None or c.valid_until > now]
    current.sort(key=lambda c: (c.earned_at, c.pk))
    return current, len(current) < len(active)


def _badge_emails(educator: User) -> set[str]:
    """The addresses her badges may name her by: her account's, and any she had a badge
    issued to again."""
    emails = set(EmailAddress.objects.filter(user=educator).values_list("email", flat=True))
    emails |= set(
        BadgePreferences.objects.filter(award__attempt__educator=educator)
        .filter(~Q(recipient_email=""))
        .values_list("recipient_email", flat=True)
    )
    return emails - {educator.email}


def transcript_clr_issue(*, actor: User) -> dict[str, Any]:
    """The actor's own transcript as a signed CLR 2.0 credential (not stored; audited).
    Refused with `Invalid` when she holds no badge that verifies."""
    badges, partial = _badges(actor)
    if not badges:
        raise Invalid(
            "You hold no badge that verifies yet, so there is nothing to put in a signed "
            "transcript. Once a credential is awarded, its badge goes in.",
            code="transcript_empty",
        )
    organization = signing_organization(actor)
    document = clr.clr_issue(
        organization=organization,
        credentials=[json.loads(badge.document) for badge in badges],
        earner_name=actor.full_name or actor.email,
        earner_email=actor.email,
        badge_emails=_badge_emails(actor),
        partial=partial,
    )
    audit.record(
        actor,
        Event.TRANSCRIPT_ISSUED,
        actor,
        organization=organization,
        transcript=document["id"],
        credentials=[str(badge.public_id) for badge in badges],
        partial=partial,
    )
    return document
