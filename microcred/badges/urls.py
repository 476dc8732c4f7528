from django.urls import path

from microcred.badges import views

app_name = "badges"

urlpatterns = [
    # Machine-readable documents that verifiers fetch (public, no login).
    path("orgs/<slug:slug>/did.json", views.did_document, name="did"),
    path("orgs/<slug:slug>/status/<int:number>", views.status_list, name="status-list"),
    path("issuers/<slug:slug>/", views.issuer, name="issuer"),
    path("issuers/<slug:slug>/image.png", views.issuer_image, name="issuer-image"),
    path("issuers/<slug:slug>/ob2.json", views.ob2_issuer, name="ob2-issuer"),
    path(
        "credentials/<slug:slug>/v<int:number>/badge.png",
        views.achievement_image,
        name="achievement-image",
    ),
    path(
        "credentials/<slug:slug>/v<int:number>/ob2.json",
        views.ob2_badge_class,
        name="ob2-badge-class",
    ),
    # The earner's badges and each badge's public page with its downloads.
    path("badges/", views.wallet, name="wallet"),
    path("badges/<uuid:public_id>/", views.public, name="public"),
    path("badges/<uuid:public_id>/credential.json", views.download_json, name="json"),
    path("badges/<uuid:public_id>/badge.png", views.download_png, name="png"),
    path("badges/<uuid:public_id>/badge.svg", views.download_svg, name="svg"),
    path("badges/<uuid:public_id>/qr.svg", views.qr_code, name="qr"),
    path("badges/<uuid:public_id>/ob2.json", views.ob2_assertion, name="ob2-assertion"),
    path("badges/<uuid:public_id>/ob2.png", views.ob2_png, name="ob2-png"),
    path("badges/<uuid:public_id>/preferences/", views.preferences, name="preferences"),
    path("badges/<uuid:public_id>/reissue/", views.reissue, name="reissue"),
    path("badges/<uuid:public_id>/revoke/", views.revoke, name="revoke"),
    path("badges/<uuid:public_id>/reinstate/", views.reinstate, name="reinstate"),
    path("badges/<uuid:public_id>/renew/", views.renew, name="renew"),
    # The issuer's side: what the organization issued, and its signing keys.
    path("assessment/badges/", views.issued, name="issued"),
    path("issuers/<slug:slug>/keys/", views.issuer_keys, name="keys"),
    # Anyone verifies a credential: a page and a JSON endpoint.
    path("verify/", views.verifier, name="verify"),
    path("verify/api", views.verify_api, name="verify-api"),
]
