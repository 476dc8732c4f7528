"""Bad input of every kind gets a clear verdict, never a 500; nothing the verifier fetches
can reach a private network; no URL from stored data becomes a `javascript:` link.

The property tests run 2,200 generated inputs: 1,200 through `/verify/api` (random JSON,
random bytes, and our own credential with parts replaced at random) and 1,000 through the
verifier's file parsing (random bytes behind PNG, SVG, JSON and byte-order-mark openings).
"""

from __future__ import annotations

import copy
import html
import io
import json
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from microcred.badges import baking, verify
from microcred.badges.models import IssuedCredential
from microcred.catalog.models import Resource, StandardAlignment
from microcred.core.models import Notification
from microcred.core.templatetags.microcred import safe_url

BOM = b"\xef\xbb\xbf"


def _nested(levels: int) -> Any:
    value: Any = "bottom"
    for _ in range(levels):
        value = [value]
    return value


# ----------------------------------------------------------------------------- 3. bad input


@pytest.mark.django_db
def test_json_nested_600_levels_gets_a_clear_verdict_not_a_500(client, issued):
    """Deep inside a property the 1EdTech schema checks (before: a recursion error, a 500)."""
    document = json.loads(issued.document)
    document["evidence"] = [{"type": ["Evidence"], "narrative": _nested(600)}]
    text = json.dumps(document)
    api = client.post("/verify/api", text, content_type="application/json")
    assert api.status_code == 200
    detail = api.json()["checks"]["credential"]["detail"]
    assert "nested more than 64 levels deep" in detail
    page = client.post("/verify/", {"file": SimpleUploadedFile("deep.json", text.encode())})
    assert page.status_code == 200
    assert "nested more than 64 levels deep" in page.content.decode()
    shallow = json.loads(issued.document)
    shallow["evidence"] = [{"type": ["Evidence"], "narrative": _nested(20)}]  # only unsigned
    assert "nested" not in verify.verify_credential(shallow).check("credential").detail


@pytest.mark.django_db
def test_a_credential_starting_with_a_byte_order_mark_verifies(client, issued, tmp_path):
    data = BOM + issued.document.encode()
    page = client.post("/verify/", {"file": SimpleUploadedFile("badge.json", data)})
    assert page.context["verdict"].verified, page.context["verdict"].as_json()
    api = client.post("/verify/api", data, content_type="application/json")
    assert api.json()["verified"] is True
    pasted = client.post("/verify/", {"text": "\ufeff" + issued.document})
    assert pasted.context["verdict"].verified
    path = tmp_path / "bom.json"
    path.write_bytes(data)
    out = io.StringIO()
    call_command("verify_credential", str(path), stdout=out)
    assert json.loads(out.getvalue())["verified"] is True


@pytest.mark.django_db
@pytest.mark.parametrize(
    "address",
    [
        "[64:ff9b::7f00:1]",  # NAT64 of 127.0.0.1
        "[64:ff9b::a00:1]",  # NAT64 of 10.0.0.1
        "[64:ff9b:1::a9fe:a9fe]",  # local-use NAT64 of 169.254.169.254
        "[2002:7f00:1::1]",  # 6to4 of 127.0.0.1
        "[2002:a9fe:a9fe::1]",  # 6to4 of 169.254.169.254
        "[::7f00:1]",  # IPv4-compatible 127.0.0.1
        "[::ffff:10.0.0.1]",  # IPv4-mapped
        "[::ffff:0:7f00:1]",  # IPv4-translated 127.0.0.1
        "192.0.0.9",  # IETF protocol assignments, called global by ipaddress
        "192.0.0.170",
    ],
)
def test_addresses_that_carry_a_private_or_protocol_address_are_not_fetched(
    client, settings, address
):
    settings.VERIFIER_ALLOW_PRIVATE_ADDRESSES = False
    body = client.get("/verify/api", {"url": f"https://{address}/badge.json"}).json()
    assert body["status"] == "unreadable"
    assert "private or local network address" in body["checks"]["credential"]["detail"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://standards.example.org/ccss", "https://standards.example.org/ccss"),
        ("http://localhost:8000/x", "http://localhost:8000/x"),
        ("/credentials/exit-tickets/", "/credentials/exit-tickets/"),
        ("javascript:alert(1)", ""),
        (" JaVaScRiPt:alert(1)", ""),
        ("java\tscript:alert(1)", ""),
        ("\x01javascript:alert(1)", ""),
        ("data:text/html,<script>alert(1)</script>", ""),
        ("vbscript:msgbox(1)", ""),
        ("//evil.example/x", ""),
        ("/\\evil.example/x", ""),
        ("https:", ""),
        (None, ""),
        (42, ""),
    ],
)
def test_safe_url_keeps_web_addresses_and_drops_every_other_scheme(value, expected):
    assert safe_url(value) == expected


def _hrefs(page: str) -> list[str]:
    return [html.unescape(h).strip().lower() for h in re.findall(r'href="([^"]*)"', page)]


@pytest.mark.django_db
def test_a_javascript_url_in_stored_data_is_never_a_link(client, issued, educator_ana):
    """Put there by any route (the ORM stands in for an import, an admin or an old bug): the
    issuer's website, a standard's and a resource's link, a badge's alignment and
    achievement id, a notification's link. The text shows; no link is made."""
    evil = "javascript:alert(document.cookie)"
    organization = issued.organization
    organization.website = evil
    organization.save(update_fields=["website"])
    version = issued.award.attempt.version
    StandardAlignment.objects.create(
        version=version, position=9, framework="Evil framework", name="Evil standard", url=evil
    )
    Resource.objects.create(version=version, position=9, title="Evil resource", url=evil)
    document = json.loads(issued.document)
    achievement = document["credentialSubject"]["achievement"]
    achievement["id"] = evil
    achievement["alignment"] = [
        {"type": ["Alignment"], "targetName": "Evil", "targetUrl": evil, "targetFramework": "X"}
    ]
    IssuedCredential.objects.filter(pk=issued.pk).update(document=json.dumps(document))
    Notification.objects.create(user=educator_ana, verb="x", text="Evil notice", url=evil)

    pages = {
        "issuer": client.get(f"/issuers/{organization.slug}/"),
        "badge": client.get(issued.get_absolute_url()),
        "credential": client.get(version.credential.get_absolute_url()),
    }
    client.force_login(educator_ana)
    pages["notifications"] = client.get("/notifications/")
    # The educator's own "Learn" page of her attempt lists the same resource.
    pages["attempt resources"] = client.get(
        reverse("earning:resources", args=[issued.award.attempt.public_id])
    )
    for name, response in pages.items():
        assert response.status_code == 200, name
        page = response.content.decode()
        assert not [h for h in _hrefs(page) if h.startswith("javascript:")], name
    assert evil in pages["issuer"].content.decode()  # shown as text
    assert "Evil standard" in pages["credential"].content.decode()
    assert "Evil resource" in pages["credential"].content.decode()
    assert "Evil notice" in pages["notifications"].content.decode()
    assert "Evil resource" in pages["attempt resources"].content.decode()


# ----------------------------------------------------------------------------- property tests

json_leaves = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False)
    | st.text(max_size=30)
    | st.sampled_from(
        [
            "did:key:z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi",
            "urn:uuid:00000000-0000-0000-0000-000000000000",
            "https://www.w3.org/ns/credentials/v2",
            "VerifiableCredential",
            "OpenBadgeCredential",
            "2026-01-01T00:00:00Z",
            "9" * 5000,
        ]
    )
)
json_values = st.recursive(
    json_leaves,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=25,
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, child in value.items():
            found += _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += _paths(child, (*prefix, index))
    return found


def _replace(document: Any, path: tuple[Any, ...], value: Any, delete: bool) -> Any:
    if not path:
        return value
    document = copy.deepcopy(document)
    parent = document
    for step in path[:-1]:
        parent = parent[step]
    if delete and isinstance(parent, dict):
        parent.pop(path[-1], None)
    else:
        parent[path[-1]] = value
    return document


@pytest.fixture
def fuzz_settings(settings):
    settings.VERIFIER_RATE_LIMIT = ""  # thousands of requests from one address
    settings.VERIFIER_ALLOW_PRIVATE_ADDRESSES = False
    settings.VERIFIER_FETCH_TIMEOUT = 1
    return settings


@pytest.mark.django_db
def test_the_json_api_never_answers_500_to_generated_input(client, issued, fuzz_settings):
    genuine = json.loads(issued.document)
    paths = _paths(genuine)
    answers: dict[int, int] = {}

    mutated = st.builds(
        lambda changes: _apply(genuine, changes),
        st.lists(st.tuples(st.sampled_from(paths), json_values, st.booleans()), max_size=3),
    )
    shaped = st.fixed_dictionaries(
        {
            "@context": st.sampled_from(
                [
                    ["https://www.w3.org/ns/credentials/v2"],
                    genuine["@context"],
                    "https://www.w3.org/2018/credentials/v1",
                ]
            )
            | json_values,
            "type": st.sampled_from([["VerifiableCredential"], genuine["type"]]) | json_values,
            "issuer": json_values,
            "credentialSubject": json_values,
        },
        optional={"proof": json_values, "credentialStatus": json_values, "validFrom": json_values},
    )
    bodies = (
        mutated.map(lambda d: ("json", json.dumps(d).encode()))
        | shaped.map(lambda d: ("json", json.dumps(d).encode()))
        | json_values.map(lambda d: ("json", json.dumps(d).encode()))
        | st.binary(max_size=300).map(lambda b: ("json", b))
        | st.binary(max_size=300).map(lambda b: ("octet", b))
        | st.text(max_size=200).map(lambda t: ("json", BOM + t.encode()))
    )

    @hypothesis_settings(
        max_examples=1200,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(bodies)
    def check(body: tuple[str, bytes]) -> None:
        kind, data = body
        content_type = "application/json" if kind == "json" else "application/octet-stream"
        response = client.post("/verify/api", data, content_type=content_type)
        answers[response.status_code] = answers.get(response.status_code, 0) + 1
        assert response.status_code in (200, 400), response.status_code
        if response.status_code == 200:
            verdict = response.json()
            assert verdict["outcome"] in ("verified", "not-verified", "could-not-check")

    check()
    assert sum(answers.values()) >= 1200
    print(f"\n/verify/api: {sum(answers.values())} generated requests, answers {answers}")


def _apply(genuine: dict[str, Any], changes: list[tuple[Any, Any, bool]]) -> Any:
    document: Any = genuine
    for path, value, delete in changes:
        try:
            document = _replace(document, path, value, delete)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier change removed the place
    return document


@pytest.mark.django_db
def test_the_file_parsing_never_fails_on_generated_files(issued, fuzz_settings):
    genuine = json.loads(issued.document)

    def with_evidence(depth: int, bom: bool) -> bytes:
        document = {**genuine, "evidence": [{"type": ["Evidence"], "narrative": _nested(depth)}]}
        return (BOM if bom else b"") + json.dumps(document).encode()

    openings = st.sampled_from(
        [
            b"",
            baking.PNG_SIGNATURE,
            baking.PNG_SIGNATURE + b"\x00\x00\x00\rIHDR",
            b"<svg",
            b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg">',
            b"{",
            BOM + b"{",
            BOM,
            b"  \n{",
        ]
    )
    files = st.builds(lambda opening, rest: opening + rest, openings, st.binary(max_size=400)) | (
        st.builds(with_evidence, st.integers(min_value=1, max_value=900), st.booleans())
    )
    seen = {"count": 0}

    @hypothesis_settings(
        max_examples=1000,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(files)
    def check(data: bytes) -> None:
        seen["count"] += 1
        verdict = verify.verify_bytes(data)
        assert verdict.outcome in ("verified", "not-verified", "could-not-check")
        assert verdict.checks and all(c.detail for c in verdict.checks)

    check()
    assert seen["count"] >= 1000
