"""Open Badges 2.0 in the verifier: our own 2.0 export (baked PNG, hosted assertion, by
URL from the running server), and another issuer's hosted and signed badges served by a
real web server on loopback — good, revoked, expired, tampered, and signed by a key that
is not the issuer's."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from PIL import Image

from microcred.badges import baking, fetch, services, verify, verify_ob2
from microcred.badges.tests.remote import IssuerSite

NOW = datetime(2026, 6, 1, tzinfo=UTC)
HASH = "sha256$2f7fd3b2d0d6b0a6e39d8f4d6fb0c6b1f6c3f3a7a1f0a2a1a5b7c6d8e9f0a1b2"


@pytest.fixture
def site(settings):
    """Lakeshore Teachers College's web server: an issuer profile and a badge class."""
    settings.VERIFIER_ALLOW_PRIVATE_ADDRESSES = True  # the server listens on loopback
    fetch.forget()
    server = IssuerSite()
    server.put(
        "/issuer",
        {
            "@context": "https://w3id.org/openbadges/v2",
            "type": "Issuer",
            "id": f"{server.url}/issuer",
            "name": "Lakeshore Teachers College",
            "url": server.url,
            "email": "badges@lakeshore.example",
            "revocationList": f"{server.url}/revoked",
            "publicKey": f"{server.url}/key",
        },
    )
    server.put(
        "/badges/coaching",
        {
            "@context": "https://w3id.org/openbadges/v2",
            "type": "BadgeClass",
            "id": f"{server.url}/badges/coaching",
            "name": "Peer coaching",
            "description": "Coaches a colleague through three observation cycles.",
            "image": f"{server.url}/badges/coaching.png",
            "criteria": {"narrative": "Three cycles, each with notes."},
            "issuer": f"{server.url}/issuer",
        },
    )
    server.put(
        "/revoked",
        {
            "@context": "https://w3id.org/openbadges/v2",
            "type": "RevocationList",
            "id": f"{server.url}/revoked",
            "issuer": f"{server.url}/issuer",
            "revokedAssertions": [],
        },
    )
    yield server
    server.close()


def _assertion(site: IssuerSite, number: int, **extra) -> dict:
    return {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "Assertion",
        "id": f"{site.url}/assertions/{number}",
        "recipient": {"type": "email", "hashed": True, "salt": "pepper", "identity": HASH},
        "badge": f"{site.url}/badges/coaching",
        "verification": {"type": "hosted"},
        "issuedOn": "2026-01-15T10:00:00Z",
        **extra,
    }


def _host(site: IssuerSite, number: int, **extra) -> str:
    return site.put(f"/assertions/{number}", _assertion(site, number, **extra))


def _rsa() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _publish_key(site: IssuerSite, private: rsa.RSAPrivateKey, *, owner: str | None = None):
    pem = (
        private.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    site.put(
        "/key",
        {
            "@context": "https://w3id.org/openbadges/v2",
            "type": "CryptographicKey",
            "id": f"{site.url}/key",
            "owner": owner or f"{site.url}/issuer",
            "publicKeyPem": pem,
        },
    )


def _signed(site: IssuerSite, private: rsa.RSAPrivateKey, number: int = 7, **extra) -> str:
    assertion = _assertion(
        site,
        number,
        verification={"type": "SignedBadge", "creator": f"{site.url}/key"},
        **extra,
    )
    return jwt.encode(assertion, private, algorithm="RS256")


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "teal").save(buffer, "PNG")
    return buffer.getvalue()


# ----------------------------------------------------------------------------- our export


@pytest.mark.django_db
def test_our_open_badges_2_png_verifies_as_open_badges_2_and_says_revoked_once_revoked(
    client, issued, issuer_carla
):
    png = client.get(f"/badges/{issued.public_id}/ob2.png").content
    verdict = verify.verify_bytes(png)
    assert verdict.verified, [(c.key, c.detail) for c in verdict.checks]
    assert verdict.source == "png" and verdict.format == verify_ob2.HOSTED
    assert "Riverbend Unified" in verdict.check("issuer").detail
    assert "Exit tickets" in verdict.check("issuer").detail
    assert "hashed email address (SHA-256, salted)" in verdict.check("recipient").detail

    services.credential_revoke(actor=issuer_carla, credential=issued, reason="Copied work.")
    revoked = verify.verify_bytes(png)
    assert not revoked.verified and revoked.status == "revoked"
    assert "revoked" in revoked.check("status").detail


@pytest.mark.django_db
def test_the_verifier_page_and_api_name_the_open_badges_2_format(client, issued):
    png = client.get(f"/badges/{issued.public_id}/ob2.png").content
    page = client.post("/verify/", {"file": SimpleUploadedFile("ana-ob2.png", png)})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-verdict="verified"' in html and "Open Badges 2.0 assertion" in html
    # Hosted on the issuer's site is its proof: its names are not flagged as mere claims.
    assert "data-unconfirmed" not in html
    facts = html[html.index('class="facts verify-facts"') :]
    assert "<dd>Exit tickets</dd>" in facts and "<dd>Riverbend Unified" in facts
    api = client.post("/verify/api", png, content_type="image/png").json()
    assert api["verified"] is True and api["format"] == verify_ob2.HOSTED
    assert api["warnings"] == []  # Riverbend's own 2.0 profile, not a namesake
    link = f"http://localhost:8000/badges/{issued.public_id}/ob2.json"
    assert client.get("/verify/api", {"url": link}).json()["format"] == verify_ob2.HOSTED
    pasted = client.post("/verify/", {"text": f"  {link}\n"}).context["verdict"]
    assert pasted.verified and pasted.format == verify_ob2.HOSTED


# serialized_rollback, as in test_interop: its flush must not leave later tests that restore
# the serialized database with duplicate content types.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_our_hosted_assertion_verifies_by_url_from_the_running_server(
    live_server, settings, world, django_capture_on_commit_callbacks
):
    """As an outside verifier sees it: every document fetched over HTTP, 410 once revoked."""
    from microcred.badges.models import IssuedCredential
    from microcred.badges.tests.factories import awarded
    from microcred.catalog.tests.factories import published_credential
    from microcred.core.models import Role

    settings.SITE_URL = live_server.url
    settings.VERIFIER_READ_OWN_DOCUMENTS = False
    settings.VERIFIER_ALLOW_PRIVATE_ADDRESSES = True
    fetch.forget()
    people = world.north.people
    credential = published_credential(
        people[Role.DESIGNER], people[Role.REVIEWER], world.north.organization, title="Data teams"
    )
    with django_capture_on_commit_callbacks(execute=True):
        award = awarded(
            educator=people[Role.EDUCATOR],
            credential=credential,
            assessor=people[Role.ASSESSOR],
            issuer=people[Role.ISSUER],
        )
    issued = IssuedCredential.objects.get(award=award)
    url = f"{live_server.url}/badges/{issued.public_id}/ob2.json"
    good = verify.verify_url(url)
    assert good.verified, [(c.key, c.detail) for c in good.checks]
    assert good.format == verify_ob2.HOSTED and good.source == "url"

    services.credential_revoke(actor=people[Role.ISSUER], credential=issued, reason="Copied work.")
    revoked = verify.verify_url(url)
    assert revoked.status == "revoked" and not revoked.verified
    assert "Revoked by the issuer." in revoked.check("status").detail


# ----------------------------------------------------------------------------- hosted


@pytest.mark.django_db
def test_a_hosted_assertion_on_its_issuers_site_verifies_by_url(site):
    url = _host(site, 1)
    verdict = verify.verify_url(url, now=NOW)
    assert verdict.verified, [(c.key, c.detail) for c in verdict.checks]
    assert "Lakeshore Teachers College" in verdict.check("issuer").detail
    assert "Peer coaching" in verdict.check("issuer").detail
    assert verdict.check("hosted").ok is True


@pytest.mark.django_db
def test_an_unreachable_revocation_list_or_key_is_could_not_be_checked(site):
    """Item 4 for Open Badges 2.0: a document that cannot be fetched leaves the badge "could
    not be checked", never "Not verified" (and never "Verified")."""
    url = _host(site, 11)
    site.put("/revoked", b"busy", status=503)
    verdict = verify.verify_url(url, now=NOW)
    assert not verdict.verified and verdict.status == "unchecked"
    assert verdict.outcome == "could-not-check"
    status = verdict.check("status")
    assert status.ok is None and status.unavailable and "HTTP 503" in status.detail
    # A badge class that is not there at all is an answer: the badge is not verified.
    missing = _host(site, 12, badge=f"{site.url}/badges/missing")
    assert verify.verify_url(missing, now=NOW).outcome == "not-verified"


@pytest.mark.django_db
def test_a_hosted_assertion_answering_410_gone_is_revoked(site):
    url = site.put(
        "/assertions/2",
        {"id": f"{site.url}/assertions/2", "revoked": True, "revocationReason": "Misconduct"},
        status=410,
    )
    verdict = verify.verify_url(url, now=NOW)
    assert verdict.status == "revoked" and not verdict.verified
    assert "Misconduct" in verdict.check("status").detail


@pytest.mark.django_db
def test_a_hosted_assertion_past_its_expiry_is_expired(site):
    url = _host(site, 3, expires="2026-03-01T00:00:00Z")
    verdict = verify.verify_url(url, now=NOW)
    assert verdict.status == "expired" and not verdict.verified
    assert "Expired on March 1, 2026" in verdict.check("validity").detail


@pytest.mark.django_db
def test_a_tampered_copy_of_a_hosted_assertion_is_judged_by_the_issuers_copy(site):
    _host(site, 4, expires="2026-03-01T00:00:00Z")
    tampered = _assertion(site, 4, expires="2099-01-01T00:00:00Z")
    verdict = verify.verify_text(json.dumps(tampered), now=NOW)
    assert verdict.status == "expired"
    assert verdict.credential["expires"] == "2026-03-01T00:00:00Z"
    assert "differs from the issuer's" in verdict.check("hosted").detail


@pytest.mark.django_db
def test_a_hosted_assertion_on_another_site_cannot_claim_the_issuer(site):
    """A forger hosts an assertion on their own server, naming Lakeshore's badge class."""
    forger = IssuerSite()
    try:
        assertion = _assertion(site, 5) | {"id": f"{forger.url}/assertions/5"}
        url = forger.put("/assertions/5", assertion)
        verdict = verify.verify_url(url, now=NOW)
        assert not verdict.verified and verdict.status == "invalid"
        assert "not on its issuer's own site" in verdict.check("issuer").detail
    finally:
        forger.close()


@pytest.mark.django_db
def test_an_issuer_may_allow_another_origin_for_hosting(site):
    profile = json.loads(site.documents["/issuer"][1])
    profile["verification"] = {"type": "VerificationObject", "allowedOrigins": "badges.example"}
    site.put("/issuer", profile)
    verdict = verify.verify_url(_host(site, 6), now=NOW)
    assert not verdict.verified
    assert "which its issuer does not allow (badges.example)" in verdict.check("issuer").detail


# ----------------------------------------------------------------------------- signed


@pytest.mark.django_db
def test_a_signed_assertion_verifies_with_the_issuers_key(site):
    key = _rsa()
    _publish_key(site, key)
    verdict = verify.verify_text(_signed(site, key), now=NOW)
    assert verdict.verified, [(c.key, c.detail) for c in verdict.checks]
    assert verdict.format == verify_ob2.SIGNED and verdict.source == "jwt"
    assert "RS256 signature matches" in verdict.check("signature").detail
    assert "revocation list does not name it" in verdict.check("status").detail


@pytest.mark.django_db
def test_a_tampered_signed_assertion_fails_its_signature(site):
    key = _rsa()
    _publish_key(site, key)
    header, _, signature = _signed(site, key).split(".")
    forged = _assertion(
        site,
        7,
        verification={"type": "SignedBadge", "creator": f"{site.url}/key"},
        expires="2099-01-01T00:00:00Z",
    )
    payload = jwt.utils.base64url_encode(json.dumps(forged).encode()).decode()
    verdict = verify.verify_text(f"{header}.{payload}.{signature}", now=NOW)
    assert not verdict.verified and verdict.check("signature").ok is False
    assert "does not match the issuer's key" in verdict.check("signature").detail


@pytest.mark.django_db
def test_a_signed_assertion_by_a_key_that_is_not_the_issuers_fails(site):
    _publish_key(site, _rsa())
    verdict = verify.verify_text(_signed(site, _rsa()), now=NOW)
    assert not verdict.verified and verdict.check("signature").ok is False
    # A key document that names someone else as its owner is not the issuer's key.
    key = _rsa()
    _publish_key(site, key, owner="https://forger.example/profile")
    fetch.forget()
    verdict = verify.verify_text(_signed(site, key), now=NOW)
    assert not verdict.verified and verdict.check("issuer").ok is False
    assert "names https://forger.example/profile as its owner" in verdict.check("issuer").detail


@pytest.mark.django_db
def test_a_signed_assertion_on_the_revocation_list_is_revoked(site):
    key = _rsa()
    _publish_key(site, key)
    site.put(
        "/revoked",
        {
            "@context": "https://w3id.org/openbadges/v2",
            "type": "RevocationList",
            "id": f"{site.url}/revoked",
            "issuer": f"{site.url}/issuer",
            "revokedAssertions": [
                {"id": f"{site.url}/assertions/7", "revocationReason": "Awarded in error"}
            ],
        },
    )
    verdict = verify.verify_text(_signed(site, key), now=NOW)
    assert verdict.status == "revoked" and verdict.check("signature").ok is True
    assert "Awarded in error" in verdict.check("status").detail


# ----------------------------------------------------------------------------- baked


@pytest.mark.django_db
def test_a_signed_assertion_baked_into_a_png_and_an_svg_verifies(site):
    key = _rsa()
    _publish_key(site, key)
    token = _signed(site, key)
    png = baking.bake_png_openbadges2(_png(), token)
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org" '
        f'viewBox="0 0 8 8"><openbadges:assertion verify="{token}"/><rect width="8" height="8"/>'
        "</svg>"
    ).encode()
    for data, source in ((png, "png"), (svg, "svg")):
        verdict = verify.verify_bytes(data, now=NOW)
        assert verdict.verified, (source, [(c.key, c.detail) for c in verdict.checks])
        assert verdict.source == source and verdict.format == verify_ob2.SIGNED


@pytest.mark.django_db
def test_a_hosted_assertion_baked_into_an_svg_is_checked_at_its_address(site):
    url = _host(site, 8)
    assertion = json.dumps(_assertion(site, 8))
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org">'
        f'<openbadges:assertion verify="{url}"><![CDATA[{assertion}]]></openbadges:assertion>'
        "</svg>"
    ).encode()
    verdict = verify.verify_bytes(svg, now=NOW)
    assert verdict.verified and verdict.source == "svg" and verdict.format == verify_ob2.HOSTED
    site.put("/assertions/8", {"id": url, "revoked": True}, status=410)
    assert verify.verify_bytes(svg, now=NOW).status == "revoked"


@pytest.mark.django_db
def test_a_signed_assertion_without_its_signature_says_what_to_bring(site):
    assertion = _assertion(site, 9, verification={"type": "SignedBadge"})
    verdict = verify.verify_text(json.dumps(assertion), now=NOW)
    assert not verdict.verified and verdict.status == "unreadable"
    assert "without its signature" in verdict.check("credential").detail


@pytest.mark.django_db
def test_the_command_line_verifier_reports_an_open_badges_2_png(client, issued, tmp_path):
    from django.core.management import call_command

    path = tmp_path / "ana-ob2.png"
    path.write_bytes(client.get(f"/badges/{issued.public_id}/ob2.png").content)
    out = io.StringIO()
    call_command("verify_credential", str(path), stdout=out)
    line = json.loads(out.getvalue())
    assert line["verified"] is True and line["format"] == verify_ob2.HOSTED
    assert "hashed email address" in line["checks"]["recipient"]["detail"]


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=12),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=10,
)
_assertions = st.fixed_dictionaries(
    {"@context": st.just("https://w3id.org/openbadges/v2")},
    optional={
        "type": st.sampled_from(["Assertion", ["Assertion"]]) | _json,
        "id": _json,
        "recipient": st.fixed_dictionaries(
            {},
            optional={
                "type": _json,
                "hashed": _json,
                "identity": st.sampled_from(["sha256$ab", "md5$", "x"]) | _json,
                "salt": _json,
            },
        )
        | _json,
        "badge": st.fixed_dictionaries(
            {"type": st.just("BadgeClass")},
            optional={"name": _json, "issuer": _json, "id": _json},
        )
        | _json,
        "verification": st.fixed_dictionaries(
            {"type": st.sampled_from(["hosted", "signed", "SignedBadge"]) | _json},
            optional={"creator": _json, "url": _json},
        )
        | _json,
        "issuedOn": st.sampled_from(["2026-01-01T00:00:00Z", "yesterday"]) | _json,
        "expires": _json,
        "revoked": _json,
    },
)


@pytest.mark.django_db
@hypothesis_settings(
    max_examples=400,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(assertion=_assertions, alg=st.sampled_from(["RS256", "ES256", "none"]) | _json)
def test_any_open_badges_2_assertion_gets_a_verdict_never_an_exception(assertion, alg):
    """As JSON and as the payload of a signed assertion, whatever its fields hold."""
    for text in (
        json.dumps(assertion),
        ".".join(
            jwt.utils.base64url_encode(json.dumps(part).encode()).decode()
            for part in ({"alg": alg}, assertion, "signature")
        ),
    ):
        verdict = verify.verify_text(text, now=NOW)
        assert verdict.verified is False
        assert verdict.checks and all(check.detail for check in verdict.checks)


@pytest.mark.django_db
def test_a_hosted_assertion_link_in_a_legacy_text_chunk_is_read(site):
    """Pre-2.0 baking: the assertion's URL in a tEXt chunk, as older issuers still bake."""
    from PIL.PngImagePlugin import PngInfo

    url = _host(site, 10)
    info = PngInfo()
    info.add_text("openbadges", url)
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "teal").save(buffer, "PNG", pnginfo=info)
    verdict = verify.verify_bytes(buffer.getvalue(), now=NOW)
    assert verdict.verified and verdict.source == "png" and verdict.format == verify_ob2.HOSTED
