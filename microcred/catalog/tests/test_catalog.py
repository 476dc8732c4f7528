"""The public catalog and credential page: what anyone can find, what stays internal,
and a constant number of queries however many credentials are published."""

from __future__ import annotations

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from microcred.catalog.models import Credential, CredentialVersion
from microcred.catalog.tests.factories import (
    audience,
    draft_credential,
    in_review_credential,
    published_credential,
)
from microcred.core.models import Organization


def bulk_published(organization: Organization, n: int, *, start: int = 0) -> None:
    """n published credentials with an audience each, created in a few queries."""
    credentials = Credential.objects.bulk_create(
        Credential(organization=organization, slug=f"bulk-{start + i}") for i in range(n)
    )
    versions = CredentialVersion.objects.bulk_create(
        CredentialVersion(
            credential=c,
            number=1,
            state=CredentialVersion.State.PUBLISHED,
            title=f"Bulk credential {start + i}",
            summary="A summary.",
            competency="A competency",
            search_document=f"bulk credential {start + i}",
        )
        for i, c in enumerate(credentials)
    )
    teacher = audience("teacher")
    CredentialVersion.audiences.through.objects.bulk_create(
        CredentialVersion.audiences.through(credentialversion_id=v.pk, audience_id=teacher.pk)
        for v in versions
    )
    for c, v in zip(credentials, versions, strict=True):
        c.current_version = v
    Credential.objects.bulk_update(credentials, ["current_version"])


def titles(response) -> list[str]:
    return [c.current_version.title for c in response.context["page_obj"].object_list]


def test_anyone_finds_published_public_credentials_but_not_drafts(
    client, designer_dan, reviewer_rita, north
):
    published_credential(designer_dan, reviewer_rita, north, title="Exit tickets")
    in_review_credential(designer_dan, north, title="Accountable talk")
    draft_credential(designer_dan, north, title="Data teams")
    response = client.get("/catalog/")
    assert titles(response) == ["Exit tickets"]
    assert "1 credential in the catalog." in response.content.decode()


def test_search_matches_title_competency_and_standards_text(
    client, designer_dan, reviewer_rita, north
):
    published_credential(designer_dan, reviewer_rita, north, title="Exit tickets")
    from microcred.catalog import services
    from microcred.catalog.tests.factories import approve_answers, fill_all_parts

    other = services.credential_create(actor=designer_dan, organization=north, title="Number talks")
    version = other.versions.get()
    fill_all_parts(version, designer_dan, title="Number talks")
    from microcred.catalog import rules

    services.draft_set_targets(
        actor=designer_dan,
        version=version,
        targets=[rules.TargetInput(text=t.text, id=t.pk) for t in version.targets.all()],
        standards=[
            rules.StandardInput(framework="CCSS", code="MP3", name="Construct viable arguments")
        ],
    )
    services.version_submit_for_review(actor=designer_dan, version=version)
    services.version_review(
        actor=reviewer_rita, version=version, approve=True, summary="", answers=approve_answers()
    )

    assert titles(client.get("/catalog/", {"q": "number"})) == ["Number talks"]
    assert titles(client.get("/catalog/", {"q": "VIABLE arguments"})) == [
        "Number talks"
    ]  # standard name
    assert titles(client.get("/catalog/", {"q": "mp3"})) == ["Number talks"]  # standard code
    assert titles(client.get("/catalog/", {"q": "formative assessment"})) == [
        "Exit tickets",
        "Number talks",
    ]  # competency
    empty = client.get("/catalog/", {"q": "underwater basket weaving"})
    assert titles(empty) == []
    assert "Nothing matches yet" in empty.content.decode()


def test_title_matches_come_first(client, designer_dan, reviewer_rita, north):
    published_credential(designer_dan, reviewer_rita, north, title="Alpha")
    published_credential(designer_dan, reviewer_rita, north, title="Zeta exit slips")
    # Both mention "exit" (factory text); the one with it in the title leads.
    assert titles(client.get("/catalog/", {"q": "exit"})) == ["Zeta exit slips", "Alpha"]


def test_filters_by_audience_subject_grade_band_and_organization(
    client, designer_dan, reviewer_rita, north, world
):
    published_credential(designer_dan, reviewer_rita, north, title="Exit tickets")
    assert titles(client.get("/catalog/", {"audience": "teacher"})) == ["Exit tickets"]
    audience("school-leader")
    assert titles(client.get("/catalog/", {"audience": "school-leader"})) == []
    assert titles(client.get("/catalog/", {"subject": "all", "grade_band": "pk-12"})) == [
        "Exit tickets"
    ]
    assert titles(client.get("/catalog/", {"subject": "math"})) == ["Exit tickets"]  # all subjects
    assert titles(client.get("/catalog/", {"grade_band": "adult"})) == []
    assert titles(client.get("/catalog/", {"organization": north.slug})) == ["Exit tickets"]


def test_grade_band_and_subject_filters_include_credentials_for_all_grades_and_subjects(
    client, designer_dan, reviewer_rita, north
):
    """ "Grades 3–5" finds PK–12 and K–5 credentials (they are for grades 3–5 too) but not
    Grades 6–8 ones; "Mathematics" finds "All subjects" ones but not Science ones."""
    made = {
        "Whole school": ("all", "pk-12"),
        "Primary math": ("math", "k-5"),
        "Middle science": ("science", "6-8"),
        "Upper elementary math": ("math", "3-5"),
        "Adult ed": ("all", "adult"),
    }
    for title, (subject, band) in made.items():
        credential = published_credential(designer_dan, reviewer_rita, north, title=title)
        CredentialVersion.objects.filter(pk=credential.current_version_id).update(
            subject=subject, grade_band=band
        )
    page = client.get("/catalog/", {"grade_band": "3-5"})
    assert titles(page) == ["Primary math", "Upper elementary math", "Whole school"]
    assert "Whole school" in page.content.decode()
    assert titles(client.get("/catalog/", {"grade_band": "9-12"})) == ["Whole school"]
    assert titles(client.get("/catalog/", {"grade_band": "6-12"})) == [
        "Middle science",
        "Whole school",
    ]
    assert titles(client.get("/catalog/", {"subject": "math"})) == [
        "Adult ed",
        "Primary math",
        "Upper elementary math",
        "Whole school",
    ]
    assert titles(client.get("/catalog/", {"subject": "science", "grade_band": "pk-2"})) == [
        "Whole school"
    ]


def test_unknown_filter_values_are_ignored_with_no_error(
    client, designer_dan, reviewer_rita, north
):
    published_credential(designer_dan, reviewer_rita, north, title="Exit tickets")
    response = client.get("/catalog/", {"subject": "astrology", "page": "banana"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_internal_credentials_are_for_members_only(
    client, designer_dan, reviewer_rita, educator_ana, outsider_oz, north, world
):
    credential = published_credential(
        designer_dan, reviewer_rita, north, title="Riverbend onboarding", visibility="internal"
    )
    assert titles(client.get("/catalog/")) == []
    assert client.get(f"/credentials/{credential.slug}/").status_code == 404
    client.force_login(outsider_oz)
    assert titles(client.get("/catalog/")) == []
    assert client.get(f"/credentials/{credential.slug}/").status_code == 404
    client.force_login(educator_ana)  # a teacher at a Riverbend school
    assert titles(client.get("/catalog/")) == ["Riverbend onboarding"]
    assert client.get(f"/credentials/{credential.slug}/").status_code == 200


def test_retired_credentials_leave_the_catalog_but_their_page_says_so(
    client, designer_dan, reviewer_rita, admin_adam, north
):
    from microcred.catalog import services

    credential = published_credential(designer_dan, reviewer_rita, north)
    services.credential_retire(
        actor=admin_adam, credential=credential, reason="Replaced by Exit tickets 2."
    )
    assert titles(client.get("/catalog/")) == []
    page = client.get(f"/credentials/{credential.slug}/").content.decode()
    assert "Retired." in page and "Replaced by Exit tickets 2." in page


def test_credential_page_shows_all_six_parts_and_the_rubric_as_a_table(
    client, designer_dan, reviewer_rita, north
):
    credential = published_credential(designer_dan, reviewer_rita, north)
    html = client.get(f"/credentials/{credential.slug}/").content.decode()
    for heading in (
        "What you will learn",
        "How it is judged",
        "Resources",
        "The task",
        "Reflections",
        "Evidence you submit",
    ):
        assert heading in html
    assert "I can write an exit ticket that checks the lesson objective." in html
    assert '<table class="table rubric-table">' in html
    assert html.count("Passing level") == 3
    assert "How do you know today what students learned?" in html
    assert "Sorted exit tickets" in html and "3 items" in html


def test_old_published_versions_stay_readable(client, designer_dan, reviewer_rita, north):
    from microcred.catalog import services
    from microcred.catalog.tests.factories import approve_answers

    credential = published_credential(designer_dan, reviewer_rita, north)
    draft = services.credential_new_version(actor=designer_dan, credential=credential)
    services.draft_set_task(
        actor=designer_dan,
        version=draft,
        task_title="Five lessons",
        task_instructions="Five.",
        pre_prompts=["a"],
        post_prompts=["b"],
    )
    services.version_submit_for_review(actor=designer_dan, version=draft)
    services.version_review(
        actor=reviewer_rita, version=draft, approve=True, summary="", answers=approve_answers()
    )
    assert "Five lessons" in client.get(f"/credentials/{credential.slug}/").content.decode()
    old = client.get(f"/credentials/{credential.slug}/v1/").content.decode()
    assert "Three lessons with exit tickets" in old and "You are reading version 1" in old
    assert client.get(f"/credentials/{credential.slug}/v9/").status_code == 404


def _count_queries(client, url: str) -> int:
    cache.clear()  # measure a cold render
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_catalog_and_credential_page_queries_do_not_grow_with_the_catalog(
    client, designer_dan, reviewer_rita, north, settings
):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0  # count the queries of a real render
    credential = published_credential(designer_dan, reviewer_rita, north)
    bulk_published(north, 9)
    small = (
        _count_queries(client, "/catalog/"),
        _count_queries(client, "/catalog/?q=bulk&audience=teacher"),
        _count_queries(client, f"/credentials/{credential.slug}/"),
    )
    bulk_published(north, 990, start=9)
    assert Credential.objects.listed().count() == 1000
    large = (
        _count_queries(client, "/catalog/"),
        _count_queries(client, "/catalog/?q=bulk&audience=teacher"),
        _count_queries(client, f"/credentials/{credential.slug}/"),
    )
    assert small == large
    # And for a signed-in member too: the session, and the user read with their memberships
    # and unread notices in one query (core.auth), whatever the size.
    client.force_login(designer_dan)
    assert _count_queries(client, "/catalog/") == small[0] + 2


def test_credential_page_queries_do_not_grow_with_its_prerequisites_or_the_readers_attempts(
    client, world, designer_dan, reviewer_rita, educator_ana, north, settings
):
    from microcred.earning.models import Attempt

    settings.PUBLIC_PAGE_CACHE_SECONDS = 0  # count the queries of a real render
    bulk_published(north, 30)
    bulk = list(Credential.objects.filter(slug__startswith="bulk-").order_by("pk"))
    one = published_credential(
        designer_dan, reviewer_rita, north, title="One", prerequisites=bulk[:1]
    )
    five = published_credential(
        designer_dan, reviewer_rita, north, title="Five", prerequisites=bulk[:5]
    )
    urls = [f"/credentials/{one.slug}/", f"/credentials/{five.slug}/"]
    visitor = [_count_queries(client, url) for url in urls]
    assert visitor[0] == visitor[1]
    client.force_login(educator_ana)
    page = client.get(urls[1]).content.decode()
    assert page.count("Not earned yet") == 5  # her marks are there, each one
    few = [_count_queries(client, url) for url in urls]
    # She earned some prerequisites, works on others, and holds many other credentials.
    states = [Attempt.State.EARNED] * 3 + [Attempt.State.IN_PROGRESS] * 2
    states += [Attempt.State.EARNED] * 25
    Attempt.objects.bulk_create(
        Attempt(
            educator=educator_ana,
            version_id=credential.current_version_id,
            organization=world.north.school,
            state=state,
        )
        for credential, state in zip(bulk, states, strict=True)
    )
    page = client.get(urls[1]).content.decode()
    assert page.count("You earned it") == 3 and page.count("You are working on it") == 2
    many = [_count_queries(client, url) for url in urls]
    assert few[0] == few[1] == many[0] == many[1]


def test_catalog_paginates(client, north):
    bulk_published(north, 45)
    first = client.get("/catalog/")
    assert len(titles(first)) == 20
    assert "Page 1 of 3" in first.content.decode()
    assert len(titles(client.get("/catalog/", {"page": 3}))) == 5


def test_public_pages_are_cached_for_visitors_and_refreshed_by_publishing(
    client, designer_dan, reviewer_rita, admin_adam, north
):
    from microcred.catalog import services

    credential = published_credential(designer_dan, reviewer_rita, north, title="Exit tickets")
    first = client.get("/catalog/")
    assert first["X-Page-Cache"] == "miss"
    assert (
        "csrfmiddlewaretoken" not in first.content.decode()
        and "X-CSRFToken" not in first.content.decode()
    )
    with CaptureQueriesContext(connection) as ctx:
        second = client.get("/catalog/")
    assert second["X-Page-Cache"] == "hit"
    assert len(ctx.captured_queries) == 1  # only the generation check
    assert second.content == first.content
    assert second["Content-Security-Policy"]  # headers still come from the middleware
    # Retiring changes the generation: the next visitor sees the catalog without it.
    services.credential_retire(actor=admin_adam, credential=credential, reason="Replaced.")
    third = client.get("/catalog/")
    assert third["X-Page-Cache"] == "miss"
    assert titles(third) == []


def test_signed_in_pages_are_never_served_from_the_page_cache(
    client, designer_dan, reviewer_rita, north
):
    published_credential(designer_dan, reviewer_rita, north, title="Exit tickets")
    client.get("/catalog/")
    client.force_login(designer_dan)
    response = client.get("/catalog/")
    assert "X-Page-Cache" not in response
    assert designer_dan.get_short_name() in response.content.decode()


def test_a_published_credential_page_is_rendered_once_then_served_in_two_queries(
    client, designer_dan, reviewer_rita, north, settings
):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    credential = published_credential(designer_dan, reviewer_rita, north)
    first = client.get(f"/credentials/{credential.slug}/")
    with CaptureQueriesContext(connection) as ctx:
        second = client.get(f"/credentials/{credential.slug}/")
    assert second.content == first.content
    assert len(ctx.captured_queries) == 1  # the credential (visibility check); the body is cached
    # With prerequisites too: when one of them last changed is read with the credential.
    requiring = published_credential(
        designer_dan, reviewer_rita, north, title="Data teams", prerequisites=[credential]
    )
    first = client.get(f"/credentials/{requiring.slug}/")
    assert "Before you start:" in first.content.decode()
    with CaptureQueriesContext(connection) as ctx:
        second = client.get(f"/credentials/{requiring.slug}/")
    assert second.content == first.content
    assert len(ctx.captured_queries) == 1
