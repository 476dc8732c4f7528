"""Baking Open Badges credentials into PNG and SVG images, and reading them back out.

Images are drawn here with Pillow; the chunk walker below is the tests' own, so a bug in
the module's walker cannot hide itself.
"""

from __future__ import annotations

import io
import json
import re
import struct
import tracemalloc
import zlib
from xml.etree import ElementTree

import pytest
from PIL import Image

from microcred.badges.baking import (
    BakingError,
    bake_png,
    bake_png_openbadges2,
    bake_svg,
    sniff,
    unbake,
    unbake_png,
    unbake_png_openbadges2,
    unbake_svg,
)

OB3 = "https://purl.imsglobal.org/ob/v3p0"
SVG = "http://www.w3.org/2000/svg"

CREDENTIAL = json.dumps(
    {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": "urn:uuid:0e6c3a4e-5b8c-4a61-9a55-0f3c2b8f1d11",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": "https://riverbend.example/issuer", "name": "Riverbend Unified"},
        "name": "Formative assessment with exit tickets",
        "credentialSubject": {"type": ["AchievementSubject"], "name": "Zoë Núñez ✓ 教师"},
    },
    ensure_ascii=False,
)


def png_image(width: int = 24, height: int = 16) -> bytes:
    image = Image.new("RGBA", (width, height))
    image.putdata(
        [
            (x * 10 % 256, y * 15 % 256, (x * y) % 256, 255)
            for y in range(height)
            for x in range(width)
        ]
    )
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def chunks(png: bytes) -> list[tuple[bytes, bytes]]:
    """(type, data) of every chunk, read without the module under test."""
    position, found = 8, []
    while position < len(png):
        (length,) = struct.unpack(">I", png[position : position + 4])
        kind = png[position + 4 : position + 8]
        found.append((kind, png[position + 8 : position + 8 + length]))
        position += 12 + length
    return found


def chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def with_chunk_before_idat(png: bytes, extra: bytes) -> bytes:
    at = png.index(b"IDAT") - 4
    return png[:at] + extra + png[at:]


def well_formed(svg: str) -> ElementTree.Element:
    """The parsed document; only ever our own output, so the stock parser is fine."""
    return ElementTree.fromstring(svg.encode("utf-8"))  # noqa: S314


def pixels(png: bytes) -> bytes:
    return Image.open(io.BytesIO(png)).tobytes()


# ----------------------------------------------------------------------------- PNG


def test_baked_png_gives_back_the_exact_credential():
    baked = bake_png(png_image(), CREDENTIAL)

    assert unbake_png(baked) == CREDENTIAL
    assert unbake(baked) == CREDENTIAL


def test_baking_keeps_the_pixels_and_every_other_byte():
    original = png_image()

    baked = bake_png(original, CREDENTIAL)

    assert pixels(baked) == pixels(original)
    added = [c for c in chunks(baked) if c[0] == b"iTXt"]
    assert len(added) == 1
    assert baked.replace(chunk(b"iTXt", added[0][1]), b"") == original


def test_credential_is_an_uncompressed_itxt_chunk_before_the_image_data():
    baked = bake_png(png_image(), CREDENTIAL)

    types = [kind for kind, _ in chunks(baked)]
    assert types.index(b"iTXt") < types.index(b"IDAT")
    data = next(data for kind, data in chunks(baked) if kind == b"iTXt")
    # keyword, NUL, compression flag 0, method 0, empty language tag, empty translated keyword
    assert data == b"openbadgecredential\0\0\0\0\0" + CREDENTIAL.encode("utf-8")


def test_baking_twice_leaves_one_credential_the_newest():
    once = bake_png(png_image(), CREDENTIAL)

    twice = bake_png(once, '{"name": "second"}')

    assert [kind for kind, _ in chunks(twice)].count(b"iTXt") == 1
    assert unbake_png(twice) == '{"name": "second"}'
    assert bake_png(twice, CREDENTIAL) == once


def test_an_open_badges_2_assertion_round_trips_and_gives_way_to_a_3_0_credential():
    assertion = "https://riverbend.example/assertions/42.json"
    ob2 = bake_png_openbadges2(png_image(), assertion)
    assert unbake_png_openbadges2(ob2) == assertion
    assert unbake_png(ob2) is None

    ob3 = bake_png(ob2, CREDENTIAL)

    assert unbake_png_openbadges2(ob3) is None
    assert unbake_png(ob3) == CREDENTIAL


def test_a_credential_baked_after_the_image_data_is_still_removed_when_baking_again():
    original = png_image()
    at = original.index(b"IEND") - 4
    late = original[:at] + chunk(b"iTXt", b"openbadgecredential\0\0\0\0\0{}") + original[at:]

    baked = bake_png(late, CREDENTIAL)

    assert [kind for kind, _ in chunks(baked)].count(b"iTXt") == 1
    assert unbake_png(baked) == CREDENTIAL


def test_a_compressed_credential_chunk_is_read():
    text = CREDENTIAL.encode("utf-8")
    itxt = chunk(b"iTXt", b"openbadgecredential\0\1\0\0\0" + zlib.compress(text))

    assert unbake_png(with_chunk_before_idat(png_image(), itxt)) == CREDENTIAL


def test_a_png_without_a_badge_has_no_credential():
    plain = png_image()

    assert unbake_png(plain) is None
    with pytest.raises(BakingError, match=re.escape("This PNG has no Open Badge inside it.")):
        unbake(plain)


def test_a_compressed_credential_may_inflate_to_the_limit_and_no_further():
    itxt = chunk(b"iTXt", b"openbadgecredential\0\1\0\0\0" + zlib.compress(b" " * 1000))
    png = with_chunk_before_idat(png_image(), itxt)

    assert unbake_png(png, max_bytes=1000) == " " * 1000
    with pytest.raises(BakingError, match="larger than the 1 KB limit"):
        unbake_png(png, max_bytes=999)


def test_a_zip_bomb_in_the_credential_chunk_is_refused():
    bomb = zlib.compress(b"{" * (200 * 1024 * 1024), 9)  # 200 MB of text in about 200 KB
    png = with_chunk_before_idat(
        png_image(), chunk(b"iTXt", b"openbadgecredential\0\1\0\0\0" + bomb)
    )

    tracemalloc.start()
    try:
        with pytest.raises(BakingError, match="larger than the 5 MB limit"):
            unbake_png(png)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20 * 1024 * 1024  # inflated no further than the limit


def _corrupt_crc(png: bytes) -> bytes:
    at = png.index(b"IDAT") + 4  # first byte of the IDAT data
    return png[:at] + bytes([png[at] ^ 0xFF]) + png[at + 1 :]


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda png: b"GIF89a" + png[6:], "This file is not a PNG image."),
        (lambda png: b"", "This file is not a PNG image."),
        (lambda png: png[:-20], "This PNG image is damaged (chunk runs past the end of the file)."),
        (lambda png: png[:-12], "This PNG image is damaged (it ends before its last chunk)."),
        (_corrupt_crc, "This PNG image is damaged (the IDAT chunk fails its checksum)."),
        (
            lambda png: png[:8] + struct.pack(">I", 2**31) + png[12:],
            "This PNG image is damaged (a chunk header is unreadable).",
        ),
    ],
    ids=["not-png", "empty", "truncated-chunk", "no-iend", "bad-crc", "huge-length"],
)
def test_a_damaged_png_is_refused_with_a_plain_message(damage, message):
    damaged = damage(bake_png(png_image(), CREDENTIAL))

    with pytest.raises(BakingError, match=re.escape(message)):
        unbake_png(damaged)
    with pytest.raises(BakingError, match=re.escape(message)):
        bake_png(damaged, CREDENTIAL)


def test_a_credential_chunk_that_is_not_utf8_is_refused():
    itxt = chunk(b"iTXt", b"openbadgecredential\0\0\0\0\0\xff\xfe{}")

    with pytest.raises(BakingError, match="not UTF-8"):
        unbake_png(with_chunk_before_idat(png_image(), itxt))


# ----------------------------------------------------------------------------- SVG

DRAWING = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
    '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n'
    "<!-- drawn by hand -->\n"
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512">\n'
    '  <circle cx="256" cy="256" r="200" fill="#0b5c6b"/>\n'
    "</svg>\n"
)


def test_baked_svg_gives_back_the_exact_credential():
    baked = bake_svg(DRAWING, CREDENTIAL)

    assert unbake_svg(baked) == CREDENTIAL
    assert unbake_svg(baked.encode("utf-8")) == CREDENTIAL
    assert unbake(baked.encode("utf-8")) == CREDENTIAL


def test_baked_svg_is_well_formed_with_the_credential_first_and_the_rest_unchanged():
    baked = bake_svg(DRAWING, CREDENTIAL)

    root = well_formed(baked)
    assert root.tag == f"{{{SVG}}}svg"
    assert root[0].tag == f"{{{OB3}}}credential"
    assert root[1].tag == f"{{{SVG}}}circle"
    assert f'xmlns:openbadges="{OB3}"' in baked
    element = re.search(r"<openbadges:credential>.*?</openbadges:credential>", baked, re.S)
    assert element is not None
    unbaked = baked.replace(element.group(0), "").replace(f' xmlns:openbadges="{OB3}"', "")
    assert unbaked == DRAWING  # declaration, DOCTYPE, comment and layout kept


def test_baking_an_svg_again_replaces_its_credential():
    once = bake_svg(DRAWING, '{"name": "first"}')

    twice = bake_svg(once, CREDENTIAL)

    assert twice.count("<openbadges:credential") == 1
    assert unbake_svg(twice) == CREDENTIAL
    assert bake_svg(twice, CREDENTIAL) == twice


def test_cdata_terminator_inside_the_credential_survives():
    tricky = json.dumps({"name": "a]]>b", "description": "]]]]>"})

    baked = bake_svg(DRAWING, tricky)

    assert unbake_svg(baked) == tricky
    well_formed(baked)


def test_a_vc_jwt_goes_in_the_verify_attribute():
    jws = "eyJhbGciOiJFZERTQSJ9.eyJpc3MiOiJodHRwczovL3JpdmVyYmVuZC5leGFtcGxlIn0.c2lnbmF0dXJl"

    baked = bake_svg(DRAWING, jws)

    root = well_formed(baked)
    assert root[0].get("verify") == jws
    assert unbake_svg(baked) == jws


def test_an_empty_root_element_is_opened_to_hold_the_credential():
    baked = bake_svg('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>', CREDENTIAL)

    assert unbake_svg(baked) == CREDENTIAL
    assert baked.endswith("</openbadges:credential></svg>")


def test_an_open_badges_2_svg_has_no_3_0_credential_and_baking_replaces_its_assertion():
    ob2 = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org">'
        '<openbadges:assertion verify="https://riverbend.example/assertions/42.json"/>'
        '<rect width="5" height="5"/></svg>'
    )
    assert unbake_svg(ob2) is None

    baked = bake_svg(ob2, CREDENTIAL)

    assert "openbadges:assertion" not in baked
    assert "http://openbadges.org" not in baked
    assert unbake_svg(baked) == CREDENTIAL


def test_an_svg_without_a_badge_has_no_credential():
    assert unbake_svg(DRAWING) is None
    with pytest.raises(BakingError, match=re.escape("This SVG has no Open Badge inside it.")):
        unbake(DRAWING.encode("utf-8"))


BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE svg [\n<!ENTITY lol "lol">\n'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">\n]>\n'
    '<svg xmlns="http://www.w3.org/2000/svg"><openbadges:credential '
    'xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0">&lol3;</openbadges:credential></svg>'
)
EXTERNAL_ENTITY = (
    '<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n'
    '<svg xmlns="http://www.w3.org/2000/svg"><openbadges:credential '
    'xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0">&secret;</openbadges:credential></svg>'
)


@pytest.mark.parametrize("svg", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["billion-laughs", "xxe"])
def test_an_svg_declaring_entities_is_refused(svg):
    with pytest.raises(BakingError, match="declares its own entities"):
        unbake_svg(svg)
    with pytest.raises(BakingError, match="declares its own entities"):
        bake_svg(svg, CREDENTIAL)


@pytest.mark.parametrize(
    ("svg", "message"),
    [
        ("<html><body/></html>", "This file is not an SVG image"),
        ('<svg xmlns="http://www.w3.org/2000/svg"><g></svg>', "This SVG image is damaged"),
        ("", "This SVG image is damaged"),
    ],
    ids=["not-svg", "mismatched-tag", "empty"],
)
def test_a_broken_svg_is_refused_with_a_plain_message(svg, message):
    with pytest.raises(BakingError, match=message):
        unbake_svg(svg)
    with pytest.raises(BakingError, match=message):
        bake_svg(svg, CREDENTIAL)


# ----------------------------------------------------------------------------- sniffing


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (png_image(), "png"),
        (DRAWING.encode(), "svg"),
        (b'\xef\xbb\xbf<?xml version="1.0"?><!-- a <svg> in a comment --><svg>', "svg"),
        (b"<svg/>", "svg"),
        (b' \n\t{"type": ["VerifiableCredential"]}', "json"),
        (b"\xef\xbb\xbf{}", "json"),
        (b"<html><svg></svg></html>", "unknown"),
        (b"<svgfoo/>", "unknown"),
        (b"GIF89a\x01\x00\x01\x00", "unknown"),
        (b"", "unknown"),
    ],
)
def test_sniff_tells_images_and_json_apart_by_their_bytes(data, kind):
    assert sniff(data) == kind


def test_unbake_passes_json_through_and_refuses_other_files():
    assert unbake(CREDENTIAL.encode("utf-8")) == CREDENTIAL
    with pytest.raises(BakingError, match="not a PNG or SVG badge image"):
        unbake(b"GIF89a\x01\x00\x01\x00")
