"""What a visitor gives the verifier, read the same way for the page and the JSON API: a
link, a file (a credential's JSON or a baked badge image), pasted JSON, or (API only) the
credential as the request body; past `verify.MAX_BYTES` the input is not read at all.

`checked_on_page` (through the page's form) and `given_to_api` parse a request into a
`Given`; `check` turns any `Given` into the verifier's verdict (JSON nesting depth and the
rest are judged there).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest

from microcred.badges import verify
from microcred.badges.forms import VerifyForm

_LIMIT_MB = verify.MAX_BYTES // 1024 // 1024
PAGE_FILE_TOO_LARGE = (
    f"This file is larger than the verifier's limit of {_LIMIT_MB} MB. "
    "A credential or a baked badge image is far smaller: check that you chose the right file."
)
API_FILE_TOO_LARGE = f"This file is larger than the verifier's limit of {_LIMIT_MB} MB."
API_BODY_TOO_LARGE = f"The request body is larger than the verifier's limit of {_LIMIT_MB} MB."


class LimitedUpload(FileUploadHandler):
    """Stop reading an upload past the verifier's limit, remembering its size."""

    def __init__(self, request: HttpRequest) -> None:
        super().__init__(request)
        self.seen = 0
        self.too_large: int | None = None

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.seen = start + len(raw_data)
        if self.seen > verify.MAX_BYTES:
            self.too_large = self.content_length or self.seen
            raise SkipFile()
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def limit_upload(request: HttpRequest) -> LimitedUpload | None:
    """Put the upload limit in place for a POST; it must come before anything reads the
    body (the CSRF check included)."""
    if request.method != "POST":
        return None
    upload = LimitedUpload(request)
    request.upload_handlers.insert(0, upload)
    return upload


@dataclass(frozen=True, slots=True)
class Given:
    """One thing to check: a link, bytes (a file or a raw body), text, or only the message
    saying the input was too large to read."""

    url: str = ""
    data: bytes | None = None
    text: str | None = None
    too_large: str = ""


def check(given: Given) -> verify.Verdict:
    if given.too_large:
        return verify.unreadable(given.too_large)
    if given.url:
        return verify.verify_url(given.url)
    if given.data is not None:
        return verify.verify_bytes(given.data)
    return verify.verify_text(given.text or "")


@dataclass(frozen=True, slots=True)
class PageCheck:
    """The verifier page's form (bound when it keeps what was given), and the verdict and
    the checked file's name when something was checked."""

    form: VerifyForm
    verdict: verify.Verdict | None = None
    checked_file: str = ""


def _from_form(form: VerifyForm) -> Given:
    data = form.cleaned_data
    if data.get("url"):
        return Given(url=data["url"])
    if data.get("file"):
        return Given(data=data["file"].read(verify.MAX_BYTES + 1))
    return Given(text=data["text"])


def checked_on_page(request: HttpRequest, upload: LimitedUpload | None) -> PageCheck:
    """The verifier page's answer to a POST of its form, or to a GET with `url=`."""
    if request.method == "POST":
        form = VerifyForm(request.POST, request.FILES)
        if upload is not None and upload.too_large:
            # The file was all that was given; nothing else to keep.
            return PageCheck(VerifyForm(), check(Given(too_large=PAGE_FILE_TOO_LARGE)))
        if not form.is_valid():
            return PageCheck(form)
        name = form.cleaned_data["file"].name if form.cleaned_data.get("file") else ""
        return PageCheck(form, check(_from_form(form)), name)
    if request.GET.get("url"):
        form = VerifyForm({"url": request.GET["url"]})
        if form.is_valid():
            return PageCheck(form, check(Given(url=form.cleaned_data["url"])))
        return PageCheck(form)
    return PageCheck(VerifyForm())


def _multipart(request: HttpRequest, upload: LimitedUpload | None) -> Given | None:
    uploaded = request.FILES.get("file")
    if upload is not None and uploaded is None and upload.too_large:
        return Given(too_large=API_FILE_TOO_LARGE)
    if uploaded is not None:
        return Given(data=uploaded.read(verify.MAX_BYTES + 1))
    if request.POST.get("url"):
        return Given(url=request.POST["url"])
    return None


def _body(request: HttpRequest) -> Given | None:
    if int(request.META.get("CONTENT_LENGTH") or 0) > verify.MAX_BYTES:
        return Given(too_large=API_BODY_TOO_LARGE)
    body = request.read(verify.MAX_BYTES + 1)
    if not body.strip():
        return None
    if "json" in (request.content_type or ""):
        return Given(text=body.decode("utf-8-sig", errors="replace"))
    return Given(data=body)  # a baked image posted as the raw body


def given_to_api(request: HttpRequest, upload: LimitedUpload | None) -> Given | None:
    """What a request to the JSON API gives: a multipart `file` or `url`, a JSON body or a
    baked image as the body, or `url=` in the query; None when it gives nothing."""
    url = request.GET.get("url", "")
    if request.method == "POST" and (request.content_type or "").startswith("multipart/"):
        return _multipart(request, upload)
    if request.method == "POST" and not url:
        return _body(request)
    if url:
        return Given(url=url)
    return None
