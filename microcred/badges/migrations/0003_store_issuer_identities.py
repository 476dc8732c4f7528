"""Store the DID of every organization that already has a signing key.

The DID is read from what the organization actually signed, not from the SITE_URL this
migration happens to run under: its first credential (the DID its badges carry, and the
site its status lists are addressed at), else its first status list, else SITE_URL. A status
list re-signed under another DID (the bug this fixes) is left as it is and re-signed under
the stored DID with the next change, rotation or compromise.
"""

import json
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.db import migrations


def _did_for(site_url, slug):
    parts = urlsplit(site_url)
    segments = [quote(parts.netloc, safe="")] + [s for s in parts.path.split("/") if s]
    return "did:web:" + ":".join([*segments, "orgs", slug])


def _issuer_id(document):
    issuer = document.get("issuer")
    return issuer.get("id") if isinstance(issuer, dict) else issuer


def _site_of(status_list_url, slug):
    """`https://host/base/orgs/<slug>/status/<n>` -> `https://host/base`."""
    marker = f"/orgs/{slug}/status/"
    if isinstance(status_list_url, str) and marker in status_list_url:
        return status_list_url.split(marker, 1)[0]
    return None


def _identity(organization, IssuedCredential, StatusList):
    slug = organization.slug
    first = IssuedCredential.objects.filter(organization=organization).order_by("pk").first()
    if first is not None:
        try:
            document = json.loads(first.document)
        except ValueError:
            document = {}
        did = _issuer_id(document)
        status = document.get("credentialStatus") or {}
        if isinstance(status, list):
            status = status[0] if status else {}
        site = _site_of(status.get("statusListCredential"), slug)
        if isinstance(did, str) and did.startswith("did:web:") and site:
            return did, site
    status_list = StatusList.objects.filter(organization=organization).order_by("pk").first()
    if status_list is not None and status_list.document:
        try:
            document = json.loads(status_list.document)
        except ValueError:
            document = {}
        did = _issuer_id(document)
        site = _site_of(document.get("id"), slug)
        if isinstance(did, str) and did.startswith("did:web:") and site:
            return did, site
    site = settings.SITE_URL.rstrip("/")
    return _did_for(site, slug), site


def store(apps, schema_editor):
    Organization = apps.get_model("core", "Organization")
    IssuerKey = apps.get_model("badges", "IssuerKey")
    IssuerIdentity = apps.get_model("badges", "IssuerIdentity")
    IssuedCredential = apps.get_model("badges", "IssuedCredential")
    StatusList = apps.get_model("badges", "StatusList")
    with_keys = IssuerKey.objects.values_list("organization_id", flat=True).distinct()
    for organization in Organization.objects.filter(pk__in=with_keys).order_by("pk"):
        if IssuerIdentity.objects.filter(organization=organization).exists():
            continue
        did, site = _identity(organization, IssuedCredential, StatusList)
        IssuerIdentity.objects.create(organization=organization, did=did, site_url=site)


class Migration(migrations.Migration):
    dependencies = [
        ("badges", "0002_issuer_identity_and_key_compromise"),
    ]

    operations = [
        migrations.RunPython(store, migrations.RunPython.noop),
    ]
