"""Baked badges: an Open Badges credential carried inside its own PNG or SVG image.

This module owns putting a credential into a badge image and taking it out again, as
1EdTech Open Badges 3.0 §5.3 "Baked Badge" describes (and Open Badges 2.0 "Badge Baking"
for the 2.0 export):

- PNG: one `iTXt` chunk with the keyword `openbadgecredential` (2.0: `openbadges`),
  uncompressed, empty language tag and translated keyword; its text is the credential
  JSON, or the compact JWS when the credential is signed as a VC-JWT. We place it
  before the first `IDAT` so a reader that stops at the first match never has to read
  the pixels. Every other byte of the file is kept as it was: the chunk is spliced in,
  the image is never re-encoded.
- SVG: `xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"` on the root `<svg>` and
  an `<openbadges:credential>` element as its first child, holding the JSON in CDATA (a
  VC-JWT goes in its `verify` attribute instead). The edit is made on the text, so the
  rest of the document (declaration, DOCTYPE, comments, formatting) is untouched.

Reading works on files uploaded by strangers, so it trusts nothing: the PNG walk checks
every length and CRC and stops at IEND or at the end of the data; compressed text is
inflated under a size cap; XML is parsed with expat directly, with DTD internal subsets
and entity declarations refused (no billion laughs, no external entities). Every
refusal is a `BakingError` whose message can be shown to the person who uploaded the
file. Baking the credential is the caller's business: this module signs nothing and
checks no credential, it only moves text in and out of images.
"""

from __future__ import annotations

import re
import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal
from xml.parsers import expat

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
OB3_PNG_KEYWORD = b"openbadgecredential"
OB2_PNG_KEYWORD = b"openbadges"
OB3_NAMESPACE = "https://purl.imsglobal.org/ob/v3p0"
# Some bakers in the wild write the context's path instead of the namespace the spec
# names; reading it costs nothing, writing it would be wrong.
OB3_NAMESPACE_VARIANTS = frozenset({OB3_NAMESPACE, "https://purl.imsglobal.org/spec/ob/v3p0"})
OB2_NAMESPACE = "http://openbadges.org"
SVG_NAMESPACE = "http://www.w3.org/2000/svg"

DEFAULT_MAX_BYTES = 5 * 1024 * 1024

_MAX_CHUNK_LENGTH = 2**31 - 1  # PNG §5.3: lengths above this are invalid
_TEXT_CHUNKS = frozenset({b"iTXt", b"tEXt", b"zTXt"})
_COMPACT_JWS = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+")
# Characters XML 1.0 cannot carry at all, not even in CDATA.
_NOT_XML_CHAR = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class BakingError(ValueError):
    """An image that cannot be baked or read; the message is safe to show to its uploader."""


# ----------------------------------------------------------------------------- sniffing


_XML_PROLOG_ITEM = re.compile(
    rb"\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE(?:[^\[>]*\[.*?\])?[^>]*>", re.DOTALL | re.IGNORECASE
)
_SVG_ROOT_START = re.compile(rb"<svg[\s/>]")


def sniff(data: bytes) -> Literal["png", "svg", "json", "unknown"]:
    """What the bytes look like, from their first bytes only (never from a file name)."""
    if data.startswith(PNG_SIGNATURE):
        return "png"
    head = data[:65536].removeprefix(b"\xef\xbb\xbf")
    stripped = head.lstrip()
    if stripped.startswith(b"{"):
        return "json"
    position = 0
    while match := _XML_PROLOG_ITEM.match(head, position):
        position = match.end()
    if _SVG_ROOT_START.match(head, position):
        return "svg"
    return "unknown"


def unbake(data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """The Open Badges 3.0 credential in an uploaded file: a baked PNG or SVG, or the JSON.

    For a verification page that takes whatever the visitor has; refuses with a message
    that says what was wrong with the file.
    """
    kind = sniff(data)
    if kind == "png":
        found = unbake_png(data, max_bytes=max_bytes)
        if found is None:
            raise BakingError("This PNG has no Open Badge inside it.")
        return found
    if kind == "svg":
        found = unbake_svg(data)
        if found is None:
            raise BakingError("This SVG has no Open Badge inside it.")
        return found
    if kind == "json":
        if len(data) > max_bytes:
            raise BakingError(f"This file is larger than the {_megabytes(max_bytes)} limit.")
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise BakingError("This JSON file is not UTF-8 text.") from None
    raise BakingError(
        "This file is not a PNG or SVG badge image, nor a credential's JSON. "
        "Upload the badge image as you received it."
    )


# ----------------------------------------------------------------------------- PNG


@dataclass(frozen=True)
class _Chunk:
    type: bytes
    start: int  # offset of the length field
    end: int  # offset just past the CRC
    data: bytes  # text chunks only; empty for the others


def _chunks(png: bytes) -> Iterator[_Chunk]:
    """Every chunk from IHDR to IEND, each checked; raises on the first damage found.

    Each step moves forward by at least the 12 bytes of a chunk's frame, so the walk ends
    on any input.
    """
    if not png.startswith(PNG_SIGNATURE):
        raise BakingError("This file is not a PNG image.")
    position = len(PNG_SIGNATURE)
    first = True
    while True:
        if position == len(png):
            raise BakingError("This PNG image is damaged (it ends before its last chunk).")
        if position + 12 > len(png):
            raise BakingError("This PNG image is damaged (chunk runs past the end of the file).")
        length, kind = struct.unpack(">I4s", png[position : position + 8])
        if length > _MAX_CHUNK_LENGTH or not kind.isalpha():
            raise BakingError("This PNG image is damaged (a chunk header is unreadable).")
        end = position + 12 + length
        if end > len(png):
            raise BakingError("This PNG image is damaged (chunk runs past the end of the file).")
        body = memoryview(png)[position + 8 : position + 8 + length]  # checked, not copied
        (crc,) = struct.unpack(">I", png[end - 4 : end])
        if zlib.crc32(body, zlib.crc32(kind)) != crc:
            name = kind.decode("ascii")
            raise BakingError(f"This PNG image is damaged (the {name} chunk fails its checksum).")
        if first and kind != b"IHDR":
            raise BakingError("This PNG image is damaged (it does not start with a header chunk).")
        first = False
        # Only text chunks are ever read; the image data stays where it is.
        yield _Chunk(kind, position, end, bytes(body) if kind in _TEXT_CHUNKS else b"")
        if kind == b"IEND":
            return
        position = end


@dataclass(frozen=True)
class _Itxt:
    keyword: bytes
    compressed: bool
    method: int
    text: bytes


def _parse_itxt(body: bytes) -> _Itxt | None:
    """The fields of an iTXt chunk (PNG §11.3.4.5), or None when it is malformed."""
    separator = body.find(b"\0", 0, 80)
    if separator < 1:
        return None
    keyword = body[:separator]
    rest = body[separator + 1 :]
    if len(rest) < 2:
        return None
    compressed, method = rest[0], rest[1]
    language_end = rest.find(b"\0", 2)
    if language_end < 0:
        return None
    translated_end = rest.find(b"\0", language_end + 1)
    if translated_end < 0 or compressed not in (0, 1):
        return None
    return _Itxt(keyword, compressed == 1, method, rest[translated_end + 1 :])


def _text_keyword(chunk: _Chunk) -> bytes | None:
    """The keyword of a tEXt, zTXt or iTXt chunk: the bytes before the first NUL."""
    if chunk.type not in _TEXT_CHUNKS:
        return None
    separator = chunk.data.find(b"\0", 0, 80)
    return chunk.data[:separator] if separator > 0 else None


def _itxt_chunk(keyword: bytes, text: str) -> bytes:
    # Keyword, NUL, compression flag 0, method 0, empty language tag and translated
    # keyword (each NUL-terminated), then the UTF-8 text; the spec forbids compression.
    body = keyword + b"\0\0\0\0\0" + text.encode("utf-8")
    if len(body) > _MAX_CHUNK_LENGTH:
        raise BakingError("This credential is too large to bake into a PNG image.")
    return (
        struct.pack(">I", len(body))
        + b"iTXt"
        + body
        + struct.pack(">I", zlib.crc32(b"iTXt" + body))
    )


def _bake_png(png: bytes, keyword: bytes, text: str) -> bytes:
    if not text:
        raise BakingError("There is no credential to bake.")
    chunks = list(_chunks(png))
    idat = next((chunk for chunk in chunks if chunk.type == b"IDAT"), None)
    if idat is None:
        raise BakingError("This PNG image is damaged (it has no image data).")
    # One credential per image: the spec forbids a second openbadgecredential chunk, and a
    # left-over 2.0 assertion (or a legacy tEXt URL) would contradict the new one.
    stale = [
        chunk for chunk in chunks if _text_keyword(chunk) in (OB3_PNG_KEYWORD, OB2_PNG_KEYWORD)
    ]
    out = bytearray()
    position = 0
    for chunk in stale:
        if chunk.start < idat.start:
            out += png[position : chunk.start]
            position = chunk.end
    out += png[position : idat.start]
    out += _itxt_chunk(keyword, text)
    position = idat.start
    for chunk in stale:
        if chunk.start > idat.start:
            out += png[position : chunk.start]
            position = chunk.end
    out += png[position:]
    return bytes(out)


def _unbake_png(data: bytes, keyword: bytes, max_bytes: int) -> str | None:
    chunks = list(_chunks(data))  # the whole walk first: a damaged file is refused as such
    for chunk in chunks:
        if chunk.type != b"iTXt" or _text_keyword(chunk) != keyword:
            continue
        itxt = _parse_itxt(chunk.data)
        if itxt is None:
            raise BakingError(
                "This PNG image's Open Badge is damaged (its text chunk is malformed)."
            )
        if itxt.compressed and itxt.method != 0:
            raise BakingError("This PNG image's Open Badge uses an unknown compression method.")
        raw = _inflate(itxt.text, max_bytes) if itxt.compressed else itxt.text
        if len(raw) > max_bytes:
            raise BakingError(
                f"This PNG image's Open Badge is larger than the {_megabytes(max_bytes)} limit."
            )
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            raise BakingError(
                "This PNG image's Open Badge is not readable text (not UTF-8)."
            ) from None
    return None


def _inflate(compressed: bytes, max_bytes: int) -> bytes:
    inflater = zlib.decompressobj()
    try:
        # Ask for one byte more than allowed: getting it means the text is too large,
        # and nothing past that is ever inflated (a zip bomb stays a small string).
        raw = inflater.decompress(compressed, max_bytes + 1)
    except zlib.error:
        raise BakingError(
            "This PNG image's Open Badge is damaged (its compressed text is corrupt)."
        ) from None
    if len(raw) > max_bytes:
        raise BakingError(
            f"This PNG image's Open Badge is larger than the {_megabytes(max_bytes)} limit."
        )
    if not inflater.eof:
        raise BakingError(
            "This PNG image's Open Badge is damaged (its compressed text is cut short)."
        )
    return raw


def bake_png(png: bytes, credential: str) -> bytes:
    """The PNG with the Open Badges 3.0 credential (JSON or compact JWS) baked in.

    Any credential already baked in (3.0 or 2.0) is replaced; the pixels, and every other
    chunk, are kept byte for byte.
    """
    return _bake_png(png, OB3_PNG_KEYWORD, credential)


def unbake_png(data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> str | None:
    """The text of the first `openbadgecredential` iTXt chunk, or None when there is none."""
    return _unbake_png(data, OB3_PNG_KEYWORD, max_bytes)


def bake_png_openbadges2(png: bytes, assertion_json_or_url: str) -> bytes:
    """The PNG with an Open Badges 2.0 assertion (JSON, signed JWS or hosted URL) baked in."""
    return _bake_png(png, OB2_PNG_KEYWORD, assertion_json_or_url)


def unbake_png_openbadges2(data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> str | None:
    """The text of the first Open Badges 2.0 `openbadges` iTXt chunk, or None."""
    return _unbake_png(data, OB2_PNG_KEYWORD, max_bytes)


def unbake_png_legacy(data: bytes) -> str | None:
    """Pre-2.0 baking (still written by some issuers): a hosted assertion's URL in a `tEXt`
    chunk with the keyword `openbadges`; None when there is none."""
    for chunk in _chunks(data):
        if chunk.type == b"tEXt" and _text_keyword(chunk) == OB2_PNG_KEYWORD:
            return chunk.data[len(OB2_PNG_KEYWORD) + 1 :].decode("latin-1").strip() or None
    return None


# ----------------------------------------------------------------------------- SVG


@dataclass
class _Element:
    namespace: str
    name: str
    attributes: dict[str, str]
    start: int  # byte offset of its start tag
    end: int = -1  # byte offset just past its end tag
    text: list[str] | None = None


@dataclass
class _SvgScan:
    root: _Element
    credentials: list[_Element]  # Open Badges 3.0 credential elements, document order
    assertions: list[_Element]  # Open Badges 2.0 assertion elements


def _split_name(name: str) -> tuple[str, str]:
    namespace, _, local = name.rpartition(" ")
    return namespace, local


def _scan_svg(data: bytes, *, encoding: str | None) -> _SvgScan:
    """Parse an SVG with expat, refusing DTD tricks, and find the badge elements in it.

    Offsets are byte offsets into `data`. An external DOCTYPE (as drawing programs write)
    is allowed because expat never fetches it; an internal subset or any entity
    declaration is refused, which rules out entity expansion bombs and external entities.
    """
    parser = expat.ParserCreate(encoding, namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    stack: list[_Element] = []
    found: list[_Element] = []
    root: list[_Element] = []

    def refuse(*_: object) -> None:
        raise BakingError(
            "This SVG image declares its own entities (an inline DTD); for safety we do "
            "not read such files."
        )

    def refuse_external(*_: object) -> int:
        refuse()
        return 0  # not reached: refuse() raises

    def doctype(_name: str, _system: str | None, _public: str | None, internal: int) -> None:
        if internal:
            refuse()

    def start(name: str, attributes: dict[str, str]) -> None:
        namespace, local = _split_name(name)
        element = _Element(namespace, local, attributes, parser.CurrentByteIndex)
        if not stack:
            if local != "svg" or namespace not in ("", SVG_NAMESPACE):
                raise BakingError("This file is not an SVG image (its root element is not <svg>).")
            root.append(element)
        elif (namespace in OB3_NAMESPACE_VARIANTS and local == "credential") or (
            namespace == OB2_NAMESPACE and local == "assertion"
        ):
            element.text = []
            found.append(element)
        stack.append(element)

    def end(_name: str) -> None:
        element = stack.pop()
        start_tag_end = _tag_end(data, element.start)
        if data[start_tag_end - 2 : start_tag_end] == b"/>":
            element.end = start_tag_end  # an empty-element tag is the whole element
        else:
            element.end = _tag_end(data, parser.CurrentByteIndex)

    def characters(text: str) -> None:
        if stack and stack[-1].text is not None:
            stack[-1].text.append(text)

    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = refuse
    parser.UnparsedEntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse_external
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = characters
    try:
        parser.Parse(data, True)
    except expat.ExpatError as error:
        raise BakingError(
            f"This SVG image is damaged (it is not well-formed XML: {expat.ErrorString(error.code)} "
            f"on line {error.lineno})."
        ) from None
    return _SvgScan(
        root=root[0],
        credentials=[e for e in found if e.namespace in OB3_NAMESPACE_VARIANTS],
        assertions=[e for e in found if e.namespace == OB2_NAMESPACE],
    )


def _tag_end(data: bytes, position: int) -> int:
    """The offset just past the tag starting at `position` (quoted `>` are skipped)."""
    quote = 0
    for index in range(position, len(data)):
        byte = data[index]
        if quote:
            if byte == quote:
                quote = 0
        elif byte in b"\"'":
            quote = byte
        elif byte == 0x3E:  # ">"
            return index + 1
    raise BakingError("This SVG image is damaged (a tag is not closed).")


_ATTRIBUTE = re.compile(rb"""\s+([^\s=/>]+)\s*=\s*("[^"]*"|'[^']*')""")
_XMLNS_OPENBADGES = b"xmlns:openbadges"


def _credential_element(credential: str) -> str:
    if _NOT_XML_CHAR.search(credential):
        raise BakingError(
            "This credential contains characters that an SVG image cannot hold; bake it "
            "into a PNG instead."
        )
    if _COMPACT_JWS.fullmatch(credential):
        # A VC-JWT travels in the verify attribute (OB 3.0 §5.3.2.1); base64url needs no escaping.
        return f'<openbadges:credential verify="{credential}"></openbadges:credential>'
    # "]]>" would end the CDATA section early: end it after "]]" and reopen it before ">".
    cdata = credential.replace("]]>", "]]]]><![CDATA[>")
    return f"<openbadges:credential><![CDATA[{cdata}]]></openbadges:credential>"


def bake_svg(svg: str, credential: str) -> str:
    """The SVG with the Open Badges 3.0 credential (JSON or compact JWS) baked in.

    A credential already baked in (3.0, or a 2.0 assertion) is removed; the new one
    becomes the root's first child, with no whitespace added, so baking again gives the
    same bytes as baking once.
    """
    if not credential:
        raise BakingError("There is no credential to bake.")
    data = svg.encode("utf-8")
    scan = _scan_svg(data, encoding="utf-8")
    root_tag_end = _tag_end(data, scan.root.start)
    root_tag = data[scan.root.start : root_tag_end]
    element = _credential_element(credential).encode("utf-8")

    # Edits from the end of the document backwards, so earlier offsets stay valid.
    out = data
    for stale in sorted(scan.credentials + scan.assertions, key=lambda e: e.start, reverse=True):
        out = out[: stale.start] + out[stale.end :]

    declaration = b' xmlns:openbadges="' + OB3_NAMESPACE.encode() + b'"'
    name_end = len(b"<") + len(root_tag[1:].split(maxsplit=1)[0].rstrip(b"/>"))
    attributes = list(_ATTRIBUTE.finditer(root_tag, name_end))
    existing = next((a for a in attributes if a.group(1) == _XMLNS_OPENBADGES), None)
    if existing is not None:
        # The prefix may still be bound to 2.0's namespace; rebind it to 3.0's.
        new_tag = root_tag[: existing.start()] + declaration + root_tag[existing.end() :]
    else:
        after = attributes[-1].end() if attributes else name_end
        new_tag = root_tag[:after] + declaration + root_tag[after:]
    if new_tag.endswith(b"/>"):
        # <svg .../> has no children yet: open it, add the credential, close it.
        qualified = root_tag[1:name_end]
        new_tag = new_tag[:-2].rstrip() + b">" + element + b"</" + qualified + b">"
    else:
        new_tag += element
    out = out[: scan.root.start] + new_tag + out[root_tag_end:]
    return out.decode("utf-8")


def unbake_svg(data: bytes | str) -> str | None:
    """The Open Badges 3.0 credential in an SVG: its JSON, or its VC-JWT; else None.

    Open Badges 2.0 assertions are not read here (None), but do no harm.
    """
    if isinstance(data, str):
        scan = _scan_svg(data.encode("utf-8"), encoding="utf-8")
    else:
        scan = _scan_svg(data, encoding=None)
    if not scan.credentials:
        return None
    element = scan.credentials[0]
    verify = element.attributes.get("verify", "").strip()
    if verify:
        return verify
    # Bakers indent the CDATA as the spec's example does; whitespace around JSON is noise.
    text = "".join(element.text or []).strip()
    return text or None


def unbake_svg_openbadges2(data: bytes | str) -> str | None:
    """The Open Badges 2.0 assertion in an SVG (`<openbadges:assertion>`, namespace
    `http://openbadges.org`): the JSON in its body, else its `verify` attribute (a signed
    assertion's JWS, or a hosted assertion's URL); None when there is none."""
    if isinstance(data, str):
        scan = _scan_svg(data.encode("utf-8"), encoding="utf-8")
    else:
        scan = _scan_svg(data, encoding=None)
    if not scan.assertions:
        return None
    element = scan.assertions[0]
    text = "".join(element.text or []).strip()
    return text or element.attributes.get("verify", "").strip() or None


# ----------------------------------------------------------------------------- helpers


def _megabytes(size: int) -> str:
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f}".removesuffix(".0") + " MB"
