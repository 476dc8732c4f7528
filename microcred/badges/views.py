"""Badge pages and documents: what verifiers fetch (DID documents, status lists, images),
the earner's wallet and each badge's public page with its downloads, the issuer's list and
keys, and the verifier anyone can use.

Machine documents are public and allow cross-origin reads; status lists are cached for at
most five minutes so a revocation reaches verifiers within that time. A badge page is
public unless its earner made it private; then it is a 404 for everyone else.
"""

from __future__ import annotations

import io
import ipaddress
import json
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_safe
from django_ratelimit.core import is_ratelimited

from microcred.badges import (
    artwork,
    baking,
    compose,
    did,
    ob2,
    pages,
    selectors,
    services,
    verify_input,
)
from microcred.badges.forms import (
    CompromisedKeyForm,
    PreferencesForm,
    ReissueForm,
    RevokeForm,
    VerifyForm,
)
from microcred.badges.models import IssuedCredential, IssuerKey, StatusList
from microcred.catalog import artwork as catalog_artwork
from microcred.catalog.models import CredentialVersion
from microcred.core import parts, permissions, tenancy
from microcred.core.errors import DomainError, add_to_form
from microcred.core.models import Organization, User
from microcred.core.parts import Part

STATUS_LIST_SECONDS = 300  # a revocation is visible to verifiers within five minutes
IMAGE_SECONDS = 60 * 60
# The media type VC Data Model 2.0 registered (IANA, 2024) for a credential with an embedded
# proof. A client whose Accept header prefers application/ld+json or application/json (our
# own verifier's fetch does) gets the same bytes under that type.
CREDENTIAL_MEDIA_TYPES = ["application/vc", "application/ld+json", "application/json"]


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _public_json(
    document: Any, *, max_age: int, content_type: str = "application/json"
) -> HttpResponse:
    body = (
        document
        if isinstance(document, str)
        else json.dumps(document, indent=2, ensure_ascii=False)
    )
    response = HttpResponse(body, content_type=content_type)
    response["Cache-Control"] = f"public, max-age={max_age}"
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _issuing_organization(slug: str) -> Organization:
    """An organization that signs credentials (it has a key); others have no issuer pages."""
    organization = Organization.objects.filter(slug=slug).first()
    if organization is None or not IssuerKey.objects.filter(organization=organization).exists():
        raise Http404("No issuer here.")
    return organization


# ----------------------------------------------------------------------------- documents


@require_safe
def did_document(request: HttpRequest, slug: str) -> HttpResponse:
    organization = _issuing_organization(slug)
    document = did.did_document(
        did.organization_did(organization), list(organization.signing_keys.all())
    )
    return _public_json(document, max_age=STATUS_LIST_SECONDS, content_type="application/did+json")


@require_safe
def status_list(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    row = get_object_or_404(
        StatusList.objects.only("document"), organization__slug=slug, number=number
    )
    if not row.document:
        raise Http404("This status list is not signed yet.")
    return _public_json(
        row.document, max_age=STATUS_LIST_SECONDS, content_type="application/vc+ld+json"
    )


def _png(data: bytes, *, max_age: int = IMAGE_SECONDS) -> HttpResponse:
    response = HttpResponse(data, content_type="image/png")
    response["Cache-Control"] = f"public, max-age={max_age}"
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def achievement_image(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    version = get_object_or_404(
        CredentialVersion.objects.select_related("credential__organization"),
        credential__slug=slug,
        number=number,
        state=CredentialVersion.State.PUBLISHED,
    )
    return _png(catalog_artwork.version_png(version))


@require_safe
def issuer_image(request: HttpRequest, slug: str) -> HttpResponse:
    return _png(catalog_artwork.issuer_png(_issuing_organization(slug)))


@require_safe
def issuer(request: HttpRequest, slug: str) -> HttpResponse:
    organization = _issuing_organization(slug)
    return render(request, "badges/issuer.html", pages.issuer_page(organization=organization))


# ----------------------------------------------------------------------------- badge pages


def _credential(request: HttpRequest, public_id: Any) -> IssuedCredential:
    try:
        return selectors.public_credential(public_id=public_id, viewer=request.user)
    except IssuedCredential.DoesNotExist:
        raise Http404("No such badge, or its earner keeps it private.") from None


@require_safe
def public(request: HttpRequest, public_id: Any) -> HttpResponse:
    """A badge's page. A link to a copy that was replaced (a new name, a renewal) leads to
    the current copy, which says so: the page shows the award as it stands."""
    credential = _credential(request, public_id)
    current = pages.current_copy(credential)
    if current.pk != credential.pk:
        target = reverse("badges:public", args=[current.public_id])
        return redirect(f"{target}?{urlencode({'replaced': str(credential.public_id)})}")
    return _public_page(request, credential, replaced=request.GET.get("replaced", ""))


def _public_page(
    request: HttpRequest,
    credential: IssuedCredential,
    forms: dict[str, Any] | None = None,
    status: int = 200,
    replaced: str = "",
) -> HttpResponse:
    """The badge page; `forms` replaces a form with a refused, bound one (input kept)."""
    page = pages.badge_page(credential=credential, viewer=request.user, replaced=replaced)
    response = render(request, "badges/public.html", page | (forms or {}), status=status)
    if not page["is_public"]:
        response["X-Robots-Tag"] = "noindex"
    return response


def _download(
    credential: IssuedCredential, data: bytes | str, content_type: str, ext: str
) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    title = compose.clean(json.loads(credential.document).get("name", "badge"))
    safe = "".join(c if c.isalnum() else "-" for c in title.lower()).strip("-")[:60] or "badge"
    response["Content-Disposition"] = f'attachment; filename="{safe}.{ext}"'
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "no-cache"
    return response


@require_safe
def download_json(request: HttpRequest, public_id: Any) -> HttpResponse:
    credential = _credential(request, public_id)
    media_type = request.get_preferred_type(CREDENTIAL_MEDIA_TYPES) or CREDENTIAL_MEDIA_TYPES[0]
    response = _download(credential, credential.document, media_type, "json")
    response["Vary"] = "Accept"
    return response


@require_safe
def download_png(request: HttpRequest, public_id: Any) -> HttpResponse:
    credential = _credential(request, public_id)
    return _download(credential, artwork.baked_png(credential), "image/png", "png")


@require_safe
def download_svg(request: HttpRequest, public_id: Any) -> HttpResponse:
    credential = _credential(request, public_id)
    svg = artwork.baked_svg(credential)
    if svg is None:
        raise Http404("A stack's badge comes as a PNG only.")
    return _download(credential, svg, "image/svg+xml", "svg")


@require_safe
def qr_code(request: HttpRequest, public_id: Any) -> HttpResponse:
    import segno

    credential = _credential(request, public_id)
    code = segno.make(compose.absolute(credential.get_absolute_url()), error="m")
    out = io.BytesIO()
    code.save(out, kind="svg", scale=4, border=2, dark="#1b1b1b", light="#ffffff", xmldecl=False)
    svg = out.getvalue()
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=86400"
    return response


def certificate_verification(request: HttpRequest, award: Any) -> str:
    """The certificate's verification block (assessment's page keeps a place for it,
    settings.PAGE_PARTS): the badge's public link and its QR code."""
    context = pages.certificate_badge(award=award)
    return render_to_string("badges/_certificate_verification.html", context, request=request)


# ----------------------------------------------------------------------------- OB 2.0 export


@require_safe
def ob2_assertion(request: HttpRequest, public_id: Any) -> HttpResponse:
    credential = get_object_or_404(
        IssuedCredential.objects.select_related(
            "organization", "award__attempt__educator", "award__attempt__version__credential"
        ),
        public_id=public_id,
        award__isnull=False,  # a stack's badge has no Open Badges 2.0 copy
    )
    assertion = ob2.assertion(credential)
    status = 410 if assertion.get("revoked") else 200
    response = _public_json(
        assertion, max_age=STATUS_LIST_SECONDS, content_type="application/ld+json"
    )
    response.status_code = status
    return response


@require_safe
def ob2_png(request: HttpRequest, public_id: Any) -> HttpResponse:
    # Open Badges 2.0 baking carries the assertion's JSON (a hosted one: its id is the address
    # a verifier checks it at), not only its link.
    credential = _credential(request, public_id)
    if credential.award is None:
        raise Http404("A stack's badge has no Open Badges 2.0 copy.")
    assertion = json.dumps(ob2.assertion(credential), separators=(",", ":"))
    data = baking.bake_png_openbadges2(
        catalog_artwork.version_png(credential.award.attempt.version), assertion
    )
    return _download(credential, data, "image/png", "ob2.png")


@require_safe
def ob2_badge_class(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    version = get_object_or_404(
        CredentialVersion.objects.select_related("credential__organization"),
        credential__slug=slug,
        number=number,
        state=CredentialVersion.State.PUBLISHED,
    )
    return _public_json(
        ob2.badge_class(version), max_age=IMAGE_SECONDS, content_type="application/ld+json"
    )


@require_safe
def ob2_issuer(request: HttpRequest, slug: str) -> HttpResponse:
    organization = _issuing_organization(slug)
    return _public_json(
        ob2.issuer(organization), max_age=IMAGE_SECONDS, content_type="application/ld+json"
    )


# ----------------------------------------------------------------------------- the earner


@login_required
@require_http_methods(["GET"])
def wallet(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    statuses = parts.render(Part.PERSON_STATUSES, request, user)
    context = pages.wallet_page(actor=user) | {"statuses": statuses}
    return render(request, "badges/wallet.html", context)


def _manageable(request: HttpRequest, public_id: Any) -> IssuedCredential:
    try:
        return selectors.credential_for(actor=_user(request), public_id=public_id)
    except IssuedCredential.DoesNotExist:
        raise Http404("No such badge.") from None


def _back(credential: IssuedCredential) -> HttpResponseRedirect:
    return redirect(credential.get_absolute_url())


def _refused(
    request: HttpRequest, credential: IssuedCredential, error: DomainError
) -> HttpResponse:
    messages.error(request, str(error))
    return _back(credential)


REISSUED_WITH_NEW_NAME = "Your badge was issued again with the new name. Share this one."


@login_required
@require_http_methods(["POST"])
def preferences(request: HttpRequest, public_id: Any) -> HttpResponse:
    user = _user(request)
    credential = _manageable(request, public_id)
    if credential.earner_id != user.pk:
        raise PermissionDenied("Only the person who earned this badge can change how it shows.")
    form = PreferencesForm(request.POST)
    if form.is_valid():
        try:
            current = services.badge_preferences_update(
                actor=user,
                credential=credential,
                display_name=form.cleaned_data["display_name"],
                public=form.cleaned_data["public"],
            )
        except DomainError as error:
            add_to_form(form, error)
        else:
            renamed = current.pk != credential.pk
            messages.success(request, REISSUED_WITH_NEW_NAME if renamed else "Saved.")
            return _back(current)
    return _public_page(request, credential, {"preferences_form": form}, status=400)


@login_required
@require_http_methods(["POST"])
def reissue(request: HttpRequest, public_id: Any) -> HttpResponse:
    """Issue the badge again: for a new name or email (the form asks for it and the new
    badge carries it) or, by the issuer, a correction. A refusal shows at its field."""
    user = _user(request)
    credential = _manageable(request, public_id)
    is_earner = credential.earner_id == user.pk
    form = ReissueForm(request.POST, earner=is_earner)
    if form.is_valid():
        try:
            new = services.credential_reissue(
                actor=user, credential=credential, **form.cleaned_data
            )
        except DomainError as error:
            add_to_form(form, error, fallback="reason")
        else:
            messages.success(
                request, "The badge was issued again; the old one is marked as replaced."
            )
            return _back(new)
    key = "earner_reissue_form" if is_earner else "reissue_form"
    return _public_page(request, credential, {key: form}, status=400)


@login_required
@require_http_methods(["POST"])
def revoke(request: HttpRequest, public_id: Any) -> HttpResponse:
    user = _user(request)
    credential = _manageable(request, public_id)
    form = RevokeForm(request.POST)
    if not form.is_valid():
        return _public_page(request, credential, {"revoke_form": form}, status=400)
    try:
        services.credential_revoke(
            actor=user, credential=credential, reason=form.cleaned_data["reason"]
        )
    except DomainError as error:
        add_to_form(form, error)
        return _public_page(request, credential, {"revoke_form": form}, status=400)
    messages.success(
        request, "Revoked. Verifiers see it within five minutes; the educator has been told."
    )
    return _back(credential)


@login_required
@require_http_methods(["POST"])
def reinstate(request: HttpRequest, public_id: Any) -> HttpResponse:
    user = _user(request)
    credential = _manageable(request, public_id)
    try:
        services.credential_unrevoke(actor=user, credential=credential)
    except DomainError as error:
        return _refused(request, credential, error)
    messages.success(request, "Reinstated: the credential verifies again.")
    return _back(credential)


@login_required
@require_http_methods(["POST"])
def renew(request: HttpRequest, public_id: Any) -> HttpResponse:
    user = _user(request)
    credential = _manageable(request, public_id)
    try:
        new = services.credential_renew(actor=user, credential=credential)
    except DomainError as error:
        return _refused(request, credential, error)
    messages.success(request, "Renewed: the educator has a new credential with the new dates.")
    return _back(new)


# ----------------------------------------------------------------------------- issuer


@login_required
@require_http_methods(["GET"])
def issued(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not permissions.has_perm_anywhere(user, "assessment.manage"):
        raise PermissionDenied("This page is for issuers and program admins.")
    query = request.GET.get("q", "").strip()[:100]
    context = pages.issued_page(actor=user, query=query, page=request.GET.get("page"))
    return render(request, "badges/issued.html", context)


def _keys_organization(request: HttpRequest, slug: str) -> Organization:
    return get_object_or_404(
        Organization.objects.filter(tenancy.within(_user(request), "assessment.manage", field="")),
        slug=slug,
    )


def _compromise_form(key: IssuerKey, data: Any = None) -> CompromisedKeyForm:
    # One form per key on the page: the prefix keeps their fields' ids apart.
    return CompromisedKeyForm(data, prefix=key.key_id)


def _keys_page(
    request: HttpRequest,
    organization: Organization,
    *,
    bound: CompromisedKeyForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = _user(request)
    keys = list(organization.signing_keys.order_by("-created_at"))
    forms = [
        (key, bound if bound is not None and bound.prefix == key.key_id else _compromise_form(key))
        for key in keys
        if key.compromised_at is None
    ]
    return render(
        request,
        "badges/keys.html",
        {
            "organization": organization,
            "did": did.organization_did(organization),
            "keys": keys,
            "can_rotate": permissions.has_perm(user, "assessment.decide", organization),
            "compromise_forms": forms,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def issuer_keys(request: HttpRequest, slug: str) -> HttpResponse:
    user = _user(request)
    organization = _keys_organization(request, slug)
    if request.method == "POST":
        try:
            key = services.issuer_key_rotate(actor=user, organization=organization)
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                f"New signing key {key.key_id} in use. Earlier keys stay published, so every "
                "credential signed with them still verifies.",
            )
        return redirect("badges:keys", slug=organization.slug)
    return _keys_page(request, organization)


def _compromised_message(key: IssuerKey, new_key: IssuerKey | None) -> str:
    replaced = f" New signing key {new_key.key_id} in use." if new_key else ""
    return (
        f"Key {key.key_id} is marked compromised and no longer published: badges signed with "
        f"it stop verifying now and are being issued again with the current key; the educators "
        f"are told.{replaced}"
    )


@login_required
@require_http_methods(["POST"])
def issuer_key_compromised(request: HttpRequest, slug: str, key_id: str) -> HttpResponse:
    user = _user(request)
    organization = _keys_organization(request, slug)
    key = get_object_or_404(IssuerKey, organization=organization, key_id=key_id)
    # Checked before the form, so a program admin's post is refused whatever it holds.
    permissions.require(user, "assessment.decide", organization)
    form = _compromise_form(key, request.POST)
    if not form.is_valid():
        return _keys_page(request, organization, bound=form, status=400)
    try:
        new_key = services.issuer_key_mark_compromised(
            actor=user, key=key, reason=form.cleaned_data["reason"]
        )
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _compromised_message(key, new_key))
    return redirect("badges:keys", slug=organization.slug)


# ----------------------------------------------------------------------------- verifier


RATE_LIMITED = (
    "You have checked many credentials in a short time. To keep the verifier quick for "
    "everyone, it takes a pause: try again in a minute."
)


def _client_address(group: str, request: HttpRequest) -> str:
    """The visitor's address for the verifier's rate limit: behind PROXY_COUNT trusted
    proxies, the address the first of them saw; an IPv6 visitor counts by /64 network (one
    host usually holds a whole one)."""
    address = request.META.get("REMOTE_ADDR") or ""
    proxies = int(getattr(settings, "AXES_IPWARE_PROXY_COUNT", None) or 0)
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            address = forwarded[-proxies]
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address[:64]
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False).network_address)
    return str(ip)


def _verifier_rate(group: str, request: HttpRequest) -> str | None:
    return getattr(settings, "VERIFIER_RATE_LIMIT", "") or None


def _rate_limited(request: HttpRequest) -> bool:
    """One count per verification asked for, page and API together, per client address, in
    the shared cache (Redis when there are several web processes)."""
    return is_ratelimited(
        request,
        group="verifier",
        key=_client_address,
        rate=_verifier_rate,
        increment=True,
    )


@csrf_exempt
@require_http_methods(["GET", "POST"])
def verifier(request: HttpRequest) -> HttpResponse:
    # The upload limit must be in place before anything reads the body (CSRF included).
    return _verifier(request, verify_input.limit_upload(request))


@csrf_protect
def _verifier(request: HttpRequest, upload: verify_input.LimitedUpload | None) -> HttpResponse:
    asked = request.method == "POST" or bool(request.GET.get("url"))
    if asked and _rate_limited(request):
        return _verifier_rate_limited(request)
    checked = verify_input.checked_on_page(request, upload)
    context = {
        "form": checked.form,
        "verdict": checked.verdict,
        "checked_file": checked.checked_file,
        "now": datetime.now(UTC),
    }
    status = 400 if checked.form.is_bound and checked.form.errors else 200
    return render(request, "badges/verify.html", context, status=status)


def _verifier_rate_limited(request: HttpRequest) -> HttpResponse:
    form = VerifyForm(request.POST or None) if request.method == "POST" else VerifyForm()
    response = render(
        request,
        "badges/verify.html",
        {"form": form, "verdict": None, "rate_limited": RATE_LIMITED},
        status=429,
    )
    response["Retry-After"] = "60"
    return response


NO_INPUT = "Send a credential: a JSON body, a file field named 'file', or url=."


@csrf_exempt
@require_http_methods(["GET", "POST"])
def verify_api(request: HttpRequest) -> HttpResponse:
    """JSON in, verdict out: POST the credential (JSON body, or a file as multipart `file`),
    or GET/POST `url=`. Answers 200 with the verdict for anything it could read as input,
    400 when nothing was given; never a 500."""
    upload = verify_input.limit_upload(request)
    if (request.method == "POST" or request.GET.get("url", "")) and _rate_limited(request):
        response = JsonResponse({"error": RATE_LIMITED, "code": "rate_limited"}, status=429)
        response["Retry-After"] = "60"
        response["Access-Control-Allow-Origin"] = "*"
        return response
    given = verify_input.given_to_api(request, upload)
    if given is None:
        return JsonResponse({"error": NO_INPUT, "code": "no_input"}, status=400)
    verdict = verify_input.check(given)
    response = JsonResponse(verdict.as_json(), json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response
