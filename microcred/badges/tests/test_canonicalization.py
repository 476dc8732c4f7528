"""The fast JSON-LD → RDF conversion gives the same canonical N-Quads as pyld, byte for byte:
on every document of the test fixtures, on credentials we issue, and on a few hundred
randomized Open Badges; what it does not cover falls back to pyld."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from microcred.badges import jsonld, rdf

FIXTURES = Path(__file__).resolve().parent / "fixtures"
# Where pyld differs on purpose: it invents an IRI (from a default base) for a type no
# context defines; JSON-LD processors in safe mode, and this verifier, refuse the document.
PYLD_DIFFERS = {"dcc-verifier-core-safe-mode-breaker.json"}


def _fixture_documents() -> list[tuple[str, dict]]:
    found = []
    for path in sorted(FIXTURES.rglob("*.json")):
        if path.name == "expected.json" or path.name in PYLD_DIFFERS:
            continue
        document = json.loads(path.read_text())
        found.append((path.name, document))
        if "proof" in document:
            found.append(
                (f"{path.name} without proof", {k: v for k, v in document.items() if k != "proof"})
            )
            proofs = (
                document["proof"] if isinstance(document["proof"], list) else [document["proof"]]
            )
            for index, proof in enumerate(proofs):
                options = {k: v for k, v in proof.items() if k != "proofValue"}
                found.append(
                    (f"{path.name} proof {index}", {**options, "@context": document["@context"]})
                )
    return found


@pytest.mark.parametrize(
    ("name", "document"), _fixture_documents(), ids=lambda v: v if isinstance(v, str) else ""
)
def test_fixture_documents_canonicalize_as_pyld_does(name, document):
    assert jsonld.nquads(document) is not None, "the fast path should cover it"
    assert jsonld.canonize(document) == jsonld.canonize_pyld(document)


@pytest.mark.django_db
def test_issued_credential_and_status_list_canonicalize_as_pyld_does(issued):
    from microcred.badges.models import StatusList

    for document in (json.loads(issued.document), json.loads(StatusList.objects.get().document)):
        unsigned = {k: v for k, v in document.items() if k != "proof"}
        assert jsonld.canonize(unsigned) == jsonld.canonize_pyld(unsigned)


WORDS = [
    "exit",
    "ticket",
    "é",
    "ñ",
    "😀",
    "数学",
    'q"uote',
    "back\\slash",
    "tab\there",
    "line\nbreak",
    "  spaced  ",
    "",
]


def _text(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 6)))


def _random_badge(rng: random.Random, index: int) -> dict:
    levels = [
        {
            "id": f"https://example.org/c/{index}#s{s}-l{lv}",
            "type": ["RubricCriterionLevel"],
            "name": _text(rng),
            "description": _text(rng),
            "level": str(lv),
        }
        for s in range(1)
        for lv in range(rng.randint(1, 4))
    ]
    sections = [
        {
            "id": f"https://example.org/c/{index}#s{s}",
            "type": ["ResultDescription"],
            "name": _text(rng),
            "resultType": "RubricCriterionLevel",
            "rubricCriterionLevel": levels,
            **({"allowedValue": [lv["name"] for lv in levels]} if rng.random() < 0.5 else {}),
            **({"requiredLevel": levels[0]["id"]} if rng.random() < 0.5 else {}),
        }
        for s in range(rng.randint(0, 4))
    ]
    achievement: dict = {
        "id": f"https://example.org/c/{index}",
        "type": ["Achievement"],
        "name": _text(rng),
        "description": _text(rng),
        "criteria": {"narrative": _text(rng)},
    }
    if sections:
        achievement["resultDescription"] = sections
    if rng.random() < 0.7:
        achievement["creditsAvailable"] = rng.choice([1, 2, 10, 1.5, 0.25, 3.75, 100])
    if rng.random() < 0.5:
        achievement["alignment"] = [
            {
                "type": ["Alignment"],
                "targetName": _text(rng),
                "targetUrl": f"https://example.org/std/{i}",
            }
            for i in range(rng.randint(1, 3))
        ]
    if rng.random() < 0.5:
        achievement["tag"] = [_text(rng) for _ in range(rng.randint(1, 3))]
    subject: dict = {
        "type": ["AchievementSubject"],
        "achievement": achievement,
        "identifier": [
            {
                "type": "IdentityObject",
                "identityHash": f"sha256${index:064x}",
                "identityType": "emailAddress",
                "hashed": rng.random() < 0.9,
                "salt": str(rng.random()),
            }
        ],
    }
    if sections and rng.random() < 0.8:
        subject["result"] = [
            {"type": ["Result"], "resultDescription": s["id"], "achievedLevel": levels[-1]["id"]}
            for s in sections
        ]
    document: dict = {
        "@context": [jsonld.VC_V2, jsonld.OB_V3, jsonld.OB_EXTENSIONS],
        "id": f"urn:uuid:00000000-0000-4000-8000-{index:012d}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": _text(rng),
        "issuer": {"id": "did:web:example.org:orgs:x", "type": ["Profile"], "name": _text(rng)},
        "validFrom": "2026-01-01T00:00:00Z",
        "credentialSubject": subject,
    }
    if rng.random() < 0.5:
        document["validUntil"] = "2028-01-01T00:00:00Z"
    if rng.random() < 0.5:
        document["evidence"] = [{"type": ["Evidence"], "name": _text(rng), "narrative": _text(rng)}]
    if rng.random() < 0.3:
        document["credentialStatus"] = {
            "id": "https://example.org/status/1#5",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": "5",
            "statusListCredential": "https://example.org/status/1",
        }
    return document


def test_randomized_open_badges_canonicalize_as_pyld_does():
    rng = random.Random(20261202)
    for index in range(150):
        document = _random_badge(rng, index)
        assert jsonld.canonize(document) == jsonld.canonize_pyld(document), json.dumps(document)[
            :400
        ]


def test_contexts_are_processed_once_and_kept():
    from microcred.badges.jsonld import _rdf_source

    document = _random_badge(random.Random(1), 1)
    jsonld.canonize(document)
    _, root = _rdf_source()
    kept = len(root._children)
    for index in range(2, 20):
        jsonld.canonize(_random_badge(random.Random(index), index))
    assert len(root._children) == kept  # the same top-level contexts: no new processing


def test_a_feature_the_fast_path_lacks_falls_back_to_pyld():
    document = {
        "@context": {
            "name": "https://schema.org/name",
            "knows": {"@reverse": "https://schema.org/knows"},
        },
        "@id": "https://example.org/a",
        "name": "A",
        "knows": {"@id": "https://example.org/b"},
    }
    assert jsonld.nquads(document) is None
    assert jsonld.canonize(document) == jsonld.canonize_pyld(document)
    assert (
        "<https://example.org/b> <https://schema.org/knows> <https://example.org/a>"
        in jsonld.canonize(document)
    )


def test_numbers_are_written_as_javascript_processors_write_them():
    context = {"n": "https://example.org/n"}
    for value, literal in (
        (10, '"10"^^<http://www.w3.org/2001/XMLSchema#integer>'),
        (10.0, '"10"^^<http://www.w3.org/2001/XMLSchema#integer>'),  # pyld writes 1.0E1
        (1.5, '"1.5E0"^^<http://www.w3.org/2001/XMLSchema#double>'),
        (0.1, '"1.0E-1"^^<http://www.w3.org/2001/XMLSchema#double>'),
        (True, '"true"^^<http://www.w3.org/2001/XMLSchema#boolean>'),
    ):
        out = jsonld.canonize({"@context": context, "@id": "https://example.org/x", "n": value})
        assert literal in out, (value, out)


def test_a_protected_term_cannot_be_redefined():
    document = {
        "@context": [jsonld.VC_V2, {"VerifiableCredential": "https://example.org/Lookalike"}],
        "id": "urn:x",
        "type": ["VerifiableCredential"],
        "issuer": "did:example:1",
    }
    with pytest.raises(jsonld.JsonLdError, match="protected term redefinition"):
        jsonld.canonize(document)


def test_undefined_terms_are_reported_exactly():
    document = {
        "@context": [jsonld.VC_V1],
        "id": "urn:x",
        "type": ["VerifiableCredential", "NotDefined"],
        "issuer": "did:example:1",
        "issuanceDate": "2026-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:2", "favourite": "teal"},
    }
    problems = jsonld.undefined_terms(document)
    assert "type NotDefined" in problems and "credentialSubject.favourite" in problems
    assert isinstance(rdf.Undefined().problems, list)
