"""Verifying Open Badges 2.0 assertions: hosted (by URL), signed (a JWS), and baked.

An Open Badges 2.0 badge is an Assertion that links to its BadgeClass, which links to the
issuer's Profile. How it is verified is named in the assertion's `verification`:

- hosted: the assertion's `id` is its address on the issuer's server, and that copy is
  the truth (a copy in hand only says where to look). The address must be in the scope
  the issuer's Profile allows (`allowedOrigins`, `startsWith`; by default the Profile's
  own origin, for the assertion and the BadgeClass). A revoked hosted assertion answers
  410 Gone or says `"revoked": true`.
- signed: the assertion is the payload of a JWS, checked with a key the issuer's Profile
  lists under `publicKey` (a CryptographicKey with `publicKeyPem` whose `owner` is the
  issuer; `verification.creator` names which). Revocation is the Profile's
  `revocationList` (`revokedAssertions`).

Every document is fetched through `fetch.py` (or, for this installation's own export,
built from the database as the views serve it), and BadgeClass and Profile are always
read from their own addresses when they have one: an embedded copy could claim anything.
The verdict has the same shape as for Open Badges 3.0 (`verify.Verdict`), so the page, the
API and the command show it alike, with `format` saying which kind of badge it was.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import jwt
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from microcred.badges import fetch, ob2, vcjwt, verify
from microcred.badges.models import IssuedCredential, IssuerKey
from microcred.catalog.models import CredentialVersion
from microcred.core.models import Organization

OB2_CONTEXTS = frozenset(
    {
        "https://w3id.org/openbadges/v2",
        "https://w3id.org/openbadges/v2/context.json",
        "https://openbadgespec.org/v2/context.json",
    }
)
ACCEPT = "application/ld+json, application/json"
HOSTED_TYPES = frozenset({"hosted", "HostedBadge"})
SIGNED_TYPES = frozenset({"signed", "SignedBadge"})
HASHES = {"sha256": "SHA-256", "md5": "MD5"}
MAX_KEYS = 3
HOSTED = "Open Badges 2.0 assertion, hosted by its issuer"
SIGNED = "Open Badges 2.0 assertion, signed by its issuer"


class Problem(ValueError):
    """A document of the badge that is missing or wrong; the message is for a person.
    `unavailable`: it could not be fetched (no answer, too slow, a server error), so what it
    would say is not known: the badge "could not be checked", not "not verified"."""

    def __init__(self, detail: str, *, unavailable: bool = False) -> None:
        super().__init__(detail)
        self.unavailable = unavailable


def _problem_check(key: str, label: str, problem: Problem) -> verify.Check:
    if problem.unavailable:
        return verify.Check(key, label, None, str(problem), unavailable=True)
    return verify.Check(key, label, False, str(problem))


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [] if value is None else [value]


def _strings(value: Any) -> list[str]:
    return [item for item in _as_list(value) if isinstance(item, str)]


def _types(document: dict[str, Any]) -> list[str]:
    return _strings(document.get("type"))


def is_assertion(document: Any) -> bool:
    """Whether a JSON document is an Open Badges 2.0 assertion (rather than a credential)."""
    if not isinstance(document, dict):
        return False
    contexts = _as_list(document.get("@context"))
    if any(c in OB2_CONTEXTS for c in contexts if isinstance(c, str)):
        return "Assertion" in _types(document) or "revoked" in document
    return False


def is_assertion_token(token: str) -> bool:
    """Whether a compact JWS carries an Open Badges 2.0 assertion (not a VC-JWT)."""
    try:
        _, payload = vcjwt.peek(token)
    except vcjwt.TokenError:
        return False
    return is_assertion(payload)


def _verification(document: dict[str, Any]) -> dict[str, Any]:
    value = document.get("verification", document.get("verify"))
    return value if isinstance(value, dict) else {}


def _kind(document: dict[str, Any]) -> str:
    types = set(_strings(_verification(document).get("type")))
    if types & HOSTED_TYPES:
        return "hosted"
    if types & SIGNED_TYPES:
        return "signed"
    return ""


# ----------------------------------------------------------------------------- documents


def own_assertion_url(url: str) -> str | None:
    """The hosted assertion's address, when a URL is this installation's 2.0 export of a
    badge (its assertion or its baked PNG)."""
    from django.urls import reverse

    from microcred.badges.compose import absolute

    match = verify._local_route(url)
    if match is None or match.view_name not in ("badges:ob2-assertion", "badges:ob2-png"):
        return None
    return absolute(reverse("badges:ob2-assertion", args=[match.kwargs["public_id"]]))


def _own_document(url: str) -> tuple[int, dict[str, Any] | None] | None:
    """This installation's 2.0 documents, built as the views serve them (so a verifier
    never fetches from its own server); None for any other address."""
    match = verify._local_route(url)
    if match is None:
        return None
    if match.view_name == "badges:ob2-assertion":
        row = (
            IssuedCredential.objects.select_related(
                "organization", "award__attempt__version__credential"
            )
            .filter(public_id=match.kwargs["public_id"])
            .first()
        )
        if row is None:
            return 404, None
        assertion = ob2.assertion(row)
        return (410 if assertion.get("revoked") else 200), assertion
    if match.view_name == "badges:ob2-badge-class":
        version = (
            CredentialVersion.objects.select_related("credential__organization")
            .filter(
                credential__slug=match.kwargs["slug"],
                number=match.kwargs["number"],
                state=CredentialVersion.State.PUBLISHED,
            )
            .first()
        )
        return (200, ob2.badge_class(version)) if version else (404, None)
    if match.view_name == "badges:ob2-issuer":
        organization = Organization.objects.filter(slug=match.kwargs["slug"]).first()
        if organization is None or not IssuerKey.objects.filter(organization=organization).exists():
            return 404, None
        return 200, ob2.issuer(organization)
    return None


def _hosted_copy(url: str) -> tuple[int, Any]:
    """The hosted assertion at its address: (200, JSON) or (410, whatever it said)."""
    own = _own_document(url)
    if own is not None:
        status, document = own
        if status == 404:
            raise fetch.FetchError(f"{url} answered HTTP 404.")
        return status, document
    try:
        body, status = fetch.fetch_bytes(url, accept=ACCEPT), 200
    except fetch.StatusError as error:
        if error.status != 410:
            raise
        body, status = error.body, 410
    try:
        return status, json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        if status == 410:
            return status, None
        raise fetch.FetchError(f"{url} did not answer with JSON.") from None


def _document(url: str, what: str) -> dict[str, Any]:
    """A linked document (BadgeClass, Profile, key, revocation list), read from its address."""
    own = _own_document(url)
    if own is not None:
        document: Any = own[1]
        if document is None:
            raise Problem(f"The {what} at {url} does not exist (HTTP 404).")
    else:
        try:
            document = fetch.fetch_json(url)
        except fetch.StatusError as error:
            gone = error.status in (404, 410)
            raise Problem(f"The {what} could not be read: {error}", unavailable=not gone) from None
        except fetch.FetchError as error:
            raise Problem(f"The {what} could not be read: {error}", unavailable=True) from None
    if not isinstance(document, dict):
        raise Problem(f"The {what} at {url} is not a JSON object.")
    if document.get("id") not in (None, url):
        raise Problem(f"The {what} at {url} gives its address as {document.get('id')}.")
    return document


def _linked(value: Any, what: str) -> dict[str, Any]:
    """A linked object: fetched from its id when that is a web address, else as embedded."""
    if isinstance(value, str) and value.startswith(("https://", "http://")):
        return _document(value, what)
    if isinstance(value, dict):
        ref = value.get("id")
        if isinstance(ref, str) and ref.startswith(("https://", "http://")):
            return _document(ref, what)
        return value
    raise Problem(f"The assertion's {what} is missing or is not a link or an object.")


# ----------------------------------------------------------------------------- checks


def _check_shape(assertion: dict[str, Any], kind: str) -> verify.Check:
    missing = [
        name
        for name in ("id", "recipient", "badge", "issuedOn")
        if not assertion.get(name) and not (name == "id" and kind == "signed")
    ]
    if not any(c in OB2_CONTEXTS for c in _strings(assertion.get("@context"))):
        return verify.Check(
            "credential", "Badge", False, "Its @context is not the Open Badges 2.0 context."
        )
    if "Assertion" not in _types(assertion):
        return verify.Check("credential", "Badge", False, "Its type is not Assertion.")
    if missing:
        return verify.Check(
            "credential",
            "Badge",
            False,
            f"It lacks properties every Open Badges 2.0 assertion has: {', '.join(missing)}.",
        )
    how = (
        f"hosted by its issuer at {assertion['id']}"
        if kind == "hosted"
        else "signed by its issuer (a JSON Web Signature)"
    )
    return verify.Check("credential", "Badge", True, f"An Open Badges 2.0 assertion, {how}.")


def _badge_and_issuer(assertion: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    badge = _linked(assertion.get("badge"), "badge class")
    if "BadgeClass" not in _types(badge):
        raise Problem("The assertion's badge is not a BadgeClass.")
    profile = _linked(badge.get("issuer"), "issuer profile")
    if not {"Issuer", "Profile"} & set(_types(profile)):
        raise Problem("The badge class's issuer is not an issuer Profile.")
    if not isinstance(profile.get("id"), str):
        raise Problem("The issuer's profile has no id, so nothing can be checked against it.")
    return badge, profile


def _origin(url: Any) -> tuple[str, str]:
    parts = urlsplit(url if isinstance(url, str) else "")
    return parts.scheme, parts.netloc


def _check_scope(assertion: dict[str, Any], badge: dict[str, Any], profile: dict[str, Any]) -> str:
    """Why the hosted assertion's address is one the issuer allows; raises when it is not."""
    address = assertion["id"]
    rules: dict[str, Any] = profile.get("verification") or {}
    if not isinstance(rules, dict):
        rules = {}
    allowed = _strings(rules.get("allowedOrigins"))
    prefixes = _strings(rules.get("startsWith"))
    reasons = []
    if prefixes:
        if not any(address.startswith(prefix) for prefix in prefixes):
            raise Problem(
                f"The assertion's address {address} is not under the addresses its issuer "
                f"allows ({', '.join(prefixes)})."
            )
        reasons.append("its address is under the addresses its issuer allows")
    if allowed:
        if urlsplit(address).hostname not in allowed:
            raise Problem(
                f"The assertion is hosted at {urlsplit(address).hostname}, which its issuer "
                f"does not allow ({', '.join(allowed)})."
            )
        reasons.append("it is hosted on a site its issuer allows")
    if reasons:
        return " and ".join(reasons)
    home = _origin(profile["id"])
    # An embedded BadgeClass without a web address has no host to compare.
    badge_id = badge.get("id")
    hosted_badge = isinstance(badge_id, str) and badge_id.startswith(("https://", "http://"))
    for what, url in (
        ("assertion", address),
        ("badge class", badge_id if hosted_badge else address),
    ):
        if _origin(url) != home:
            raise Problem(
                f"The {what} is hosted at {'://'.join(_origin(url))}, not on its issuer's own "
                f"site ({'://'.join(home)}), and the issuer allows no other site."
            )
    return "it is hosted on its issuer's own site"


def _issuer_name(profile: dict[str, Any], badge: dict[str, Any]) -> str:
    name = profile.get("name") if isinstance(profile.get("name"), str) else profile["id"]
    badge_name = badge.get("name") if isinstance(badge.get("name"), str) else "a badge"
    return f"{name} ({profile['id']}) issued “{badge_name}”"


def _check_signed(
    token: str, alg: str | None, assertion: dict[str, Any], profile: dict[str, Any]
) -> tuple[verify.Check, verify.Check]:
    issuer_id = profile["id"]
    if alg not in vcjwt.ALGORITHMS:
        return (
            verify.Check(
                "issuer", "Issuer", None, "Not checked: the assertion is not signed with a key."
            ),
            verify.Check(
                "signature",
                "Signature",
                False,
                f"The signature's algorithm {alg!r} is not a public-key signature, so it "
                "proves nothing about who made it.",
            ),
        )
    listed: dict[str, Any] = {}
    for entry in _as_list(profile.get("publicKey")):
        key_id = entry.get("id") if isinstance(entry, dict) else entry
        if isinstance(key_id, str):
            listed[key_id] = entry
    creator = _verification(assertion).get("creator")
    if creator is not None:
        creator = creator.get("id") if isinstance(creator, dict) else creator
        creator = creator if isinstance(creator, str) else repr(creator)
        if creator not in listed:
            return (
                verify.Check(
                    "issuer",
                    "Issuer",
                    False,
                    f"The assertion was signed with the key {creator}, which the issuer's "
                    f"profile ({issuer_id}) does not list among its keys.",
                ),
                verify.Check(
                    "signature", "Signature", False, "Not checked: the key is not the issuer's."
                ),
            )
        candidates = {creator: listed[creator]}
    else:
        # Each key is a fetch: a profile listing hundreds must not make us fetch hundreds.
        candidates = dict(list(listed.items())[:MAX_KEYS])
    if not candidates:
        return (
            verify.Check(
                "issuer",
                "Issuer",
                False,
                f"The issuer's profile ({issuer_id}) lists no public key, so no signature of "
                "it can be checked.",
            ),
            verify.Check("signature", "Signature", False, "Not checked: no key to check with."),
        )
    problems: list[str] = []
    tried: list[str] = []
    unreachable = False
    for key_id, entry in candidates.items():
        try:
            key = _issuer_key(key_id, entry, issuer_id)
        except Problem as error:
            problems.append(str(error))
            unreachable = unreachable or error.unavailable
            continue
        tried.append(key_id)
        try:
            jwt.PyJWS().decode_complete(token, key=key, algorithms=[alg])
        except (jwt.PyJWTError, ValueError, TypeError):
            continue  # a wrong key, or one that does not suit the algorithm: try the next
        return (
            verify.Check(
                "issuer", "Issuer", True, f"The issuer's profile lists the signing key {key_id}."
            ),
            verify.Check(
                "signature",
                "Signature",
                True,
                f"The {alg} signature matches the issuer's key: the assertion is as its "
                "issuer signed it.",
            ),
        )
    if not tried and unreachable:
        return (
            verify.Check("issuer", "Issuer", None, " ".join(problems), unavailable=True),
            verify.Check(
                "signature",
                "Signature",
                None,
                "Not checked: the issuer's key could not be fetched.",
                unavailable=True,
            ),
        )
    if not tried:
        return (
            verify.Check("issuer", "Issuer", False, " ".join(problems)),
            verify.Check(
                "signature", "Signature", False, "Not checked: no usable key of the issuer."
            ),
        )
    return (
        verify.Check(
            "issuer", "Issuer", True, f"The issuer's profile lists the key {', '.join(tried)}."
        ),
        verify.Check(
            "signature",
            "Signature",
            False,
            "The signature does not match the issuer's key: the assertion was changed after "
            "it was signed, or someone else signed it.",
        ),
    )


def _issuer_key(key_id: str, entry: Any, issuer_id: str) -> Any:
    """A CryptographicKey the issuer's profile lists, owned by the issuer, as a public key."""
    document = (
        _document(entry, "signing key") if isinstance(entry, str) else _linked(entry, "signing key")
    )
    owner = document.get("owner")
    if owner != issuer_id:
        raise Problem(f"The key {key_id} names {owner} as its owner, not the issuer.")
    pem = document.get("publicKeyPem")
    if not isinstance(pem, str):
        raise Problem(f"The key {key_id} has no publicKeyPem.")
    try:
        return load_pem_public_key(pem.encode("utf-8"))
    except (ValueError, TypeError):
        raise Problem(f"The key {key_id} is not a readable PEM public key.") from None


def _check_revocation_list(
    assertion: dict[str, Any], profile: dict[str, Any]
) -> verify.Check | None:
    """The issuer's revocation list's answer, or None when the issuer publishes none."""
    url = profile.get("revocationList")
    if url is None:
        return None
    if not isinstance(url, str):
        return verify.Check("status", "Status", False, "The issuer's revocationList is not a link.")
    try:
        listing = _document(url, "revocation list")
    except Problem as error:
        return _problem_check("status", "Status", error)
    if listing.get("issuer") not in (None, profile["id"]):
        return verify.Check(
            "status",
            "Status",
            False,
            f"The revocation list is published by {listing.get('issuer')}, not by the issuer.",
        )
    wanted = _strings(assertion.get("id")) + _strings(assertion.get("uid"))
    for entry in _as_list(listing.get("revokedAssertions")):
        ref = (
            entry
            if isinstance(entry, str)
            else entry.get("id")
            if isinstance(entry, dict)
            else None
        )
        uid = entry.get("uid") if isinstance(entry, dict) else None
        if ref in wanted or uid in wanted:
            reason = entry.get("revocationReason") if isinstance(entry, dict) else None
            because = f" The reason given: {reason}" if isinstance(reason, str) and reason else ""
            return verify.Check(
                "status",
                "Status",
                False,
                f"The issuer has revoked this badge: it is on the issuer's revocation list.{because}",
            )
    return verify.Check(
        "status", "Status", True, "Not revoked: the issuer's revocation list does not name it."
    )


def _check_dates(assertion: dict[str, Any], now: datetime) -> tuple[verify.Check, str | None]:
    issued = verify._parse_time(assertion.get("issuedOn"))
    if issued is None:
        return verify.Check(
            "validity", "Dates", False, "issuedOn is not a valid date and time."
        ), None
    if "expires" in assertion and verify._parse_time(assertion["expires"]) is None:
        return verify.Check(
            "validity", "Dates", False, "expires is not a valid date and time."
        ), None
    expires = verify._parse_time(assertion.get("expires"))
    if now < issued:
        return (
            verify.Check(
                "validity", "Dates", False, f"Not valid yet: it is dated {verify._day(issued)}."
            ),
            "not-yet-valid",
        )
    if expires and now >= expires:
        return verify.Check(
            "validity", "Dates", False, f"Expired on {verify._day(expires)}."
        ), "expired"
    detail = f"Issued on {verify._day(issued)}; " + (
        f"valid until {verify._day(expires)}." if expires else "it does not expire."
    )
    return verify.Check("validity", "Dates", True, detail), None


def _check_recipient(assertion: dict[str, Any]) -> verify.Check:
    recipient = assertion.get("recipient")
    if not isinstance(recipient, dict) or not isinstance(recipient.get("identity"), str):
        return verify.Check("recipient", "Issued to", False, "The assertion names no recipient.")
    kind = recipient.get("type")
    kind = kind if isinstance(kind, str) else "identity"
    what = {"email": "an email address", "url": "a web address", "telephone": "a telephone number"}
    named = what.get(kind, f"a {kind}")
    if recipient.get("hashed") is True:
        algorithm, _, digest = recipient["identity"].partition("$")
        if algorithm.lower() not in HASHES or not digest:
            return verify.Check(
                "recipient",
                "Issued to",
                False,
                "The recipient is hashed, but not as sha256$… or md5$… as Open Badges asks.",
            )
        salted = "salted" if recipient.get("salt") else "unsalted"
        return verify.Check(
            "recipient",
            "Issued to",
            True,
            f"Issued to a hashed {named.removeprefix('an ').removeprefix('a ')} "
            f"({HASHES[algorithm.lower()]}, {salted}): whoever knows the earner's "
            f"{named.removeprefix('an ').removeprefix('a ')} can check it is theirs.",
        )
    return verify.Check(
        "recipient", "Issued to", True, f"Issued to {recipient['identity']} ({named})."
    )


def _verdict(
    checks: list[verify.Check],
    assertion: dict[str, Any],
    fmt: str,
    status_word: str | None = None,
    date_word: str | None = None,
) -> verify.Verdict:
    by_key = {check.key: check for check in checks}
    broken = any(
        by_key[key].ok is False
        for key in ("credential", "issuer", "signature", "hosted", "recipient")
        if key in by_key
    )
    unavailable = any(check.unavailable and check.holds_verdict for check in checks)
    if broken:
        word = "invalid"
    elif unavailable:
        word = "unchecked"
    elif by_key.get("status") and by_key["status"].ok is False:
        word = status_word or "revoked"
    elif by_key.get("validity") and by_key["validity"].ok is False:
        word = date_word or "invalid"
    else:
        word = "verified"
    verdict = verify.Verdict(
        verified=word == "verified",
        status=word,
        headline=verify.HEADLINES[word],
        checks=checks,
        credential=assertion,
        format=fmt,
    )
    badge = assertion.get("badge")
    profile = badge.get("issuer") if isinstance(badge, dict) else None
    if isinstance(profile, dict) and isinstance(profile.get("id"), str):
        verdict.warnings = verify.issuer_name_warnings(profile.get("name"), profile["id"])
    return verdict


def _cluster(
    assertion: dict[str, Any], badge: dict[str, Any], profile: dict[str, Any]
) -> dict[str, Any]:
    """The assertion with the BadgeClass and Profile it was checked against embedded (as
    Open Badges 2.0 allows), so a page can name the badge and its issuer."""
    return {**assertion, "badge": {**badge, "issuer": profile}}


# ----------------------------------------------------------------------------- verifying


def _revoked(url: str, assertion: dict[str, Any] | None) -> verify.Verdict:
    reason = (assertion or {}).get("revocationReason")
    because = f" The reason given: {reason}" if isinstance(reason, str) and reason else ""
    checks = [
        verify.Check(
            "credential", "Badge", True, f"An Open Badges 2.0 assertion, hosted at {url}."
        ),
        verify.Check(
            "status",
            "Status",
            False,
            f"The issuer has revoked this badge: its address now answers that it was revoked.{because}",
        ),
    ]
    return _verdict(checks, assertion or {"id": url}, HOSTED, "revoked")


def verify_hosted(
    url: str, *, now: datetime | None = None, given: dict[str, Any] | None = None
) -> verify.Verdict:
    """A hosted assertion by its address (given: the copy that named it, if any)."""
    now = now or datetime.now(UTC)
    try:
        status, assertion = _hosted_copy(url)
    except fetch.StatusError as error:
        verdict = verify.unreadable(f"The hosted badge could not be read: {error}", "url")
        verdict.format = HOSTED
        return verdict
    except fetch.FetchError as error:
        # No answer (too slow, unreachable): whether it is still valid is not known.
        check = verify.Check(
            "hosted",
            "Hosted by the issuer",
            None,
            f"The issuer's copy of the badge could not be fetched, so it could not be checked: "
            f"{error}",
            unavailable=True,
        )
        return verify.Verdict(
            verified=False,
            status="unchecked",
            headline=verify.HEADLINES["unchecked"],
            checks=[check],
            credential=given,
            source="url",
            format=HOSTED,
        )
    if status == 410 or (isinstance(assertion, dict) and assertion.get("revoked") is True):
        if status == 410 and not (
            isinstance(assertion, dict)
            and (is_assertion(assertion) or assertion.get("revoked") is True)
        ):
            verdict = verify.unreadable(
                f"{url} answered 410 Gone: what was there was removed. If it was an Open Badges "
                "2.0 hosted badge, its issuer revoked it.",
                "url",
            )
            verdict.format = HOSTED
            return verdict
        return _revoked(url, assertion)
    if not is_assertion(assertion):
        if isinstance(assertion, dict) and verify._check_shape(assertion).ok:
            return verify.verify_credential(assertion, now=now)
        verdict = verify.unreadable(f"{url} does not hold an Open Badges 2.0 assertion.", "url")
        verdict.format = HOSTED
        return verdict
    assert isinstance(assertion, dict)
    shape = _check_shape(assertion, "hosted")
    if not shape.ok:
        return _verdict([shape], assertion, HOSTED)
    if assertion["id"] != url:
        problem = verify.Check(
            "issuer",
            "Issuer",
            False,
            f"The assertion at {url} gives its address as {assertion['id']}, so it is not "
            "the issuer's hosted copy.",
        )
        return _verdict([shape, problem], assertion, HOSTED)
    try:
        badge, profile = _badge_and_issuer(assertion)
        scope = _check_scope(assertion, badge, profile)
    except Problem as error:
        return _verdict([shape, _problem_check("issuer", "Issuer", error)], assertion, HOSTED)
    issuer = verify.Check("issuer", "Issuer", True, f"{_issuer_name(profile, badge)}; {scope}.")
    differs = given is not None and given != assertion
    hosted = verify.Check(
        "hosted",
        "Hosted by the issuer",
        True,
        "The issuer's server answered with this assertion at its address just now (a hosted "
        "badge carries no signature: its address on the issuer's site is the proof)."
        + (
            " The copy you gave differs from the issuer's; this result is about the issuer's."
            if differs
            else ""
        ),
    )
    status_check = _check_revocation_list(assertion, profile) or verify.Check(
        "status", "Status", True, "Not revoked: the issuer's server still serves it as valid."
    )
    dates, date_word = _check_dates(assertion, now)
    checks = [shape, issuer, hosted, status_check, dates, _check_recipient(assertion)]
    return _verdict(checks, _cluster(assertion, badge, profile), HOSTED, "revoked", date_word)


def verify_signed(token: str, *, now: datetime | None = None) -> verify.Verdict:
    """A signed assertion: its JWS, with the key and revocation list of its issuer."""
    now = now or datetime.now(UTC)
    try:
        header, assertion = vcjwt.peek(token)
    except vcjwt.TokenError as error:
        verdict = verify.unreadable(str(error), "jwt")
        verdict.format = SIGNED
        return verdict
    if _kind(assertion) == "hosted" and isinstance(assertion.get("id"), str):
        return verify_hosted(assertion["id"], now=now, given=assertion)
    shape = _check_shape(assertion, "signed")
    if shape.ok and _kind(assertion) != "signed":
        shape = verify.Check(
            "credential",
            "Badge",
            False,
            "The assertion is signed, but its verification type is not SignedBadge.",
        )
    if not shape.ok:
        return _verdict([shape], assertion, SIGNED)
    try:
        badge, profile = _badge_and_issuer(assertion)
    except Problem as error:
        return _verdict([shape, _problem_check("issuer", "Issuer", error)], assertion, SIGNED)
    issuer, signature = _check_signed(token, vcjwt.algorithm_of(header), assertion, profile)
    if issuer.ok:
        issuer = verify.Check(
            "issuer", "Issuer", True, f"{_issuer_name(profile, badge)}. {issuer.detail}"
        )
    status_check = _check_revocation_list(assertion, profile) or verify.Check(
        "status",
        "Status",
        None,
        "The issuer publishes no revocation list, so it has no way to revoke signed badges.",
    )
    dates, date_word = _check_dates(assertion, now)
    checks = [shape, issuer, signature, status_check, dates, _check_recipient(assertion)]
    return _verdict(checks, _cluster(assertion, badge, profile), SIGNED, "revoked", date_word)


def verify_assertion(document: dict[str, Any], *, now: datetime | None = None) -> verify.Verdict:
    """An assertion's JSON in hand: a hosted one is checked at its address (the copy in
    hand only says where); a signed one needs its signature, which JSON alone lacks."""
    kind = _kind(document)
    if document.get("revoked") is True and isinstance(document.get("id"), str):
        return verify_hosted(document["id"], now=now, given=document)
    if kind == "hosted":
        url = _verification(document).get("url") or document.get("id")
        if not (isinstance(url, str) and url.startswith(("https://", "http://"))):
            return _verdict(
                [
                    verify.Check(
                        "credential",
                        "Badge",
                        False,
                        "A hosted Open Badges 2.0 assertion must give its web address as its id.",
                    )
                ],
                document,
                HOSTED,
            )
        return verify_hosted(url, now=now, given=document)
    if kind == "signed":
        verdict = verify.unreadable(
            "This is a signed Open Badges 2.0 assertion without its signature. Give the "
            "verifier the badge image it came in, or the signature itself (the long text of "
            "three parts separated by dots).",
            "json",
        )
        verdict.format = SIGNED
        return verdict
    return _verdict(
        [
            verify.Check(
                "credential",
                "Badge",
                False,
                "This Open Badges 2.0 assertion does not say how to verify it (its "
                "verification type is neither hosted nor signed).",
            )
        ],
        document,
        "Open Badges 2.0 assertion",
    )
