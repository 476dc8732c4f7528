"""Each rubric section names the evidence it is judged on (none named: all of it). The
studio's rubric page ties them, editing the evidence keeps the ties, a new version copies
them, review waits until every requirement is judged somewhere, and the public page says it."""

from __future__ import annotations

import pytest
from django.urls import reverse
from lxml import html

from microcred.catalog import rules, selectors, services
from microcred.catalog.models import CredentialVersion, EvidenceRequirement
from microcred.catalog.tests.factories import (
    approve_answers,
    draft_credential,
    published_credential,
    tie_sections,
)
from microcred.catalog.tests.test_studio_editor import rubric_post

pytestmark = pytest.mark.django_db


def _requirements(designer, version: CredentialVersion) -> dict[str, EvidenceRequirement]:
    services.draft_set_evidence(
        actor=designer,
        version=version,
        requirements=[
            rules.EvidenceInput(title="Lesson video", kind="video", description="A lesson."),
            rules.EvidenceInput(title="Sorted tickets", kind="student_work", description="Sets."),
        ],
    )
    return {r.title: r for r in version.evidence_requirements.all()}


def _ties(version: CredentialVersion) -> dict[str, list[str]]:
    return {
        s.name: [e.title for e in s.evidence.order_by("position")]
        for s in version.sections.order_by("position")
    }


def _sections(version: CredentialVersion, **evidence: list[int]) -> list[dict]:
    target = str(version.targets.get(position=0).pk)
    return [
        {
            "name": f"Section {n}",
            "passing": 1,
            "targets": [target],
            "evidence": [str(pk) for pk in evidence.get(f"s{n}", [])],
        }
        for n in (1, 2, 3)
    ]


def test_the_rubric_page_ties_each_section_to_the_evidence_it_is_judged_on(
    client, designer_dan, north
):
    credential = draft_credential(designer_dan, north)
    version = credential.versions.get()
    found = _requirements(designer_dan, version)
    client.force_login(designer_dan)
    page = html.fromstring(client.get(f"/studio/{credential.pk}/edit/rubric/").content)
    group = page.get_element_by_id("id_sections-0-evidence-group")
    labels = [" ".join(label.text_content().split()) for label in group.iter("label")]
    assert labels == ["Lesson video", "Sorted tickets"]

    video, tickets = found["Lesson video"].pk, found["Sorted tickets"].pk
    data = rubric_post(_sections(version, s1=[video], s2=[video, tickets]), then="stay")
    assert client.post(f"/studio/{credential.pk}/edit/rubric/", data).status_code == 302
    assert _ties(version) == {
        "Section 1": ["Lesson video"],
        "Section 2": ["Lesson video", "Sorted tickets"],
        "Section 3": [],
    }


def test_another_versions_evidence_cannot_be_tied_and_what_was_typed_stays(
    client, designer_dan, reviewer_rita, north
):
    theirs = published_credential(designer_dan, reviewer_rita, north, title="Other")
    foreign = theirs.current_version.evidence_requirements.get()
    credential = draft_credential(designer_dan, north)
    version = credential.versions.get()
    _requirements(designer_dan, version)
    sections = _sections(version, s1=[foreign.pk])
    sections[0]["name"] = "Typed name"
    client.force_login(designer_dan)
    response = client.post(
        f"/studio/{credential.pk}/edit/rubric/", rubric_post(sections, then="stay")
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert f"Select a valid choice. {foreign.pk} is not one of the available choices." in text
    assert 'value="Typed name"' in text
    assert not version.sections.filter(name="Typed name").exists()


def test_editing_the_evidence_keeps_the_ties_and_a_removed_requirement_leaves_them(
    designer_dan, north
):
    credential = draft_credential(designer_dan, north)
    version = credential.versions.get()
    found = _requirements(designer_dan, version)
    tie_sections(
        designer_dan,
        version,
        {"Section 1": ["Lesson video"], "Section 2": ["Lesson video", "Sorted tickets"]},
    )
    video, tickets = found["Lesson video"], found["Sorted tickets"]
    services.draft_set_evidence(
        actor=designer_dan,
        version=version,
        requirements=[
            rules.EvidenceInput(
                title="Sorted exit tickets", kind="student_work", description="Sets.", id=tickets.pk
            ),
            rules.EvidenceInput(
                title="Full lesson video", kind="video", description="A lesson.", id=video.pk
            ),
            rules.EvidenceInput(title="Reflection", kind="written", description="What changed."),
        ],
    )
    assert list(version.evidence_requirements.values_list("title", flat=True)) == [
        "Sorted exit tickets",
        "Full lesson video",
        "Reflection",
    ]
    assert _ties(version)["Section 2"] == ["Sorted exit tickets", "Full lesson video"]
    # The video goes: Section 1 is tied to nothing and so judged on all the evidence.
    services.draft_set_evidence(
        actor=designer_dan,
        version=version,
        requirements=[
            rules.EvidenceInput(
                title="Sorted exit tickets", kind="student_work", description="Sets.", id=tickets.pk
            )
        ],
    )
    assert _ties(version) == {
        "Section 1": [],
        "Section 2": ["Sorted exit tickets"],
        "Section 3": [],
    }


def test_the_evidence_page_posts_keep_each_requirements_identity(client, designer_dan, north):
    credential = draft_credential(designer_dan, north)
    version = credential.versions.get()
    found = _requirements(designer_dan, version)
    tie_sections(designer_dan, version, {"Section 1": ["Sorted tickets"]})
    client.force_login(designer_dan)
    page = client.get(f"/studio/{credential.pk}/edit/evidence/").content.decode()
    tickets = found["Sorted tickets"].pk
    assert f'name="evidence-1-id" value="{tickets}"' in page
    data = {"evidence-count": "1", "then": "stay"}
    data.update(
        {
            "evidence-0-id": str(tickets),
            "evidence-0-title": "Sorted tickets, three days",
            "evidence-0-kind": "student_work",
            "evidence-0-min_count": "1",
            "evidence-0-max_count": "3",
            "evidence-0-description": "Sets.",
        }
    )
    assert client.post(f"/studio/{credential.pk}/edit/evidence/", data).status_code == 302
    assert _ties(version)["Section 1"] == ["Sorted tickets, three days"]
    assert version.evidence_requirements.get().pk == tickets


def _published_with_ties(designer, reviewer, organization, ties: dict[str, list[str]]):
    credential = draft_credential(designer, organization)
    version = credential.versions.get()
    _requirements(designer, version)
    tie_sections(designer, version, ties)
    services.version_submit_for_review(actor=designer, version=version)
    services.version_review(
        actor=reviewer, version=version, approve=True, summary="", answers=approve_answers()
    )
    credential.refresh_from_db()
    return credential


def test_a_new_version_copies_the_ties_to_its_own_requirements(designer_dan, reviewer_rita, north):
    ties = {"Section 1": ["Sorted tickets"], "Section 2": ["Lesson video"]}
    credential = _published_with_ties(designer_dan, reviewer_rita, north, ties)
    published = credential.current_version
    draft = services.credential_new_version(actor=designer_dan, credential=credential)
    assert draft.pk != published.pk
    assert _ties(draft) == {**ties, "Section 3": []}
    own = set(draft.evidence_requirements.values_list("pk", flat=True))
    tied = {e.pk for s in draft.sections.all() for e in s.evidence.all()}
    assert tied and tied <= own  # the draft's own rows, not the published version's
    assert _ties(published) == {**ties, "Section 3": []}


def test_review_waits_until_every_requirement_is_judged_by_a_section(designer_dan, north):
    credential = draft_credential(designer_dan, north)
    version = credential.versions.get()
    _requirements(designer_dan, version)
    tie_sections(
        designer_dan,
        version,
        {
            "Section 1": ["Lesson video"],
            "Section 2": ["Lesson video"],
            "Section 3": ["Lesson video"],
        },
    )
    readiness = rules.missing_parts(selectors.version_with_parts(version.pk))
    assert (
        "Success criteria: no section is judged on the evidence “Sorted tickets”."
        in (readiness.parts["rubric"])
    )
    tie_sections(designer_dan, version, {"Section 1": ["Lesson video"]})  # 2 and 3: on all
    assert rules.missing_parts(selectors.version_with_parts(version.pk)).parts["rubric"] == []


def test_the_public_page_says_what_each_section_is_judged_on(
    client, designer_dan, reviewer_rita, north
):
    ties = {"Section 2": ["Lesson video", "Sorted tickets"]}
    credential = _published_with_ties(designer_dan, reviewer_rita, north, ties)
    page = html.fromstring(client.get(reverse("catalog:detail", args=[credential.slug])).content)
    rows = [
        " ".join(" ".join(th.itertext()).split())
        for th in page.get_element_by_id("rubric").iter("th")
        if th.get("scope") == "row"
    ]
    assert rows[1] == "Section 2 Assesses T2 Judged on Lesson video and Sorted tickets"
    assert "Judged on" not in rows[0] and "Judged on" not in rows[2]
