"""tus requests as a client sends them, through Django's test client."""

from __future__ import annotations

import base64
from typing import Any

from django.test import Client
from django.urls import reverse

TUS = {"Tus-Resumable": "1.0.0"}


def metadata(**pairs: str) -> str:
    return ",".join(
        f"{key} {base64.b64encode(value.encode()).decode()}" for key, value in pairs.items()
    )


def create(
    client: Client, attempt: Any, requirement: Any, name: str, size: int, **meta: str
) -> Any:
    return client.post(
        reverse("earning:upload-begin", args=[attempt.public_id, requirement.pk]),
        headers={
            **TUS,
            "Upload-Length": str(size),
            "Upload-Metadata": metadata(filename=name, **meta),
        },
    )


def patch(client: Client, url: str, offset: int, data: bytes, **headers: str) -> Any:
    return client.generic(
        "PATCH",
        url,
        data,
        headers.pop("content_type", "application/offset+octet-stream"),
        headers={**TUS, "Upload-Offset": str(offset), **headers},
    )


def head(client: Client, url: str) -> Any:
    return client.head(url, headers=TUS)


def delete(client: Client, url: str) -> Any:
    return client.delete(url, headers=TUS)


def text(response: Any) -> str:
    return str(response.content.decode())


def send_all(client: Client, url: str, content: bytes, chunk: int) -> Any:
    """Every piece, in order, from where the server is; the last answer."""
    offset = int(head(client, url)["Upload-Offset"])
    while True:
        answer = patch(client, url, offset, content[offset : offset + chunk])
        if answer.status_code != 204:
            return answer
        offset = int(answer["Upload-Offset"])
        if offset >= len(content):
            return answer
