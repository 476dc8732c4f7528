"""The studio's forms say everything at once and label honestly: what review needs is
marked so (not "optional"), sending to review lists every missing part in one go, each
linked to its field, the rubric's overall rule is checked with the sections, a draft
that was never published can be discarded, and an older published version says which
version superseded it."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from microcred.catalog import rules, services
from microcred.catalog.models import Credential, CredentialVersion
from microcred.catalog.tests.factories import draft_credential, published_credential
from microcred.catalog.tests.test_studio_editor import rubric_post
from microcred.core.errors import InvalidTransition
from microcred.core.models import AuditEvent

State = CredentialVersion.State


@pytest.fixture
def dan_client(client, designer_dan):
    client.force_login(designer_dan)
    return client


def _label(html: str, field_id: str) -> str:
    """The text of the label (or legend) of the field with this id."""
    match = re.search(rf'<label class="field__label" for="{field_id}">(.*?)</label>', html, re.S)
    if match is None:  # a group of checkboxes: the legend of its fieldset
        group = re.search(rf'id="{field_id}-group">.*?<legend[^>]*>(.*?)</legend>', html, re.S)
        assert group is not None, field_id
        return re.sub(r"<[^>]+>", "", group.group(1)).strip()
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


# ----------------------------------------------------------------------------- labels


def test_basics_fields_review_needs_say_required_not_optional(dan_client, designer_dan, north):
    credential = draft_credential(designer_dan, north, complete=False)
    html = dan_client.get(reverse("studio:edit", args=[credential.pk, "basics"])).content.decode()
    for field_id in ("id_summary", "id_competency", "id_key_method", "id_estimated_hours"):
        assert _label(html, field_id).endswith("(required to send for review)"), field_id
    assert _label(html, "id_audiences") == "Who it is for (required to send for review)"
    # What review does not need stays optional, and no label says it twice.
    assert _label(html, "id_credit_hours") == "Credit hours (optional)"
    assert "(optional) (optional)" not in html
    assert "(optional)</span> <span" not in html


def test_rubric_targets_field_says_review_needs_it(dan_client, designer_dan, north):
    credential = draft_credential(designer_dan, north)
    html = dan_client.get(reverse("studio:edit", args=[credential.pk, "rubric"])).content.decode()
    assert (
        _label(html, "id_sections-0-targets")
        == "Learning targets it assesses (required to send for review)"
    )


def test_earning_labels_say_optional_once():
    from microcred.earning.forms import SubmitForm, WithdrawForm

    assert "optional" not in str(WithdrawForm().fields["reason"].label)
    assert "optional" not in str(SubmitForm(resubmission=False).fields["note"].label)


# ----------------------------------------------------------------------------- rubric hint


def test_rubric_editor_asks_for_targets_only_when_there_are_none(dan_client, designer_dan, north):
    without = draft_credential(designer_dan, north, title="No targets yet", complete=False)
    html = dan_client.get(reverse("studio:edit", args=[without.pk, "rubric"])).content.decode()
    assert "Add learning targets first" in html

    # Targets, but no rubric section yet: the hint must not show (it did, read from the
    # first section's choices).
    with_targets = draft_credential(
        designer_dan, north, title="Targets, no sections", complete=False
    )
    version = with_targets.versions.get()
    services.draft_set_targets(
        actor=designer_dan,
        version=version,
        targets=[rules.TargetInput(text="I can write an exit ticket.")],
        standards=[],
    )
    html = dan_client.get(reverse("studio:edit", args=[with_targets.pk, "rubric"])).content.decode()
    assert "Add learning targets first" not in html
    assert "No sections yet" in html


def test_rubric_pass_rule_problem_shows_with_the_section_problems(dan_client, designer_dan, north):
    credential = draft_credential(designer_dan, north)
    version = credential.versions.get()
    target = str(version.targets.first().pk)
    data = rubric_post(
        [
            {"name": "Planning", "targets": [target], "passing": 1},
            {"name": "Planning", "targets": [target], "passing": 1},  # a repeated name
            {
                "name": "Acting on it",
                "targets": [target],
                "passing": 1,
                "levels": [("Not yet", ""), ("Proficient", "Clear.")],  # no descriptor
            },
        ],
        pass_rule="at_least",
        pass_min_sections="5",
    )
    response = dan_client.post(reverse("studio:edit", args=[credential.pk, "rubric"]), data)
    html = response.content.decode()
    assert response.status_code == 400
    # All three problems in the one answer, not one round after another.
    assert "has the same name as section 1" in html
    assert "Describe what work at this level looks like." in html
    assert "The rubric has 3 section(s), so 5 cannot be required to pass." in html
    # The pass-rule message sits beside its field and links to it from the summary.
    assert re.search(
        r'<a href="#id_pass_min_sections">Sections that must pass: The rubric has 3', html
    )
    assert version.sections.count() == 3  # nothing saved: the three stored sections stay
    assert not version.sections.filter(name="Acting on it").exists()


# ----------------------------------------------------------------------------- send to review


def test_sending_to_review_lists_every_problem_at_once_each_linked(dan_client, designer_dan, north):
    credential = draft_credential(designer_dan, north, title="Bare draft", complete=False)
    version = credential.versions.get()
    response = dan_client.post(reverse("studio:submit", args=[credential.pk]))
    html = response.content.decode()
    assert response.status_code == 400
    summary = re.search(r'<div class="alert alert--error error-summary".*?</div>', html, re.S)
    assert summary is not None
    links = {
        message: href
        for href, message in re.findall(r'<a href="([^"]+)">([^<]+)</a>', summary.group(0))
    }
    edit = reverse("studio:edit", args=[credential.pk, "basics"]).rsplit("basics/", 1)[0]
    expected = {
        "Basics: write a summary educators read in the catalog.": "basics/#id_summary",
        "Basics: name the competency.": "basics/#id_competency",
        "Basics: describe the key method.": "basics/#id_key_method",
        "Basics: choose who the credential is for (audience).": "basics/#id_audiences_0",
        "Basics: estimate the hours it takes.": "basics/#id_estimated_hours",
        "Learning targets: add at least one learning target.": "targets/#add-targets",
        "Success criteria: add at least one rubric section.": "rubric/#add-sections",
        "Resources: add at least one resource to learn from.": "resources/#add-resources",
        "Job-embedded task: describe the task the educator does with students.": "task/#id_task_instructions",
        "Reflections: add at least one pre-reflection prompt.": "task/#add-pre",
        "Reflections: add at least one post-reflection prompt.": "task/#add-post",
        "Evidence: add at least one evidence requirement.": "evidence/#add-evidence",
    }
    assert {m: links.get(m) for m in expected} == {m: edit + a for m, a in expected.items()}
    version.refresh_from_db()
    assert version.state == State.DRAFT
    assert not AuditEvent.objects.filter(verb="credential.submitted_for_review").exists()


def test_link_targets_exist_on_the_part_pages(dan_client, designer_dan, north):
    """Each link of the refusal lands on an element of its part's page."""
    credential = draft_credential(designer_dan, north, title="Bare draft", complete=False)
    version = credential.versions.get()
    readiness = rules.missing_parts(version)
    pages: dict[str, str] = {}
    for missing in readiness.problems:
        if missing.part not in pages:
            url = reverse("studio:edit", args=[credential.pk, missing.part])
            pages[missing.part] = dan_client.get(url).content.decode()
        assert f'id="{missing.anchor}"' in pages[missing.part], missing


def test_a_section_problem_links_to_its_field(designer_dan, north):
    credential = draft_credential(designer_dan, north)
    version = credential.versions.get()
    version.sections.filter(position=1).update(name="")
    from microcred.catalog import selectors

    anchors = {
        m.message: m.anchor
        for m in rules.missing_parts(selectors.version_with_parts(version.pk)).problems
    }
    assert anchors["Success criteria: Section 2 needs a name."] == "id_sections-1-name"


def test_a_ready_draft_is_sent(dan_client, designer_dan, north):
    credential = draft_credential(designer_dan, north)
    response = dan_client.post(reverse("studio:submit", args=[credential.pk]))
    assert response.status_code == 302
    assert credential.versions.get().state == State.IN_REVIEW


# ----------------------------------------------------------------------------- discard


def test_designer_discards_a_never_published_draft_after_confirming(
    dan_client, designer_dan, north
):
    credential = draft_credential(designer_dan, north, title="Never mind")
    url = reverse("studio:discard", args=[credential.pk])
    confirm = dan_client.get(url).content.decode()
    assert "Discard this draft credential?" in confirm
    assert "This cannot be undone." in confirm
    assert Credential.objects.filter(pk=credential.pk).exists()  # the page changes nothing

    response = dan_client.post(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("studio:index")
    assert "The draft credential “Never mind” is discarded." in response.content.decode()
    assert not Credential.objects.filter(pk=credential.pk).exists()
    assert not CredentialVersion.objects.filter(credential_id=credential.pk).exists()
    event = AuditEvent.objects.get(verb="credential.discarded")
    assert (event.actor, event.subject_id, event.data["title"]) == (
        designer_dan,
        str(credential.pk),
        "Never mind",
    )


def test_overview_offers_discard_of_a_new_draft(dan_client, designer_dan, north):
    credential = draft_credential(designer_dan, north, title="Never mind")
    html = dan_client.get(reverse("studio:credential", args=[credential.pk])).content.decode()
    assert f'href="{reverse("studio:discard", args=[credential.pk])}"' in html
    assert "Discard this credential…" in html


def test_published_credential_cannot_be_discarded_and_says_why(
    dan_client, designer_dan, reviewer_rita, north
):
    credential = published_credential(designer_dan, reviewer_rita, north, title="Live one")
    url = reverse("studio:discard", args=[credential.pk])
    html = dan_client.get(url).content.decode()
    assert "A published credential cannot be discarded" in html
    assert "Discard the credential" not in html and "Discard the draft" not in html
    with pytest.raises(InvalidTransition, match="published credential cannot be discarded"):
        services.credential_discard(actor=designer_dan, credential=credential)
    assert Credential.objects.filter(pk=credential.pk).exists()
    assert not AuditEvent.objects.filter(verb="credential.discarded").exists()


def test_posting_discard_of_a_published_credential_refuses(
    dan_client, designer_dan, reviewer_rita, north
):
    credential = published_credential(designer_dan, reviewer_rita, north, title="Live one")
    response = dan_client.post(reverse("studio:discard", args=[credential.pk]))
    assert response.status_code == 400
    assert "A published version cannot be discarded" in response.content.decode()
    assert credential.versions.get().state == State.PUBLISHED
    assert not AuditEvent.objects.filter(verb__endswith="discarded").exists()


def test_discarding_a_new_version_keeps_the_published_one(
    dan_client, designer_dan, reviewer_rita, north
):
    credential = published_credential(designer_dan, reviewer_rita, north, title="Live one")
    services.credential_new_version(actor=designer_dan, credential=credential)
    url = reverse("studio:discard", args=[credential.pk])
    assert "Discard the draft of version 2?" in dan_client.get(url).content.decode()
    dan_client.post(url)
    assert list(credential.versions.values_list("number", "state")) == [(1, State.PUBLISHED)]


def test_a_draft_in_review_is_withdrawn_before_it_is_discarded(designer_dan, north):
    credential = draft_credential(designer_dan, north)
    services.version_submit_for_review(actor=designer_dan, version=credential.versions.get())
    with pytest.raises(InvalidTransition, match="Withdraw it from review first"):
        services.credential_discard(actor=designer_dan, credential=credential)
    assert Credential.objects.filter(pk=credential.pk).exists()


def test_only_designers_discard(client, designer_dan, reviewer_rita, admin_adam, north):
    credential = draft_credential(designer_dan, north)
    url = reverse("studio:discard", args=[credential.pk])
    for person in (reviewer_rita, admin_adam):
        client.force_login(person)
        assert client.get(url).status_code == 403
        assert client.post(url).status_code == 403
        with pytest.raises(PermissionDenied):
            services.credential_discard(actor=person, credential=credential)
    assert Credential.objects.filter(pk=credential.pk).exists()
    assert not AuditEvent.objects.filter(verb="credential.discarded").exists()


def test_another_districts_draft_is_a_404(client, designer_dan, outsider_oz, north):
    credential = draft_credential(designer_dan, north)
    client.force_login(outsider_oz)
    url = reverse("studio:discard", args=[credential.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert Credential.objects.filter(pk=credential.pk).exists()


# ----------------------------------------------------------------------------- superseded


def test_older_published_version_reads_superseded(
    client, dan_client, designer_dan, reviewer_rita, north
):
    credential = published_credential(designer_dan, reviewer_rita, north, title="Two versions")
    draft = services.credential_new_version(actor=designer_dan, credential=credential)
    services.version_submit_for_review(actor=designer_dan, version=draft)
    services.version_review(
        actor=reviewer_rita,
        version=draft,
        approve=True,
        summary="",
        answers={p: services.ChecklistAnswer(met=True) for p in services.QUALITY_CHECKLIST},
    )
    html = dan_client.get(reverse("studio:credential", args=[credential.pk])).content.decode()
    versions = re.search(r'id="versions-h".*?</ul>', html, re.S)
    assert versions is not None
    rows = [
        re.sub(r"<[^>]+>|\s+", " ", li).split()
        for li in re.findall(r"<li>(.*?)</li>", versions.group(0), re.S)
    ]
    assert " ".join(rows[0][:3]) == "v2 Published In"
    assert " ".join(rows[1][:5]) == "v1 Superseded by version 2"

    public = client.get(reverse("catalog:version", args=[credential.slug, 1])).content.decode()
    assert "Superseded by version 2." in public
    assert "superseded by version 2" in public
    current = client.get(reverse("catalog:detail", args=[credential.slug])).content.decode()
    assert "Superseded by version" not in current


def test_a_draft_with_an_assessor_pool_is_not_discarded_and_the_pool_stays(
    dan_client, designer_dan, north
):
    from microcred.assessment.models import AssessorPool

    credential = draft_credential(designer_dan, north, title="Pooled early")
    pool = AssessorPool.objects.create(organization=north, credential=credential, name="Early pool")
    response = dan_client.post(reverse("studio:discard", args=[credential.pk]), follow=True)
    assert "This draft cannot be discarded: it is in use elsewhere" in response.content.decode()
    assert Credential.objects.filter(pk=credential.pk).exists()
    assert AssessorPool.objects.filter(pk=pool.pk).exists()
    assert not AuditEvent.objects.filter(verb="credential.discarded").exists()
