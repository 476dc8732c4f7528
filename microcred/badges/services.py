"""Writes of the badges app: signing keys, issuing, revoking, reinstating and re-issuing
credentials, status lists, and the earner's badge preferences.

Each service checks who may act and from which state, changes rows in one transaction
(locking what it transitions), writes one AuditEvent and tells people after commit. A
refused action raises a DomainError before anything is written.
"""

from __future__ import annotations

import calendar
import json
import secrets
import threading
import uuid
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from microcred.assessment.models import Award
from microcred.badges import compose, did, fetch, keys, proofs, selectors
from microcred.badges.models import (
    BadgePreferences,
    IssuedCredential,
    IssuerIdentity,
    IssuerKey,
    StatusList,
)
from microcred.core import audit, lifecycle, permissions
from microcred.core.audit import Event
from microcred.core.errors import DomainError, Invalid, InvalidTransition
from microcred.core.models import Organization, User
from microcred.core.notify import Verb, notify
from microcred.earning import services as earning_services
from microcred.earning.models import Attempt

State = IssuedCredential.State
Reissue = IssuedCredential.Reissue


# ----------------------------------------------------------------------------- identity


class IdentityMismatch(DomainError):
    """This process's SITE_URL would give an organization another DID than the one it
    issues under; nothing is signed."""

    code = "identity_mismatch"


def _same_site(a: str, b: str) -> bool:
    one, two = urlsplit(a.rstrip("/")), urlsplit(b.rstrip("/"))
    return (one.scheme.lower(), one.netloc.lower(), one.path) == (
        two.scheme.lower(),
        two.netloc.lower(),
        two.path,
    )


def checked_identity(organization: Organization) -> IssuerIdentity | None:
    """The organization's stored identity, after checking that this process's SITE_URL is the
    one it was decided under (None before its first key). Everything that signs calls this:
    a credential or status list under another DID would fail in every outside verifier."""
    return _checked(organization, IssuerIdentity.objects.filter(organization=organization).first())


def _checked(organization: Organization, identity: IssuerIdentity | None) -> IssuerIdentity | None:
    if identity is None or _same_site(identity.site_url, settings.SITE_URL):
        return identity
    would_be = did.did_for_site(organization, settings.SITE_URL)
    source = getattr(settings, "SITE_URL_SOURCE", "")
    raise IdentityMismatch(
        f"{organization}'s badges are issued as {identity.did}, but SITE_URL is "
        f"{settings.SITE_URL}{f' (from {source})' if source else ''}, which would make "
        f"{would_be}. Nothing was signed. Set SITE_URL={identity.site_url} and try again."
    )


def _identity_for_new_key(organization: Organization) -> IssuerIdentity:
    """The stored identity, made from SITE_URL now if this is the organization's first key."""
    identity = checked_identity(organization)
    if identity is None:
        identity = IssuerIdentity.objects.create(
            organization=organization,
            did=did.did_for_site(organization, settings.SITE_URL),
            site_url=settings.SITE_URL.rstrip("/"),
        )
    return identity


# ----------------------------------------------------------------------------- keys


_decrypted: dict[tuple[int, str], keys.KeyPair] = {}
_decrypted_lock = threading.Lock()


def keypair(key: IssuerKey) -> keys.KeyPair:
    """The key's private half, decrypted once per process (which key signs is read from the
    database each time: see `signer`)."""
    cache_key = (key.pk, key.private_key_encrypted[-16:])
    with _decrypted_lock:
        found = _decrypted.get(cache_key)
    if found is None:
        found = keys.KeyPair.from_private(keys.decrypt_private_key(key.private_key_encrypted))
        with _decrypted_lock:
            _decrypted[cache_key] = found
    return found


def _new_key(organization: Organization, actor: User | None) -> IssuerKey:
    _identity_for_new_key(organization)
    pair = keys.KeyPair.generate()
    number = IssuerKey.objects.filter(organization=organization).count() + 1
    return IssuerKey.objects.create(
        organization=organization,
        key_id=f"key-{number}",
        public_key_multibase=keys.public_multikey(pair.public),
        private_key_encrypted=keys.encrypt_private_key(pair.private),
        created_by=actor,
    )


def _lock_organization(organization: Organization) -> Organization:
    return Organization.objects.select_for_update().get(pk=organization.pk)


@dataclass(frozen=True, slots=True)
class Signer:
    """What signs for an organization right now: its stored identity and its active key."""

    identity: IssuerIdentity
    key: IssuerKey

    @property
    def organization(self) -> Organization:
        """The organization, as read with its key."""
        return self.key.organization

    @property
    def method_id(self) -> str:
        return f"{self.identity.did}#{self.key.key_id}"

    def url(self, path: str) -> str:
        """An address under the identity's site (status lists)."""
        return f"{self.identity.site_url}{path}"


def signer(organization: Organization) -> Signer:
    """The organization's identity and active key, the key read (and its row locked) inside
    the caller's transaction, the key made on first use. No key is kept per process: a
    rotation or a compromise takes effect in every process with its commit, and one that
    waits for this lock sees every credential signed under it. The identity, which never
    changes once stored, is kept (`_identity`). Refused (IdentityMismatch) when SITE_URL
    disagrees with the stored identity."""
    return _signer(organization.pk, organization)


def signer_for(organization_id: int) -> Signer:
    """`signer` for an organization known by its id (issuing: the credential names it): the
    organization is read with its key, in the same statement, as it is now (its name and
    description may have changed since the last credential)."""
    return _signer(organization_id, None)


# An organization's active key, locked, with the organization (built once; `_signer`).
_ACTIVE_KEY = (
    IssuerKey.objects.select_for_update(of=("self",))
    .select_related("organization")
    .filter(retired_at__isnull=True)
    .order_by()
)


def _signer(organization_id: int, organization: Organization | None) -> Signer:
    # At most one active key (a partial unique constraint): no ordering, no LIMIT. The
    # organization comes with it, not locked: only the key's row is (rotating and marking a
    # key compromised lock the organization first, then the key; holding both here, in
    # whatever order the join returns them, could deadlock with them).
    key = next(iter(_ACTIVE_KEY.filter(organization_id=organization_id)), None)
    identity = None
    if key is not None:
        organization = key.organization
        identity = _checked(organization, _identity(organization))
    else:
        if organization is None:
            organization = Organization.objects.get(pk=organization_id)
        checked_identity(organization)  # refuse before making a key under another DID
    if key is None or identity is None:
        _lock_organization(organization)
        key = (
            IssuerKey.objects.select_for_update()
            .filter(organization=organization, retired_at__isnull=True)
            .first()
        )
        if key is None:
            key = _new_key(organization, None)
            audit.record(
                None, Event.ISSUER_KEY_CREATED, key, organization=organization, key=key.key_id
            )
        identity = _identity_for_new_key(organization)  # keys made before identities were stored
        _IDENTITIES[organization.pk] = identity
    key.organization = organization
    return Signer(identity=identity, key=key)


# Stored identities by organization: a row is written once and never changed or deleted
# (IssuerIdentity), so what this process has read stays true.
_IDENTITIES: dict[int, IssuerIdentity] = {}


def _identity(organization: Organization) -> IssuerIdentity | None:
    found = _IDENTITIES.get(organization.pk)
    if found is None:
        found = IssuerIdentity.objects.filter(organization=organization).first()
        if found is not None:
            _IDENTITIES[organization.pk] = found
    return found


def signing_key(organization: Organization) -> IssuerKey:
    """The organization's active key (made on first use); see `signer`."""
    with transaction.atomic():
        return signer(organization).key


def forget_keys() -> None:
    """Forget the open status lists and identities kept per process (tests)."""
    _OPEN_LISTS.clear()
    _IDENTITIES.clear()


def _resign_lists(organization: Organization, current: Signer) -> None:
    for status_list in StatusList.objects.filter(organization=organization):
        status_list.organization = organization
        _sign_status_list(status_list, signed_by=current)


@transaction.atomic
def issuer_key_rotate(*, actor: User, organization: Organization) -> IssuerKey:
    """A new key signs from now on; the old one is retired but stays in the DID document, so
    every credential signed with it keeps verifying."""
    permissions.require(actor, "assessment.decide", organization)
    organization = _lock_organization(organization)
    identity = _identity_for_new_key(organization)
    retired = list(
        IssuerKey.objects.select_for_update().filter(
            organization=organization, retired_at__isnull=True
        )
    )
    IssuerKey.objects.filter(pk__in=[k.pk for k in retired]).update(retired_at=timezone.now())
    key = _new_key(organization, actor)
    audit.record(
        actor,
        Event.ISSUER_KEY_ROTATED,
        key,
        organization=organization,
        key=key.key_id,
        retired=[k.key_id for k in retired],
    )
    # Status lists are re-signed with the new key, as new credentials will be.
    _resign_lists(organization, Signer(identity=identity, key=key))
    return key


@transaction.atomic
def issuer_key_mark_compromised(
    *, actor: User | None, key: IssuerKey, reason: str
) -> IssuerKey | None:
    """Someone else may hold this key's private half. It leaves the DID document with this
    commit, so nothing it signed verifies any more, anywhere; if it was the active key a new
    one signs from now on; the status lists are re-signed at once; and every active
    credential it signed is issued again with the active key in the background (the old
    copies are marked superseded, reason "key compromise"), the educators told. Returns the
    new key, when one was made. `actor` None is the site operator on the command line."""
    organization = key.organization
    if actor is not None:
        permissions.require(actor, "assessment.decide", organization)
    reason = reason.strip()
    if not reason:
        raise Invalid("Say what happened to the key; it stays in the audit trail.", field="reason")
    if len(reason) > MAX_REASON:
        raise Invalid(f"Keep the reason under {MAX_REASON:,} characters.", field="reason")
    organization = _lock_organization(organization)
    identity = _identity_for_new_key(organization)
    # Waits for any transaction signing with this key right now, so the credentials read
    # below include everything it signed.
    key = IssuerKey.objects.select_for_update().get(pk=key.pk, organization=organization)
    if key.compromised_at is not None:
        raise InvalidTransition(f"The key {key.key_id} was already marked compromised.")
    now = timezone.now()
    was_active = key.retired_at is None
    key.compromised_at = now
    key.compromised_by = actor
    key.compromised_reason = reason
    key.retired_at = key.retired_at or now
    key.save(update_fields=["compromised_at", "compromised_by", "compromised_reason", "retired_at"])
    new_key = _new_key(organization, actor) if was_active else None
    current = IssuerKey.objects.get(organization=organization, retired_at__isnull=True)
    affected = IssuedCredential.objects.filter(issuer_key=key, state=State.ACTIVE).count()
    audit.record(
        actor,
        Event.ISSUER_KEY_COMPROMISED,
        key,
        organization=organization,
        key=key.key_id,
        reason=reason,
        new_key=new_key.key_id if new_key else None,
        credentials_to_reissue=affected,
        via="web" if actor is not None else "command line",
    )
    _resign_lists(organization, Signer(identity=identity, key=current))
    if affected:
        from microcred.badges.tasks import reissue_compromised_credentials

        transaction.on_commit(lambda: reissue_compromised_credentials.enqueue(key_id=key.pk))
    return new_key


REISSUE_BATCH = 100


def credentials_reissue_after_compromise(*, key: IssuerKey, limit: int = REISSUE_BATCH) -> int:
    """Issue again, with the active key, up to `limit` active credentials signed by a
    compromised key, and supersede the old copies (reason "key compromise"). Each credential
    is its own transaction; returns how many were re-issued (the task calls again until 0)."""
    key = IssuerKey.objects.select_related("organization").get(pk=key.pk)
    if key.compromised_at is None:
        raise InvalidTransition(f"The key {key.key_id} is not marked compromised.")
    ids = list(
        IssuedCredential.objects.filter(issuer_key=key, state=State.ACTIVE)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    done = 0
    for pk in ids:
        with transaction.atomic():
            credential = _lock_credential(IssuedCredential(pk=pk))
            if credential.state != State.ACTIVE or credential.issuer_key_id != key.pk:
                continue  # revoked or replaced meanwhile
            _reissue_after_compromise(credential, actor=key.compromised_by)
            done += 1
    return done


def _reissue_after_compromise(credential: IssuedCredential, *, actor: User | None) -> None:
    """A new copy of a (locked, active) credential signed by a compromised key."""
    if credential.award_id is None:
        _issue_again(credential, actor=actor, reason=Reissue.KEY_COMPROMISE)
        return
    loaded = selectors.award_for_issuing(credential.award_id)
    award = loaded.award
    new = _issue(
        loaded=loaded,
        validity=Validity(credential.valid_from, credential.valid_until),
        actor=actor,
        replaces=credential,
        reason=Reissue.KEY_COMPROMISE,
    )
    _supersede(credential, new, Reissue.KEY_COMPROMISE)
    notify(
        [award.attempt.educator],
        actor=actor,
        verb=Verb.CREDENTIAL_REISSUED,
        text=f"Your badge for “{award.attempt.version.title}” was issued again: "
        f"{Reissue.KEY_COMPROMISE.label}, so the earlier copy no longer verifies. "
        "Share the new one.",
        url=reverse("badges:public", args=[new.public_id]),
    )


def _replace_if_key_compromised(credential: IssuedCredential, *, actor: User | None) -> None:
    """A credential made active again (reinstated) whose key was compromised meanwhile no
    longer verifies: it is issued again with the current key."""
    if (
        credential.state == State.ACTIVE
        and IssuerKey.objects.filter(
            pk=credential.issuer_key_id, compromised_at__isnull=False
        ).exists()
    ):
        _reissue_after_compromise(credential, actor=actor)


# ----------------------------------------------------------------------------- status lists


def status_list_url(status_list: StatusList, current: Signer) -> str:
    """The list's address under the organization's stored identity (not today's SITE_URL)."""
    return current.url(
        compose.path("badges:status-list", status_list.organization.slug, status_list.number)
    )


def _sign_status_list(status_list: StatusList, *, signed_by: Signer | None = None) -> None:
    organization = status_list.organization
    current = signed_by or signer(organization)
    set_bits = list(
        IssuedCredential.objects.filter(status_list=status_list)
        .exclude(state=State.ACTIVE)
        .values_list("status_index", flat=True)
    )
    now = timezone.now()
    unsigned = compose.status_list_credential(
        organization=organization,
        issuer_did=current.identity.did,
        url=status_list_url(status_list, current),
        purpose=status_list.purpose,
        size=status_list.size,
        set_bits=set_bits,
        valid_from=now,
    )
    signed = proofs.sign(
        unsigned,
        keypair=keypair(current.key),
        verification_method=current.method_id,
        created=now,
    )
    status_list.document = json.dumps(signed, ensure_ascii=False)
    status_list.signed_at = now
    status_list.save(update_fields=["document", "signed_at"])
    fetch.forget()


_OPEN_LISTS: dict[int, StatusList] = {}


def _allocate_entry(organization: Organization, current: Signer) -> tuple[StatusList, int]:
    """A random free entry in the organization's open list (a new list once half is used,
    so indexes stay unguessable and a free one is found in a try or two). The open list is
    kept per process; taking an entry is one conditional UPDATE, and the unique constraint
    on (list, index) stands behind it should two workers draw the same number at once."""
    status_list = _OPEN_LISTS.get(organization.pk)
    if status_list is not None:
        for _ in range(8):
            index = secrets.randbelow(status_list.size)
            if _reserve(status_list, organization, index):
                return status_list, index
            if StatusList.objects.filter(pk=status_list.pk, used__gte=F("size") / 2).exists():
                break  # full: open a new list below
    status_list = (
        StatusList.objects.select_for_update()
        .filter(organization=organization, purpose=StatusList.Purpose.REVOCATION)
        .order_by("-number")
        .first()
    )
    if status_list is None or status_list.used >= status_list.size // 2:
        number = status_list.number + 1 if status_list else 1
        status_list = StatusList.objects.create(organization=organization, number=number)
        _sign_status_list(status_list, signed_by=current)
    status_list.organization = organization
    _OPEN_LISTS[organization.pk] = status_list
    while True:
        index = secrets.randbelow(status_list.size)
        if _reserve(status_list, organization, index):
            return status_list, index


@cache
def _reserve_sql() -> str:
    lists, issued = StatusList._meta.db_table, IssuedCredential._meta.db_table
    # Table names come from the models: no input here.
    return (
        f"UPDATE {lists} SET used = used + 1"  # noqa: S608
        " WHERE id = %s AND organization_id = %s AND used < size / 2"
        f" AND NOT EXISTS (SELECT 1 FROM {issued} WHERE status_list_id = %s AND status_index = %s)"
    )


def _reserve(status_list: StatusList, organization: Organization, index: int) -> bool:
    """Count one more entry of the list as used, if `index` is free and the list not half full."""
    with connection.cursor() as cursor:
        cursor.execute(_reserve_sql(), [status_list.pk, organization.pk, status_list.pk, index])
        return cursor.rowcount == 1


# ----------------------------------------------------------------------------- issuing


@dataclass(frozen=True, slots=True)
class Validity:
    valid_from: datetime
    valid_until: datetime | None


def months_later(moment: datetime, months: int) -> datetime:
    """The same day `months` later (the month's last day when it is shorter)."""
    year, month = divmod(moment.month - 1 + months, 12)
    year += moment.year
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def validity_from(award: Award, start: datetime) -> Validity:
    months = award.attempt.version.valid_for_months
    return Validity(start, months_later(start, months) if months else None)


def _issue(
    *,
    loaded: selectors.IssuingAward,
    validity: Validity,
    actor: User | None,
    replaces: IssuedCredential | None = None,
    reason: str = "",
) -> IssuedCredential:
    """Compose, sign and store a credential for an award read by
    `selectors.award_for_issuing`."""
    award = loaded.award
    facts = selectors.award_facts(award)
    owner = facts.version.credential  # slug and owner kept with the version
    current = signer_for(owner.organization_id)
    organization = owner.organization = current.organization  # read now, with the key
    status_list, index = _allocate_entry(organization, current)
    name = selectors.display_name(award, loaded.preferences)
    public_id = uuid.uuid4()
    unsigned = compose.open_badge_credential(
        facts=facts,
        issuer_did=current.identity.did,
        credential_id=f"urn:uuid:{public_id}",
        recipient_name=name,
        recipient_email=selectors.recipient_email(award, loaded.preferences),
        valid_from=validity.valid_from,
        valid_until=validity.valid_until,
        status_list_url=status_list_url(status_list, current),
        status_index=index,
    )
    signed = proofs.sign(
        unsigned,
        keypair=keypair(current.key),
        verification_method=current.method_id,
    )
    credential = IssuedCredential.objects.create(
        public_id=public_id,
        award=award,
        earner_id=award.attempt.educator_id,
        organization=organization,
        issuer_key=current.key,
        status_list=status_list,
        status_index=index,
        document=json.dumps(signed, ensure_ascii=False),
        recipient_name=name,
        valid_from=validity.valid_from,
        valid_until=validity.valid_until,
    )
    audit.record(
        actor,
        Event.BADGE_ISSUED,
        credential,
        organization=organization,
        award=str(award.public_id),
        replaces=str(replaces.public_id) if replaces else None,
        reason=reason or None,
    )
    _mirror_standing(credential, attempt=award.attempt)
    return credential


def _mirror_standing(credential: IssuedCredential, *, attempt: Attempt | None = None) -> None:
    """The award's current badge changed: copy where it stands onto the earned attempt, which
    the educator's pages read (earning.standing). `attempt`, when its standing was read with
    the award, saves the write when nothing changed (a first badge that never expires)."""
    if credential.award_id is None:
        return  # a stack's badge: no attempt keeps its standing
    revoked = credential.state == State.REVOKED
    facts = (
        credential.revoked_at if revoked else None,
        credential.revoked_reason if revoked else "",
        credential.valid_until,
    )
    if (
        attempt is not None
        and (attempt.revoked_at, attempt.revoked_reason, attempt.valid_until) == facts
    ):
        return
    earning_services.attempt_standing_set(
        attempt_id=credential.award.attempt_id,  # type: ignore[union-attr]
        revoked_at=facts[0],
        revoked_reason=facts[1],
        valid_until=facts[2],
    )


@transaction.atomic
def credential_issue(*, award: Award, actor: User | None = None) -> IssuedCredential:
    """Sign the first credential of an award (the task the award schedules calls this). An
    award that already has one keeps it: running the task twice issues once."""
    loaded = selectors.award_for_issuing(award.pk)
    if loaded.issued:
        existing = IssuedCredential.objects.filter(award_id=award.pk).current().first()
        assert existing is not None
        return existing
    award = loaded.award
    credential = _issue(loaded=loaded, validity=validity_from(award, award.awarded_at), actor=actor)
    notify(
        [award.attempt.educator],
        actor=actor,
        verb=Verb.CREDENTIAL_ISSUED,
        text=f"Your badge for “{award.attempt.version.title}” is ready to share.",
        url=reverse("badges:public", args=[credential.public_id]),
    )
    return credential


def stack_credential_issue(
    *,
    earner: User,
    facts: compose.StackFacts,
    valid_until: datetime | None,
    actor: User | None = None,
) -> IssuedCredential:
    """Sign the badge of a completed stack for `earner` (the programs app calls this, once
    per stack and earner, inside its own transaction). The stack's organization signs it,
    under the same identity, key and status lists as its other badges."""
    organization = facts.organization
    current = signer_for(organization.pk)
    organization = current.organization
    status_list, index = _allocate_entry(organization, current)
    name = earner.full_name or earner.email
    public_id = uuid.uuid4()
    unsigned = compose.stack_credential(
        facts=facts,
        issuer_did=current.identity.did,
        credential_id=f"urn:uuid:{public_id}",
        recipient_name=name,
        recipient_email=earner.email,
        valid_from=facts.completed_at,
        valid_until=valid_until,
        status_list_url=status_list_url(status_list, current),
        status_index=index,
    )
    signed = proofs.sign(
        unsigned, keypair=keypair(current.key), verification_method=current.method_id
    )
    credential = IssuedCredential.objects.create(
        public_id=public_id,
        earner=earner,
        achievement_name=compose.clean(facts.name)[:200],
        organization=organization,
        issuer_key=current.key,
        status_list=status_list,
        status_index=index,
        document=json.dumps(signed, ensure_ascii=False),
        recipient_name=name,
        valid_from=facts.completed_at,
        valid_until=valid_until,
    )
    audit.record(actor, Event.BADGE_ISSUED, credential, organization=organization, stack=facts.url)
    notify(
        [earner],
        actor=actor,
        verb=Verb.CREDENTIAL_ISSUED,
        text=f"You completed “{facts.name}”: its badge is ready to share.",
        url=reverse("badges:public", args=[public_id]),
    )
    return credential


def _issue_again(
    credential: IssuedCredential, *, actor: User | None, reason: str
) -> IssuedCredential:
    """A new copy of a (locked, active) badge without an award (a stack's): what it says
    stays, under a new id and status entry, for the earner's name and address as the
    account has them now, signed with the organization's active key. The old copy is
    superseded and the earner told."""
    current = signer_for(credential.organization_id)
    status_list, index = _allocate_entry(current.organization, current)
    earner = credential.earner
    name = earner.full_name or earner.email
    public_id = uuid.uuid4()
    document = json.loads(credential.document)
    document.pop("proof", None)
    document |= {
        "id": f"urn:uuid:{public_id}",
        "issuer": compose.issuer_profile(current.organization, current.identity.did),
        "description": compose.clean(
            f"{name} completed “{credential.achievement_name}” from {current.organization.name}."
        ),
        "credentialStatus": compose.status_entry(status_list_url(status_list, current), index),
    }
    subject = document["credentialSubject"]
    subject["identifier"] = compose.identifiers(name, earner.email, secrets.token_hex(8))
    subject["achievement"]["creator"] = document["issuer"]
    signed = proofs.sign(
        document, keypair=keypair(current.key), verification_method=current.method_id
    )
    new = IssuedCredential.objects.create(
        public_id=public_id,
        earner=earner,
        achievement_name=credential.achievement_name,
        organization=current.organization,
        issuer_key=current.key,
        status_list=status_list,
        status_index=index,
        document=json.dumps(signed, ensure_ascii=False),
        recipient_name=name,
        valid_from=credential.valid_from,
        valid_until=credential.valid_until,
    )
    audit.record(
        actor,
        Event.BADGE_ISSUED,
        new,
        organization=current.organization,
        replaces=str(credential.public_id),
        reason=reason,
    )
    _supersede(credential, new, reason)
    notify(
        [earner],
        actor=actor,
        verb=Verb.CREDENTIAL_REISSUED,
        text=f"Your badge for “{credential.achievement_name}” was issued again: "
        f"{Reissue(reason).label}. Share the new one.",
        url=reverse("badges:public", args=[new.public_id]),
    )
    return new


def _lock_credential(credential: IssuedCredential) -> IssuedCredential:
    """The credential locked with its organization and status list (two revocations on one
    list re-sign it one after the other, each with the other's bit); not the award's side,
    which a stack's badge lacks (PostgreSQL locks no row of an outer join's nullable side)."""
    return (
        IssuedCredential.objects.select_for_update(of=("self", "organization", "status_list"))
        .select_related("organization", "status_list__organization", "earner", "award__attempt")
        .get(pk=credential.pk)
    )


def _supersede(old: IssuedCredential, new: IssuedCredential, reason: str) -> None:
    old.state = State.SUPERSEDED
    old.superseded_by = new
    old.superseded_at = timezone.now()
    old.superseded_reason = reason
    old.save(update_fields=["state", "superseded_by", "superseded_at", "superseded_reason"])
    _sign_status_list(old.status_list)


@transaction.atomic
def credential_reissue(
    *,
    actor: User,
    credential: IssuedCredential,
    reason: str,
    new_name: str = "",
    new_email: str = "",
) -> IssuedCredential:
    """A fresh credential for the same award (the earner's name or email changed, or the
    issuer corrects it); the old one is superseded through the status list.

    For a new name or email, `new_name` / `new_email` is the value the new credential
    carries (kept in the award's BadgePreferences); without it, the name or address the
    earner's account has now, which must differ from the one the badge shows."""
    credential = _lock_credential(credential)
    if credential.award_id is None:
        return _reissue_without_award(actor, credential, reason, new_name or new_email)
    loaded = selectors.award_for_issuing(credential.award_id)
    award = loaded.award
    is_earner = award.attempt.educator_id == actor.pk
    # The earner re-issues for her own name or email; any other reason ("the issuer
    # corrected it", a new key) speaks for the issuer, and only the issuer may give it.
    if not (is_earner and reason in (Reissue.NAME, Reissue.EMAIL)):
        permissions.require(actor, "assessment.decide", credential.organization)
    if reason not in Reissue.values or reason in (Reissue.RENEWAL, Reissue.KEY_COMPROMISE):
        raise Invalid("Choose why the credential is issued again.", field="reason")
    if credential.state != State.ACTIVE:
        raise InvalidTransition(
            "Only an active credential can be issued again; "
            + (
                "this one was revoked by the issuer."
                if credential.state == State.REVOKED
                else "this one was already replaced by a newer one."
            )
        )
    if reason == Reissue.NAME:
        loaded.preferences = _new_name(award, loaded.preferences, credential, new_name)
    elif reason == Reissue.EMAIL:
        loaded.preferences = _new_email(award, loaded.preferences, credential, new_email)
    new = _issue(
        loaded=loaded,
        validity=Validity(credential.valid_from, credential.valid_until),
        actor=actor,
        replaces=credential,
        reason=reason,
    )
    _supersede(credential, new, reason)
    if not is_earner:
        notify(
            [award.attempt.educator],
            actor=actor,
            verb=Verb.CREDENTIAL_REISSUED,
            text=f"Your badge for “{award.attempt.version.title}” was issued again: "
            f"{Reissue(reason).label}. Share the new one.",
            url=reverse("badges:public", args=[new.public_id]),
        )
    return new


def _reissue_without_award(
    actor: User, credential: IssuedCredential, reason: str, new_value: str
) -> IssuedCredential:
    """`credential_reissue` of a stack's badge: it carries the account's name and address as
    they are now (no other may be given), for the earner, or for the issuer for any reason."""
    if not (credential.earner_id == actor.pk and reason in (Reissue.NAME, Reissue.EMAIL)):
        permissions.require(actor, "assessment.decide", credential.organization)
    if reason not in (Reissue.NAME, Reissue.EMAIL, Reissue.CORRECTION, Reissue.KEY):
        raise Invalid("Choose why the credential is issued again.", field="reason")
    if new_value:
        raise Invalid(
            "A stack's badge carries the name and email address of the account: change them "
            "in the profile, then issue the badge again.",
            field="new_name" if reason == Reissue.NAME else "new_email",
        )
    if credential.state != State.ACTIVE:
        raise InvalidTransition("Only an active credential can be issued again.")
    return _issue_again(credential, actor=actor, reason=reason)


def _new_name(
    award: Award, prefs: BadgePreferences | None, credential: IssuedCredential, new_name: str
) -> BadgePreferences | None:
    """Keep the new name for the award's badges (or check the account's changed)."""
    name = " ".join(new_name.split())
    if not name:
        if selectors.display_name(award, prefs) == credential.recipient_name:
            raise Invalid("Enter the new name the badge should show.", field="new_name")
        return prefs
    if len(name) > MAX_NAME:
        raise Invalid(f"Keep the name under {MAX_NAME} characters.", field="new_name")
    if name == credential.recipient_name:
        raise Invalid(f"The badge already shows “{name}”. Enter the new name.", field="new_name")
    prefs = prefs or BadgePreferences.objects.create(award=award)
    educator = award.attempt.educator
    prefs.display_name = name if name != (educator.full_name or educator.email) else ""
    prefs.save(update_fields=["display_name", "updated_at"])
    return prefs


def _new_email(
    award: Award, prefs: BadgePreferences | None, credential: IssuedCredential, new_email: str
) -> BadgePreferences | None:
    """Keep the new address the award's badges identify their earner by (or check the
    account's changed)."""
    email = new_email.strip()
    if not email:
        if _identifies(credential, selectors.recipient_email(award, prefs)) is not False:
            raise Invalid("Enter the new email address the badge should name.", field="new_email")
        return prefs
    try:
        validate_email(email)
    except ValidationError:
        raise Invalid(
            f"“{email}” is not an email address. Check it, e.g. name@school.org.",
            field="new_email",
        ) from None
    if _identifies(credential, email):
        raise Invalid(
            "The badge already names this email address. Enter the new one.", field="new_email"
        )
    prefs = prefs or BadgePreferences.objects.create(award=award)
    prefs.recipient_email = email if email.lower() != award.attempt.educator.email.lower() else ""
    prefs.save(update_fields=["recipient_email", "updated_at"])
    return prefs


@transaction.atomic
def credential_renew(*, actor: User, credential: IssuedCredential) -> IssuedCredential:
    """The issuer renews an award whose credential expires: a new credential valid from now
    for the version's period; the old one is superseded."""
    credential = _lock_credential(credential)
    permissions.require(actor, "assessment.decide", credential.organization)
    if credential.award_id is None:
        raise InvalidTransition(
            "A stack's badge is not renewed: the status it grants runs for the period the "
            "program set."
        )
    loaded = selectors.award_for_issuing(credential.award_id)
    award = loaded.award
    if not award.attempt.version.valid_for_months:
        raise InvalidTransition("This credential does not expire, so it needs no renewal.")
    if credential.state != State.ACTIVE:
        raise InvalidTransition("Only an active credential can be renewed.")
    new = _issue(
        loaded=loaded,
        validity=validity_from(award, timezone.now()),
        actor=actor,
        replaces=credential,
        reason=Reissue.RENEWAL,
    )
    _supersede(credential, new, Reissue.RENEWAL)
    until = timezone.localtime(new.valid_until).date() if new.valid_until else None
    notify(
        [award.attempt.educator],
        actor=actor,
        verb=Verb.CREDENTIAL_RENEWED,
        text=f"Your badge for “{award.attempt.version.title}” was renewed until {until:%B %-d, %Y}.",
        url=reverse("badges:public", args=[new.public_id]),
        email_template="badges/email/renewed",
        context={"credential": new, "title": award.attempt.version.title},
    )
    return new


MAX_REASON = 2_000


@transaction.atomic
def credential_revoke(
    *, actor: User | None, credential: IssuedCredential, reason: str, via: str = ""
) -> None:
    """The issuer of record revokes a credential; verifiers see it within the status list's
    cache lifetime (five minutes). The educator is told why. `actor` None is the site
    operator on the command line (`manage.py revoke_credential`), or the platform when
    `via` says why (a stack's badge whose counted credential was revoked)."""
    credential = _lock_credential(credential)
    if actor is not None:
        permissions.require(actor, "assessment.decide", credential.organization)
    reason = reason.strip()
    if not reason:
        raise Invalid(
            "Say why the credential is revoked; the educator reads this reason.", field="reason"
        )
    if len(reason) > MAX_REASON:
        raise Invalid(f"Keep the reason under {MAX_REASON:,} characters.", field="reason")
    if credential.state != State.ACTIVE:
        raise InvalidTransition(
            "This credential was revoked already."
            if credential.state == State.REVOKED
            else "This credential was replaced by a newer one; revoke the current one."
        )
    credential.state = State.REVOKED
    credential.revoked_at = timezone.now()
    credential.revoked_by = actor
    credential.revoked_reason = reason
    credential.save(update_fields=["state", "revoked_at", "revoked_by", "revoked_reason"])
    _sign_status_list(credential.status_list)
    _mirror_standing(credential)
    lifecycle.announce(lifecycle.Announcement.CREDENTIAL_REVOKED, credential_id=credential.pk)
    audit.record(
        actor,
        Event.BADGE_REVOKED,
        credential,
        organization=credential.organization,
        reason=reason,
        via=via or ("web" if actor is not None else "command line"),
    )
    title = json.loads(credential.document).get("name", "your credential")
    notify(
        [credential.earner],
        actor=actor,
        verb=Verb.CREDENTIAL_REVOKED,
        text=f"Your badge for “{title}” was revoked by {credential.organization}: {reason}",
        url=reverse("badges:public", args=[credential.public_id]),
        email_template="badges/email/revoked",
        context={"credential": credential, "title": title, "reason": reason},
    )


@transaction.atomic
def credential_unrevoke(*, actor: User, credential: IssuedCredential, note: str = "") -> None:
    """Undo a revocation: the status bit is cleared and the same credential verifies again.

    The pages call it "Reinstate"; the name differs from catalog's `credential_reinstate`
    (a retired catalog credential made active), and so does its event."""
    credential = _lock_credential(credential)
    permissions.require(actor, "assessment.decide", credential.organization)
    if credential.state != State.REVOKED:
        raise InvalidTransition("Only a revoked credential can be reinstated.")
    credential.state = State.ACTIVE
    credential.revoked_at = None
    credential.revoked_by = None
    credential.revoked_reason = ""
    credential.save(update_fields=["state", "revoked_at", "revoked_by", "revoked_reason"])
    _sign_status_list(credential.status_list)
    _mirror_standing(credential)
    lifecycle.announce(lifecycle.Announcement.CREDENTIAL_REINSTATED, credential_id=credential.pk)
    audit.record(
        actor,
        Event.BADGE_UNREVOKED,
        credential,
        organization=credential.organization,
        note=note.strip() or None,
    )
    title = json.loads(credential.document).get("name", "your credential")
    notify(
        [credential.earner],
        actor=actor,
        verb=Verb.CREDENTIAL_REINSTATED,
        text=f"Your badge for “{title}” was reinstated by {credential.organization}.",
        url=reverse("badges:public", args=[credential.public_id]),
        email_template="badges/email/reinstated",
        context={"credential": credential, "title": title},
    )
    _replace_if_key_compromised(credential, actor=actor)


# ----------------------------------------------------------------------------- the earner


MAX_NAME = 150


@transaction.atomic
def badge_preferences_update(
    *, actor: User, credential: IssuedCredential, display_name: str, public: bool
) -> IssuedCredential:
    """The earner chooses the name the badge shows and whether its page is public. A new
    name needs a new signature, so it re-issues the credential in the same step."""
    credential = _lock_credential(credential)
    award = credential.award
    if credential.earner_id != actor.pk:
        raise InvalidTransition("Only the person who earned this badge can change how it shows.")
    if award is None:
        raise InvalidTransition(
            "A stack's badge shows the name on your account and its page is public."
        )
    display_name = " ".join(display_name.split())
    if len(display_name) > MAX_NAME:
        raise Invalid(f"Keep the name under {MAX_NAME} characters.", field="display_name")
    if not display_name:
        raise Invalid("Enter the name the badge should show.", field="display_name")
    prefs, _ = BadgePreferences.objects.select_for_update().get_or_create(award=award)
    changed: dict[str, Any] = {}
    if prefs.public != public:
        changed["public"] = public
    stored_name = display_name if display_name != (actor.full_name or actor.email) else ""
    if prefs.display_name != stored_name:
        changed["display_name"] = display_name
    if not changed:
        return credential
    prefs.public = public
    prefs.display_name = stored_name
    prefs.save(update_fields=["public", "display_name", "updated_at"])
    audit.record(
        actor,
        Event.BADGE_PREFERENCES_CHANGED,
        award,
        organization=credential.organization,
        **changed,
    )
    if "display_name" in changed and credential.recipient_name != display_name:
        if credential.state != State.ACTIVE:
            raise InvalidTransition("A revoked badge cannot be issued again with a new name.")
        return credential_reissue(actor=actor, credential=credential, reason=Reissue.NAME)
    return credential


def needs_reissue(credential: IssuedCredential) -> str | None:
    """Why the earner's current details no longer match the credential (name or email), or
    None when they do."""
    if credential.state != State.ACTIVE:
        return None
    award = credential.award
    if award is None:
        earner = credential.earner
        if credential.recipient_name != (earner.full_name or earner.email):
            return Reissue.NAME
        return Reissue.EMAIL if _identifies(credential, earner.email) is False else None
    prefs = BadgePreferences.objects.filter(award=award).first()
    if credential.recipient_name != selectors.display_name(award, prefs):
        return Reissue.NAME
    if _identifies(credential, selectors.recipient_email(award, prefs)) is False:
        return Reissue.EMAIL
    return None


def _identifies(credential: IssuedCredential, email: str) -> bool | None:
    """Whether the credential's hashed email identity is `email` (None: it has none)."""
    document = json.loads(credential.document)
    for identity in document.get("credentialSubject", {}).get("identifier", []):
        if identity.get("identityType") == "emailAddress" and identity.get("hashed"):
            return identity.get("identityHash") == compose.identity_hash(
                email, identity.get("salt", "")
            )
    return None
