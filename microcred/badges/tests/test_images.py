"""The default badge image, and the checks on a designer's own upload.

Every image here is drawn in the test with Pillow; there are no binary fixtures.
"""

from __future__ import annotations

import base64
import io
import random
import re
import struct
import zlib
from xml.etree import ElementTree

import pytest
from PIL import Image, ImageFont

from microcred.catalog import images
from microcred.catalog.images import (
    ImageRejected,
    contrast_ratio,
    default_badge_png,
    default_badge_svg,
    normalize_upload,
    relative_luminance,
    svg_wrapping_png,
    text_color_for,
)

SVG = "{http://www.w3.org/2000/svg}"
RIVERBEND = {
    "title": "Formative assessment with exit tickets",
    "organization": "Riverbend Unified School District",
    "color": "#0b5c6b",
}
LONG_TITLE = (
    "Using student discourse and purposeful questioning to deepen understanding of "
    "mathematical reasoning across the grades, with intervention and enrichment"
)


def parse(svg: str) -> ElementTree.Element:
    # Only ever our own output, so the stock parser is fine.
    return ElementTree.fromstring(svg.encode("utf-8"))  # noqa: S314


def lines(root: ElementTree.Element, kind: str) -> list[str]:
    text = next(t for t in root.iter(f"{SVG}text") if t.get("class") == kind)
    return [span.text or "" for span in text.iter(f"{SVG}tspan")]


def open_png(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG"
    return image


def encoded(image: Image.Image, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, format=fmt, **options)
    return out.getvalue()


# ----------------------------------------------------------------------------- contrast


def test_contrast_follows_the_wcag_formula():
    assert contrast_ratio("#ffffff", "#000000") == pytest.approx(21)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert relative_luminance("#ffffff") == pytest.approx(1)
    assert relative_luminance("#0b5c6b") < relative_luminance("#f2c94c")


@pytest.mark.parametrize(
    "fill",
    [f"#{v:02x}{v:02x}{v:02x}" for v in range(0, 256, 15)]
    + ["#0b5c6b", "#f2c94c", "#777777", "#808080", "#ff0000", "#00ff00", "#0000ff", "#e67e22"],
)
def test_badge_text_always_reads_at_4_5_to_1_on_its_fill(fill):
    text = text_color_for(fill)

    assert contrast_ratio(text, fill) >= 4.5
    root = parse(default_badge_svg(title="Literacy", organization="Riverbend", color=fill))
    assert next(root.iter(f"{SVG}g")).get("fill") == text


def test_a_light_colour_gets_dark_text_and_a_dark_colour_white_text():
    assert text_color_for("#f2c94c") != "#ffffff"
    assert relative_luminance(text_color_for("#f2c94c")) < 0.02
    assert text_color_for("#0b5c6b") == "#ffffff"


def title_area(png: bytes) -> Image.Image:
    return open_png(png).convert("L").crop((160, 200, 352, 320))


def test_the_png_draws_the_title_in_the_chosen_text_colour():
    on_teal = title_area(default_badge_png(**RIVERBEND))
    on_gold = title_area(default_badge_png(**{**RIVERBEND, "color": "#f2c94c"}))

    assert on_teal.getextrema()[1] > 240  # white letters on teal
    assert on_gold.getextrema()[0] < 40  # near-black letters on gold


# ----------------------------------------------------------------------------- SVG


def test_default_svg_is_a_512_square_with_a_title_for_screen_readers():
    root = parse(default_badge_svg(**RIVERBEND))

    assert (root.get("width"), root.get("height"), root.get("viewBox")) == (
        "512",
        "512",
        "0 0 512 512",
    )
    assert root.get("role") == "img"
    assert root[0].tag == f"{SVG}title"
    assert root[0].text == (
        "Formative assessment with exit tickets: a micro-credential from "
        "Riverbend Unified School District"
    )
    assert " ".join(lines(root, "title")) == RIVERBEND["title"]
    assert " ".join(lines(root, "organization")) == RIVERBEND["organization"]
    assert (
        next(t for t in root.iter(f"{SVG}text") if t.get("class") == "label").text
        == "MICRO-CREDENTIAL"
    )


def test_xml_special_characters_in_the_text_are_escaped():
    title = 'Ready & <set> "go" it\'s'
    svg = default_badge_svg(title=title, organization="A&B <District>", color="#0b5c6b")

    root = parse(svg)
    assert " ".join(lines(root, "title")) == title
    assert " ".join(lines(root, "organization")) == "A&B <District>"
    assert "<set>" not in svg
    assert "&lt;set&gt;" in svg


def test_control_characters_are_dropped_so_the_svg_stays_well_formed():
    root = parse(
        default_badge_svg(title="Bad\x00\x07 title\x1b", organization="Org\x0c", color="#0b5c6b")
    )

    assert " ".join(lines(root, "title")) == "Bad title"


def test_a_short_title_is_one_large_line_and_a_longer_one_wraps_smaller():
    short = parse(default_badge_svg(title="Literacy", organization="Riverbend", color="#0b5c6b"))
    longer = parse(default_badge_svg(**RIVERBEND))

    def size(root):
        return float(
            next(t for t in root.iter(f"{SVG}text") if t.get("class") == "title").get("font-size")
        )

    assert lines(short, "title") == ["Literacy"]
    assert 2 <= len(lines(longer, "title")) <= 3
    assert size(short) > size(longer)


def test_a_long_title_stops_at_three_lines_with_an_ellipsis():
    root = parse(default_badge_svg(title=LONG_TITLE, organization="Riverbend", color="#0b5c6b"))

    shown = lines(root, "title")
    assert len(shown) == 3
    assert shown[-1].endswith("…")
    assert LONG_TITLE.startswith(" ".join(shown).removesuffix("…"))


def test_every_title_line_fits_inside_the_white_band():
    for title in (LONG_TITLE, "Pneumonoultramicroscopicsilicovolcanoconiosis awareness", "W" * 80):
        root = parse(default_badge_svg(title=title, organization="Riverbend", color="#0b5c6b"))
        text = next(t for t in root.iter(f"{SVG}text") if t.get("class") == "title")
        size = float(text.get("font-size"))
        for line in lines(root, "title"):
            assert images._svg_measure(line, size, True) <= images.TITLE_WIDTH
            assert len(line) > 0


def test_a_long_organization_name_takes_two_lines_at_most():
    root = parse(
        default_badge_svg(
            title="Literacy",
            organization="Lakeshore Area Cooperative Educational Service Agency of the Northern Counties",
            color="#0b5c6b",
        )
    )

    shown = lines(root, "organization")
    assert len(shown) == 2
    assert shown[-1].endswith("…")


def test_a_colour_that_is_not_hex_is_refused():
    with pytest.raises(ValueError, match="is not a colour like #0b5c6b"):
        default_badge_svg(title="Literacy", organization="Riverbend", color="teal")


def test_short_hex_colours_are_accepted():
    assert 'fill="#ffcc00"' in default_badge_svg(
        title="Literacy", organization="Riverbend", color="#fc0"
    )


# ----------------------------------------------------------------------------- PNG


def test_default_png_is_the_same_bytes_for_the_same_input():
    assert default_badge_png(**RIVERBEND) == default_badge_png(**RIVERBEND)
    assert default_badge_png(**RIVERBEND) != default_badge_png(**{**RIVERBEND, "title": "Literacy"})


@pytest.mark.parametrize("size", [512, 256, 1024])
def test_default_png_is_a_square_rgba_with_transparent_corners(size):
    image = open_png(default_badge_png(**RIVERBEND, size=size))

    assert image.size == (size, size)
    assert image.mode == "RGBA"
    assert image.getpixel((0, 0))[3] == 0
    assert image.getpixel((size - 1, size - 1))[3] == 0
    # Between the band and the title the disk is the brand colour itself.
    assert image.getpixel((size // 2, round(size * 0.27)))[:3] == pytest.approx(
        (11, 92, 107), abs=2
    )


def test_default_png_carries_no_text_chunks():
    data = default_badge_png(**RIVERBEND)

    assert b"tEXt" not in data
    assert b"iTXt" not in data


def test_a_long_title_and_non_latin_text_still_render():
    image = open_png(
        default_badge_png(
            title=LONG_TITLE + " «Zoë» 教师", organization="Escuela Cañón ✓", color="#f2c94c"
        )
    )

    assert image.size == (512, 512)


def test_an_unreasonable_size_is_refused():
    with pytest.raises(ValueError, match="between 32 and 2048"):
        default_badge_png(**RIVERBEND, size=10_000)


@pytest.fixture
def without_installed_fonts(monkeypatch):
    real_font = images._font  # a test may replace it; its cache is what needs clearing
    real_font.cache_clear()
    monkeypatch.setattr(images, "_face_path", lambda bold: None)
    yield
    real_font.cache_clear()


def test_without_installed_fonts_the_png_uses_pillows_own_face(without_installed_fonts):
    image = open_png(
        default_badge_png(title="Zoë's Literacy", organization="Cañon City", color="#0b5c6b")
    )

    assert image.size == (512, 512)
    assert title_area(encoded(image, "PNG")).getextrema()[1] > 240


def test_without_freetype_the_png_falls_back_to_the_bitmap_font(
    without_installed_fonts, monkeypatch
):
    monkeypatch.setattr(images, "_font", lambda pixels, bold: ImageFont.load_default_imagefont())

    image = open_png(default_badge_png(**RIVERBEND))

    assert image.size == (512, 512)
    assert title_area(encoded(image, "PNG")).getextrema()[1] > 200


def test_a_png_wrapped_in_svg_shows_the_same_pixels_at_its_own_size():
    png = encoded(picture(120, 120, "RGBA"), "PNG")

    root = parse(svg_wrapping_png(png, title="Zoë's <badge>"))

    assert (root.get("width"), root.get("height")) == ("120", "120")
    assert root.find(f"{SVG}title").text == "Zoë's <badge>"
    href = root.find(f"{SVG}image").get("href")
    assert base64.b64decode(href.removeprefix("data:image/png;base64,")) == png


def test_only_a_png_can_be_wrapped():
    with pytest.raises(ValueError, match="not a PNG"):
        svg_wrapping_png(encoded(picture(120, 120), "JPEG"), title="Literacy")


# ----------------------------------------------------------------------------- uploads


def picture(width: int, height: int, mode: str = "RGB") -> Image.Image:
    image = Image.new(mode, (width, height))
    image.putdata(
        [
            ((x * 7) % 256, (y * 5) % 256, 128) + ((255,) if mode == "RGBA" else ())
            for y in range(height)
            for x in range(width)
        ]
    )
    return image


def test_a_square_png_is_accepted_and_re_encoded():
    out = open_png(normalize_upload(encoded(picture(300, 300, "RGBA"), "PNG")))

    assert out.size == (300, 300)
    assert out.mode == "RGBA"


def test_a_jpeg_is_accepted_and_padded_to_a_transparent_square():
    out = open_png(normalize_upload(encoded(picture(400, 300), "JPEG", quality=90)))

    assert out.size == (400, 400)
    assert out.getpixel((200, 10))[3] == 0  # padding above
    assert out.getpixel((200, 390))[3] == 0  # padding below
    assert out.getpixel((200, 200))[3] == 255


def test_a_webp_is_accepted():
    assert open_png(normalize_upload(encoded(picture(200, 200), "WEBP"))).size == (200, 200)


def test_a_large_image_is_scaled_down_to_1024():
    out = open_png(normalize_upload(encoded(Image.new("RGB", (2000, 1600), "#0b5c6b"), "PNG")))

    assert out.size == (1024, 1024)


def test_metadata_is_stripped():
    exif = Image.Exif()
    exif[0x010E] = "secret description"  # ImageDescription
    exif[0x8298] = "secret copyright"  # Copyright
    jpeg = encoded(picture(200, 200), "JPEG", exif=exif.tobytes())
    assert b"secret" in jpeg

    out = normalize_upload(jpeg)

    assert b"secret" not in out
    assert b"eXIf" not in out
    assert "exif" not in open_png(out).info


def test_png_text_chunks_are_stripped():
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Comment", "secret location 44.97N")
    out = normalize_upload(encoded(picture(200, 200), "PNG", pnginfo=info))

    assert b"secret" not in out


def test_exif_orientation_is_applied_before_the_metadata_goes():
    image = Image.new("RGB", (120, 100), "blue")
    image.paste("red", (0, 0, 60, 100))  # red on the left as stored
    exif = Image.Exif()
    exif[0x0112] = 6  # shown rotated 90° clockwise: the left side becomes the top

    out = open_png(normalize_upload(encoded(image, "JPEG", exif=exif.tobytes(), quality=95)))

    assert out.size == (120, 120)
    red, _, blue, _ = out.getpixel((60, 20))
    assert red > 200 and blue < 60
    red, _, blue, _ = out.getpixel((60, 100))
    assert blue > 200 and red < 60


def test_a_palette_png_keeps_its_transparency():
    image = Image.new("P", (100, 100), 0)
    image.putpalette([255, 0, 0, 0, 0, 255])
    image.paste(1, (50, 0, 100, 100))
    out = open_png(normalize_upload(encoded(image, "PNG", transparency=0)))

    assert out.getpixel((10, 50))[3] == 0
    assert out.getpixel((90, 50)) == (0, 0, 255, 255)


@pytest.mark.parametrize(
    "data",
    [
        b"Dear designer, this is a text file renamed to badge.png\n",
        b'<svg xmlns="http://www.w3.org/2000/svg"/>',
        b"GIF89a\x01\x00\x01\x00\x80\x00\x00",
    ],
    ids=["renamed-text", "svg", "gif"],
)
def test_other_kinds_of_file_are_refused(data):
    with pytest.raises(ImageRejected, match=r"not a PNG, JPEG or WebP image"):
        normalize_upload(data)


def test_an_empty_file_is_refused():
    with pytest.raises(ImageRejected, match="This file is empty"):
        normalize_upload(b"")


def test_a_too_small_image_is_refused_with_its_size():
    with pytest.raises(
        ImageRejected,
        match=re.escape(
            "This image is 40 × 40 pixels; upload one at least 90 × 90 (512 × 512 is ideal)."
        ),
    ):
        normalize_upload(encoded(picture(40, 40), "PNG"))


@pytest.mark.parametrize(
    ("width", "height", "shape"),
    [(300, 150, "wider than it is tall"), (100, 160, "taller than it is wide")],
)
def test_a_far_from_square_image_is_refused(width, height, shape):
    with pytest.raises(
        ImageRejected, match=f"This image is {width} × {height} pixels, much {shape}"
    ):
        normalize_upload(encoded(picture(width, height), "PNG"))


def test_an_image_at_the_ratio_limit_is_accepted():
    assert open_png(normalize_upload(encoded(picture(150, 100), "PNG"))).size == (150, 150)


def test_a_file_over_the_byte_limit_is_refused_before_it_is_read():
    noise = Image.frombytes("RGB", (200, 200), random.Random(7).randbytes(200 * 200 * 3))
    data = encoded(noise, "PNG")
    assert len(data) > 100 * 1024

    with pytest.raises(ImageRejected, match=r"This file is \d+ KB; the limit is 1 KB"):
        normalize_upload(data, max_bytes=1024)


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims these dimensions but whose image data is junk: nothing may decode it."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", b"junk") + chunk(b"IEND", b"")
    )


def test_a_decompression_bomb_header_is_refused_without_decoding():
    with pytest.raises(ImageRejected, match=re.escape("larger than 4096 × 4096 pixels")):
        normalize_upload(png_header_only(100_000, 100_000))


def test_dimensions_over_our_limit_are_refused_before_decoding():
    with pytest.raises(
        ImageRejected,
        match=re.escape("This image is 5000 × 5000 pixels; the largest we accept is 4096 × 4096"),
    ):
        normalize_upload(png_header_only(5000, 5000))


def test_a_truncated_image_is_refused_as_damaged():
    data = encoded(picture(300, 300), "PNG")

    with pytest.raises(ImageRejected, match="damaged or incomplete"):
        normalize_upload(data[: len(data) // 2])
