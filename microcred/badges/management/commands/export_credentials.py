"""`manage.py export_credentials OUTDIR`: every issued credential as `OUTDIR/<uuid>.json`
with its baked `.png` and `.svg` (a stack's badge: the `.png` only), and every status list credential under
`OUTDIR/status-lists/<organization>-<number>.json`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from microcred.badges import artwork
from microcred.badges.models import IssuedCredential, StatusList


class Command(BaseCommand):
    help = (
        "Write every issued credential (JSON, baked PNG and SVG) and the status lists to a folder."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("outdir")

    def handle(self, *args: Any, **options: Any) -> None:
        out = Path(options["outdir"])
        (out / "status-lists").mkdir(parents=True, exist_ok=True)
        count = 0
        rows = IssuedCredential.objects.select_related(
            "organization", "award__attempt__version__credential__organization"
        ).order_by("pk")
        for credential in rows.iterator(chunk_size=500):
            stem = out / str(credential.public_id)
            stem.with_suffix(".json").write_text(credential.document, encoding="utf-8")
            stem.with_suffix(".png").write_bytes(artwork.baked_png(credential))
            svg = artwork.baked_svg(credential)  # None: a stack's badge, a PNG only
            if svg is not None:
                stem.with_suffix(".svg").write_text(svg, encoding="utf-8")
            count += 1
        lists = 0
        for status_list in StatusList.objects.select_related("organization").exclude(document=""):
            name = f"{status_list.organization.slug}-{status_list.number}.json"
            (out / "status-lists" / name).write_text(status_list.document, encoding="utf-8")
            lists += 1
        self.stdout.write(
            f"Wrote {count} credentials (JSON, PNG, SVG) and {lists} status lists to {out}."
        )
