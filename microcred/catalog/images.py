"""Badge images: the default badge we draw, and the checks on a designer's own image.

A credential needs an image before it can be issued (Open Badges 3.0 `Achievement.image`,
and the picture a learner shares). Designers may upload one; when they don't, this
module draws one from the credential's title and the organization's name and brand
colour: a rosette seal in the brand colour with a white band, the title in the middle,
the organization at the bottom and a small "micro-credential" label on top.

It owns two renderings of that one design, from one layout:

- `default_badge_svg`, crisp at any size and small enough to bake a credential into;
- `default_badge_png`, drawn with Pillow at several times the size and scaled down for
  smooth edges, the same bytes for the same input so it can be cached.

(`svg_wrapping_png` puts any PNG badge in an SVG, so an uploaded image can be baked as
SVG as well.)

Text is white or near-black, whichever keeps the WCAG contrast with the fill at 4.5:1 or
more; titles wrap onto at most three balanced lines with a font size that shrinks with
length, and end with an ellipsis when even that is not enough.

`normalize_upload` owns what a designer's upload must be: a PNG, JPEG or WebP (judged by
its bytes, not its name), within the size and dimension limits, with the reasons for a
refusal said plainly. What comes out is a fresh square PNG without the file's metadata.
"""

from __future__ import annotations

import base64
import colorsys
import functools
import html
import io
import math
import re
import unicodedata
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PIL import Image, ImageCms, ImageDraw, ImageFile, ImageFont, ImageOps

SIZE = 512  # the design's own units: the SVG's viewBox, and the PNG before scaling
CENTER = SIZE / 2
MIN_CONTRAST = 4.5  # WCAG 2.2 AA for normal text

WHITE = "#ffffff"
NEAR_BLACK = "#141414"
BLACK = "#000000"
FONT_FAMILY = "'Helvetica Neue', Helvetica, Arial, 'Liberation Sans', sans-serif"
LABEL = "MICRO-CREDENTIAL"

# Geometry of the seal, in design units.
SCALLOPS = 32
SCALLOP_VALLEY = 233  # radius where two scallops meet
SCALLOP_RADIUS = 28  # radius of each scallop's arc
DISK = 216  # the brand-colour disk
HIGHLIGHT = 207  # a thin lighter ring just inside the disk's edge
BAND = 193  # the white band; text stays inside it
BAND_WIDTH = 7

LABEL_SIZE = 14
LABEL_SPACING = 2.8
LABEL_BASELINE = 157
TOP_RULE_Y = 178
TITLE_CENTER = 256  # vertical middle of the title block
TITLE_WIDTH = 316
TITLE_SIZES = range(54, 23, -2)
TITLE_MAX_SIZE_FOR_LINES = {1: 54, 2: 46, 3: 38}
BOTTOM_RULE_Y = 332
ORG_BASELINE = 362
ORG_WIDTHS = (256, 224)  # the second line sits lower, where the circle is narrower
ORG_SIZES = range(20, 14, -1)
ORG_MAX_SIZE_FOR_LINES = {1: 20, 2: 17}
ELLIPSIS = "…"

# Upload limits.
MIN_UPLOAD_SIDE = 90
MAX_UPLOAD_SIDE = 4096
MAX_UPLOAD_RATIO = 1.5
MAX_OUTPUT_SIDE = 1024
_UPLOAD_FORMATS = {"PNG", "JPEG", "WEBP"}


class ImageRejected(ValueError):
    """A designer's upload we will not use; the message says why and what to do instead."""


# ----------------------------------------------------------------------------- colour


def _rgb(color: str) -> tuple[int, int, int]:
    match = re.fullmatch(r"#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})", color.strip())
    if match is None:
        raise ValueError(f"{color!r} is not a colour like #0b5c6b.")
    digits = match.group(1)
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return (int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16))


def _hex(rgb: Sequence[float]) -> str:
    return "#" + "".join(f"{max(0, min(255, round(c))):02x}" for c in rgb)


def relative_luminance(color: str) -> float:
    """WCAG 2.2 relative luminance of an sRGB colour, 0 (black) to 1 (white)."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = _rgb(color)
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)


def contrast_ratio(first: str, second: str) -> float:
    """WCAG contrast ratio between two colours, 1 to 21."""
    a, b = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def text_color_for(fill: str) -> str:
    """White when it reads well on the fill, else near-black (black if even that is short).

    Whenever white falls below 4.5:1 pure black reaches it, so one of the three always does.
    """
    for candidate in (WHITE, NEAR_BLACK, BLACK):
        if contrast_ratio(candidate, fill) >= MIN_CONTRAST:
            return candidate
    return BLACK


def _mix(color: str, other: str, amount: float) -> str:
    a, b = _rgb(color), _rgb(other)
    return _hex([x + (y - x) * amount for x, y in zip(a, b, strict=True)])


def _rim(color: str) -> str:
    """The scalloped edge: the same hue, a step darker (a step lighter for near-black)."""
    r, g, b = (c / 255 for c in _rgb(color))
    hue, lightness, saturation = colorsys.rgb_to_hls(r, g, b)
    lightness = lightness + 0.12 if lightness < 0.12 else lightness - min(0.1, lightness * 0.35)
    return _hex([c * 255 for c in colorsys.hls_to_rgb(hue, lightness, saturation)])


@dataclass(frozen=True)
class _Palette:
    fill: str
    rim: str
    highlight: str
    band: str
    text: str
    rule: str


def _palette(color: str) -> _Palette:
    fill = _hex(_rgb(color))
    text = text_color_for(fill)
    return _Palette(
        fill=fill,
        rim=_rim(fill),
        highlight=_mix(fill, WHITE, 0.3),
        band=WHITE,
        text=text,
        rule=_mix(fill, text, 0.55),  # decorative, so it may be softer than the text
    )


# ----------------------------------------------------------------------------- layout

# Advance widths of Helvetica Bold (Adobe core font metrics, 1/1000 em) for printable
# ASCII: the SVG is set in Helvetica/Arial, whose metrics these are close to.
_HELVETICA_BOLD_WIDTHS = (
    "278 333 474 556 556 889 722 238 333 333 389 584 278 333 278 278 "
    "556 556 556 556 556 556 556 556 556 556 333 333 584 584 584 611 "
    "975 722 722 722 722 667 611 778 722 278 556 722 611 833 722 778 "
    "667 778 722 667 611 722 667 944 667 667 611 333 278 333 584 556 "
    "333 556 611 556 611 556 333 611 611 278 278 556 278 889 611 611 "
    "611 611 389 556 333 611 556 778 556 556 500 389 280 389 584"
)
_HELVETICA_BOLD = dict(
    zip((chr(c) for c in range(32, 127)), map(int, _HELVETICA_BOLD_WIDTHS.split()), strict=True)
)

Measure = Callable[[str, float, bool], float]


def _svg_measure(text: str, size: float, bold: bool) -> float:
    """Estimated width of text set in Helvetica/Arial, in design units."""
    total = 0.0
    for char in text:
        if char in _HELVETICA_BOLD:
            width = _HELVETICA_BOLD[char]
        elif unicodedata.combining(char):
            width = 0
        elif unicodedata.east_asian_width(char) in ("W", "F"):
            width = 1000
        else:
            width = 640
        total += width
    # Regular weight runs about 7% narrower than bold. The 10% margin is for browsers that
    # fall back to a wider face (DejaVu Sans, on Linux without Arial or Liberation).
    return total / 1000 * size * (1.0 if bold else 0.93) * 1.1


@dataclass(frozen=True)
class _Block:
    lines: tuple[str, ...]
    size: float
    line_height: float


@dataclass(frozen=True)
class _Layout:
    palette: _Palette
    title: _Block
    title_baseline: float
    organization: _Block
    accessible_name: str


def _clean(text: str) -> str:
    """One line of printable text: normalized, control characters dropped, spaces collapsed."""
    text = unicodedata.normalize("NFC", text)
    text = "".join(" " if c.isspace() else c for c in text if c.isspace() or c.isprintable())
    return " ".join(text.split())


def _balanced(widths: list[float], space: float, count: int) -> list[tuple[int, int]] | None:
    """Word ranges for `count` lines that make the widest line as narrow as possible."""
    n = len(widths)
    if count > n:
        return None
    prefix = [0.0]
    for w in widths:
        prefix.append(prefix[-1] + w)

    def width(i: int, j: int) -> float:
        return prefix[j] - prefix[i] + space * (j - i - 1)

    best: tuple[float, list[tuple[int, int]]] | None = None
    if count == 1:
        return [(0, n)]
    if count == 2:
        for a in range(1, n):
            ranges = [(0, a), (a, n)]
            widest = max(width(i, j) for i, j in ranges)
            if best is None or widest < best[0]:
                best = (widest, ranges)
    else:
        for a in range(1, n - 1):
            for b in range(a + 1, n):
                ranges = [(0, a), (a, b), (b, n)]
                widest = max(width(i, j) for i, j in ranges)
                if best is None or widest < best[0]:
                    best = (widest, ranges)
    return best[1] if best else None


def _split_long_word(
    word: str, limit: float, size: float, bold: bool, measure: Measure
) -> list[str]:
    """A word too wide for a line, cut into pieces that fit (only at the smallest size)."""
    pieces: list[str] = []
    current = ""
    for char in word:
        if current and measure(current + char, size, bold) > limit:
            pieces.append(current)
            current = char
        else:
            current += char
    if current:
        pieces.append(current)
    return pieces


def _truncate(line: str, limit: float, size: float, bold: bool, measure: Measure) -> str:
    """The line shortened, at a word if possible, so that it and an ellipsis fit."""
    words = line.split(" ")
    while len(words) > 1 and measure(" ".join(words) + ELLIPSIS, size, bold) > limit:
        words.pop()
    text = " ".join(words)
    while text and measure(text + ELLIPSIS, size, bold) > limit:
        text = text[:-1]
    return text.rstrip(" ,;:-–—") + ELLIPSIS


def _fit(
    text: str,
    *,
    sizes: range,
    max_size_for_lines: dict[int, int],
    limits: Sequence[float],
    bold: bool,
    measure: Measure,
) -> _Block:
    """The largest size at which the text fits in balanced lines; else an ellipsis."""
    max_lines = len(limits)
    words = text.split(" ") if text else []
    # Nothing past what three lines at the smallest size can show matters; capping the
    # word count keeps the search for balanced breaks small whatever the input.
    words = words[:60]
    for size in sizes:
        word_widths = [measure(word, size, bold) for word in words]
        space = measure(" ", size, bold)
        for count in range(1, max_lines + 1):
            if size > max_size_for_lines[count]:
                continue
            ranges = _balanced(word_widths, space, count)
            if ranges is None:
                continue
            lines = tuple(" ".join(words[i:j]) for i, j in ranges)
            if all(measure(line, size, bold) <= limits[k] for k, line in enumerate(lines)):
                return _Block(lines, size, round(size * 1.14, 1))
    # Too long even at the smallest size: fill the lines greedily and cut the last.
    size = sizes[-1]
    pieces: list[str] = []
    for word in words:
        if measure(word, size, bold) > min(limits):
            pieces.extend(_split_long_word(word, min(limits), size, bold, measure))
        else:
            pieces.append(word)
    lines_out: list[str] = []
    current = ""
    overflow = False
    for piece in pieces:
        candidate = f"{current} {piece}" if current else piece
        if not current or measure(candidate, size, bold) <= limits[len(lines_out)]:
            current = candidate
            continue
        if len(lines_out) == max_lines - 1:
            current, overflow = candidate, True
            break
        lines_out.append(current)
        current = piece
    if overflow or measure(current, size, bold) > limits[len(lines_out)]:
        current = _truncate(current, limits[len(lines_out)], size, bold, measure)
    lines_out.append(current)
    return _Block(tuple(line for line in lines_out if line), size, round(size * 1.14, 1))


def _layout(*, title: str, organization: str, color: str, measure: Measure) -> _Layout:
    palette = _palette(color)
    title = _clean(title)
    organization = _clean(organization)
    title_block = _fit(
        title[:240],
        sizes=TITLE_SIZES,
        max_size_for_lines=TITLE_MAX_SIZE_FOR_LINES,
        limits=(TITLE_WIDTH,) * 3,
        bold=True,
        measure=measure,
    )
    org_block = _fit(
        organization[:160],
        sizes=ORG_SIZES,
        max_size_for_lines=ORG_MAX_SIZE_FOR_LINES,
        limits=ORG_WIDTHS,
        bold=False,
        measure=measure,
    )
    # Centre the block between the top of its first line's capitals and its last baseline.
    cap_height = 0.72 * title_block.size
    block_height = (len(title_block.lines) - 1) * title_block.line_height + cap_height
    title_baseline = TITLE_CENTER - block_height / 2 + cap_height
    name = title or "Micro-credential"
    accessible = f"{name}: a micro-credential from {organization}" if organization else name
    return _Layout(palette, title_block, title_baseline, org_block, accessible)


def _scallop_arcs() -> list[tuple[float, float, float, float]]:
    """Each scallop as (centre x, centre y, start angle, end angle) of its arc, in radians."""
    step = 2 * math.pi / SCALLOPS
    half_chord = SCALLOP_VALLEY * math.sin(step / 2)
    # The arc's centre sits inward of the chord joining two valley points, so the arc
    # bulges out by SCALLOP_RADIUS minus that distance.
    inset = math.sqrt(SCALLOP_RADIUS**2 - half_chord**2)
    distance = SCALLOP_VALLEY * math.cos(step / 2) - inset
    sweep = math.asin(half_chord / SCALLOP_RADIUS)
    arcs = []
    for i in range(SCALLOPS):
        middle = -math.pi / 2 + (i + 0.5) * step
        cx = CENTER + distance * math.cos(middle)
        cy = CENTER + distance * math.sin(middle)
        arcs.append((cx, cy, middle - sweep, middle + sweep))
    return arcs


# ----------------------------------------------------------------------------- SVG


def _n(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _rosette_path() -> str:
    arcs = _scallop_arcs()
    first = arcs[0]
    x0 = first[0] + SCALLOP_RADIUS * math.cos(first[2])
    y0 = first[1] + SCALLOP_RADIUS * math.sin(first[2])
    parts = [f"M{_n(x0)} {_n(y0)}"]
    r = _n(SCALLOP_RADIUS)
    for cx, cy, _start, end in arcs:
        x = cx + SCALLOP_RADIUS * math.cos(end)
        y = cy + SCALLOP_RADIUS * math.sin(end)
        # sweep-flag 1: increasing angle, which in SVG's y-down space runs clockwise.
        parts.append(f"A{r} {r} 0 0 1 {_n(x)} {_n(y)}")
    return "".join(parts) + "Z"


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def default_badge_svg(*, title: str, organization: str, color: str) -> str:
    """A 512 × 512 SVG badge for a credential that has no designer-made image."""
    layout = _layout(title=title, organization=organization, color=color, measure=_svg_measure)
    p = layout.palette
    c = _n(CENTER)
    title_lines = "".join(
        f'<tspan x="{c}" y="{_n(layout.title_baseline + i * layout.title.line_height)}">'
        f"{_esc(line)}</tspan>"
        for i, line in enumerate(layout.title.lines)
    )
    org_lines = "".join(
        f'<tspan x="{c}" y="{_n(ORG_BASELINE + i * layout.organization.line_height)}">'
        f"{_esc(line)}</tspan>"
        for i, line in enumerate(layout.organization.lines)
    )
    rule = f'stroke="{p.rule}" stroke-width="2" stroke-linecap="round"'
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{SIZE}" height="{SIZE}" '
        f'viewBox="0 0 {SIZE} {SIZE}" role="img">'
        f"<title>{_esc(layout.accessible_name)}</title>"
        f'<path d="{_rosette_path()}" fill="{p.rim}"/>'
        f'<circle cx="{c}" cy="{c}" r="{DISK}" fill="{p.fill}"/>'
        f'<circle cx="{c}" cy="{c}" r="{HIGHLIGHT}" fill="none" stroke="{p.highlight}" stroke-width="2"/>'
        f'<circle cx="{c}" cy="{c}" r="{BAND}" fill="none" stroke="{p.band}" stroke-width="{BAND_WIDTH}"/>'
        f'<path d="M{_n(CENTER - 24)} {TOP_RULE_Y}h48" {rule}/>'
        f'<path d="M{_n(CENTER - 36)} {BOTTOM_RULE_Y}h72" {rule}/>'
        f'<g fill="{p.text}" font-family="{FONT_FAMILY}" text-anchor="middle">'
        f'<text class="label" x="{c}" y="{LABEL_BASELINE}" font-size="{LABEL_SIZE}" '
        f'font-weight="700" letter-spacing="{LABEL_SPACING}">{LABEL}</text>'
        f'<text class="title" font-size="{_n(layout.title.size)}" font-weight="700">{title_lines}</text>'
        f'<text class="organization" font-size="{_n(layout.organization.size)}">{org_lines}</text>'
        "</g></svg>"
    )


def svg_wrapping_png(png: bytes, *, title: str) -> str:
    """An SVG that shows a PNG badge image, so a designer's image can be baked as SVG too.

    The PNG travels inside as a data URL, at its own size; nothing else is drawn.
    """
    try:
        with Image.open(io.BytesIO(png), formats=["PNG"]) as image:
            width, height = image.size
    except (OSError, SyntaxError, ValueError):
        raise ValueError("The badge image to wrap is not a PNG.") from None
    data = base64.b64encode(png).decode("ascii")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img">'
        f"<title>{_esc(_clean(title) or 'Micro-credential')}</title>"
        f'<image width="{width}" height="{height}" href="data:image/png;base64,{data}"/>'
        "</svg>"
    )


# ----------------------------------------------------------------------------- PNG


# Faces with wide Latin coverage, in order of preference: Liberation Sans has Arial's
# metrics, so the PNG sets text like the SVG; DejaVu Sans is on most Linux systems.
_FACES = {
    True: ("LiberationSans-Bold.ttf", "DejaVuSans-Bold.ttf", "Arial Bold.ttf", "arialbd.ttf"),
    False: ("LiberationSans-Regular.ttf", "DejaVuSans.ttf", "Arial.ttf", "arial.ttf"),
}
# What the bundled ASCII-only face cannot draw, spelled with what it can.
_ASCII_SPELLING = str.maketrans(
    {"ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ø": "o", "Ø": "O", "ł": "l",
     "Ł": "L", "đ": "d", "Đ": "D", "ð": "d", "þ": "th", "–": "-", "—": "-", "‘": "'",
     "€": "EUR", "£": "GBP"}
)  # fmt: skip


@functools.lru_cache(maxsize=2)
def _face_path(bold: bool) -> str | None:
    """The file of an installed face for this weight, or None to use Pillow's own."""
    for name in _FACES[bold]:
        try:
            return str(ImageFont.truetype(name, 12).path)
        except (OSError, ImportError):
            continue
    return None


@functools.lru_cache(maxsize=64)
def _font(pixels: int, bold: bool) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    path = _face_path(bold)
    if path is not None:
        return ImageFont.truetype(path, pixels)
    # Pillow's bundled Aileron (FreeType builds), or its small bitmap font (others).
    return ImageFont.load_default(size=pixels)


def _ascii_fold(text: str) -> str:
    """The text in ASCII, "Zoë Núñez" as "Zoe Nunez": better than empty boxes."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_ASCII_SPELLING))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


class _PngText:
    """Text set with Pillow at `scale` pixels per design unit.

    An installed face is used when there is one (the output is the same for the same
    input on a given machine, which is what caching needs). Otherwise Pillow's bundled
    face, which has ASCII only (accents are dropped) and one weight (bold is drawn with
    a thin outline of the text's colour); and without FreeType, Pillow's bitmap font,
    drawn small and enlarged: coarse, but the badge still says what it is.
    """

    BITMAP_SIZE = 11  # the bitmap font's nominal size in pixels

    def __init__(self, scale: float) -> None:
        self.scale = scale

    def _face(
        self, size: float, bold: bool
    ) -> tuple[ImageFont.FreeTypeFont | ImageFont.ImageFont, int]:
        """The font for this size and weight, and the outline width that makes it bold."""
        font = _font(round(size * self.scale), bold)
        faux_bold = bold and _face_path(True) is None
        return font, round(size * self.scale * 0.028) if faux_bold else 0

    @staticmethod
    def _text(text: str, font: ImageFont.FreeTypeFont | ImageFont.ImageFont, bold: bool) -> str:
        return text if _face_path(bold) is not None else _ascii_fold(text)

    def measure(self, text: str, size: float, bold: bool) -> float:
        font, stroke = self._face(size, bold)
        text = self._text(text, font, bold)
        if not isinstance(font, ImageFont.FreeTypeFont):
            return font.getlength(text) * size / self.BITMAP_SIZE
        return (font.getlength(text) + 2 * stroke) / self.scale

    def draw(
        self,
        canvas: Image.Image,
        text: str,
        *,
        x: float,
        baseline: float,
        size: float,
        bold: bool,
        fill: str,
        spacing: float = 0,
    ) -> None:
        """Draw text centred on x with its baseline at `baseline` (design units)."""
        font, stroke = self._face(size, bold)
        text = self._text(text, font, bold)
        if not text:
            return
        if not isinstance(font, ImageFont.FreeTypeFont):
            self._draw_bitmap(canvas, text, font, x=x, baseline=baseline, size=size, fill=fill)
            return
        draw = ImageDraw.Draw(canvas)
        # Letter-spaced text is set one character at a time, each at its own advance.
        pieces = list(text) if spacing else [text]
        advances = [font.getlength(piece) + spacing * self.scale for piece in pieces]
        left = x * self.scale - (sum(advances) - spacing * self.scale) / 2
        for piece, advance in zip(pieces, advances, strict=True):
            draw.text(
                (left, baseline * self.scale),
                piece,
                font=font,
                fill=fill,
                anchor="ls",
                stroke_width=stroke,
                stroke_fill=fill,
            )
            left += advance

    def _draw_bitmap(
        self,
        canvas: Image.Image,
        text: str,
        font: ImageFont.ImageFont,
        *,
        x: float,
        baseline: float,
        size: float,
        fill: str,
    ) -> None:
        _, _, right, bottom = font.getbbox(text)
        mask = Image.new("L", (max(1, math.ceil(right)), max(1, math.ceil(bottom))))
        ImageDraw.Draw(mask).text((0, 0), text, font=font, fill=255)
        factor = size * self.scale / self.BITMAP_SIZE
        mask = mask.resize(
            (max(1, round(mask.width * factor)), max(1, round(mask.height * factor))),
            Image.Resampling.BICUBIC,
        )
        colour = Image.new("RGBA", mask.size, fill)
        position = (
            round(x * self.scale - mask.width / 2),
            round(baseline * self.scale - mask.height),
        )
        canvas.paste(colour, position, mask)


def _circle(
    draw: ImageDraw.ImageDraw,
    radius: float,
    scale: float,
    *,
    fill: str | None = None,
    outline: str | None = None,
    width: int = 1,
) -> None:
    low, high = (CENTER - radius) * scale, (CENTER + radius) * scale
    draw.ellipse([low, low, high, high], fill=fill, outline=outline, width=width)


def default_badge_png(*, title: str, organization: str, color: str, size: int = 512) -> bytes:
    """The default badge as a transparent-cornered RGBA PNG, `size` pixels square."""
    if not 32 <= size <= 2048:
        raise ValueError("A badge image is between 32 and 2048 pixels square.")
    # Drawn at 2–4× and scaled down with Lanczos: Pillow's shapes are not anti-aliased.
    factor = max(2, min(4, 2048 // size))
    scale = size * factor / SIZE
    text = _PngText(scale)
    layout = _layout(title=title, organization=organization, color=color, measure=text.measure)
    p = layout.palette
    canvas = Image.new("RGBA", (size * factor, size * factor), (0, 0, 0, 0))
    draw = ImageDraw.Draw(canvas)

    outline: list[tuple[float, float]] = []
    for cx, cy, start, end in _scallop_arcs():
        for step in range(17):
            angle = start + (end - start) * step / 16
            outline.append(
                (
                    (cx + SCALLOP_RADIUS * math.cos(angle)) * scale,
                    (cy + SCALLOP_RADIUS * math.sin(angle)) * scale,
                )
            )
    draw.polygon(outline, fill=p.rim)
    _circle(draw, DISK, scale, fill=p.fill)
    # SVG strokes straddle the radius; Pillow draws a ring inside the box, so widen it.
    _circle(draw, HIGHLIGHT + 1, scale, outline=p.highlight, width=round(2 * scale))
    _circle(
        draw,
        BAND + BAND_WIDTH / 2,
        scale,
        outline=p.band,
        width=round(BAND_WIDTH * scale),
    )
    for half, y in ((24, TOP_RULE_Y), (36, BOTTOM_RULE_Y)):
        draw.line(
            [((CENTER - half) * scale, y * scale), ((CENTER + half) * scale, y * scale)],
            fill=p.rule,
            width=round(2 * scale),
        )
        for end_x in (CENTER - half, CENTER + half):  # round caps, as in the SVG
            draw.ellipse(
                [(end_x - 1) * scale, (y - 1) * scale, (end_x + 1) * scale, (y + 1) * scale],
                fill=p.rule,
            )

    text.draw(
        canvas,
        LABEL,
        x=CENTER,
        baseline=LABEL_BASELINE,
        size=LABEL_SIZE,
        bold=True,
        fill=p.text,
        spacing=LABEL_SPACING,
    )
    for i, line in enumerate(layout.title.lines):
        text.draw(
            canvas,
            line,
            x=CENTER,
            baseline=layout.title_baseline + i * layout.title.line_height,
            size=layout.title.size,
            bold=True,
            fill=p.text,
        )
    for i, line in enumerate(layout.organization.lines):
        text.draw(
            canvas,
            line,
            x=CENTER,
            baseline=ORG_BASELINE + i * layout.organization.line_height,
            size=layout.organization.size,
            bold=False,
            fill=p.text,
        )

    image = canvas.resize((size, size), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


# ----------------------------------------------------------------------------- uploads


def _upload_format(data: bytes) -> str | None:
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    return None


def _file_size(size: int) -> str:
    if size < 1024 * 1024:
        return f"{math.ceil(size / 1024)} KB"
    return f"{size / (1024 * 1024):.1f}".removesuffix(".0") + " MB"


def normalize_upload(data: bytes, *, max_bytes: int = 2 * 1024 * 1024) -> bytes:
    """A designer's badge image made safe to publish: a square PNG, at most 1024 px.

    Accepts PNG, JPEG and WebP, recognised by their bytes. Refuses with ImageRejected,
    before decoding any pixels, a file that is too large, of another kind, or whose
    dimensions are too small, too large or far from square. The result is re-encoded
    from the pixels alone (no EXIF, no text chunks; colours converted to sRGB when the
    file carries a profile), padded with transparency to a square.
    """
    if not data:
        raise ImageRejected("This file is empty. Choose the badge image again.")
    if len(data) > max_bytes:
        raise ImageRejected(
            f"This file is {_file_size(len(data))}; the limit is {_file_size(max_bytes)}. "
            "Save the image smaller (512 × 512 pixels is ideal)."
        )
    kind = _upload_format(data)
    # A library may have switched Pillow to loading truncated files (WeasyPrint does, on
    # import); a damaged upload must be refused whatever was imported before.
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    if kind is None:
        raise ImageRejected(
            "This file is not a PNG, JPEG or WebP image. Export the badge image as a PNG "
            "(512 × 512 pixels is ideal)."
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image: Image.Image = Image.open(io.BytesIO(data), formats=[kind])
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageRejected(
            f"This image says it is larger than {MAX_UPLOAD_SIDE} × {MAX_UPLOAD_SIDE} pixels, "
            "the most we accept. Resize it (512 × 512 pixels is ideal)."
        ) from None
    except (OSError, SyntaxError, ValueError):
        raise ImageRejected(
            "This image is damaged or incomplete. Export it again as a PNG."
        ) from None

    # Dimensions come from the header; nothing has been decoded yet.
    width, height = image.size
    if width > MAX_UPLOAD_SIDE or height > MAX_UPLOAD_SIDE:
        raise ImageRejected(
            f"This image is {width} × {height} pixels; the largest we accept is "
            f"{MAX_UPLOAD_SIDE} × {MAX_UPLOAD_SIDE}. Resize it (512 × 512 is ideal)."
        )
    if width < MIN_UPLOAD_SIDE or height < MIN_UPLOAD_SIDE:
        raise ImageRejected(
            f"This image is {width} × {height} pixels; upload one at least "
            f"{MIN_UPLOAD_SIDE} × {MIN_UPLOAD_SIDE} (512 × 512 is ideal)."
        )
    if max(width, height) / min(width, height) > MAX_UPLOAD_RATIO:
        shape = "wider than it is tall" if width > height else "taller than it is wide"
        raise ImageRejected(
            f"This image is {width} × {height} pixels, much {shape}; badge images are "
            "square. Crop it to a square (512 × 512 is ideal)."
        )

    try:
        image.load()
        image = ImageOps.exif_transpose(image) or image
        image = _to_srgb_rgba(image)
    except (OSError, SyntaxError, ValueError):
        raise ImageRejected(
            "This image is damaged or incomplete. Export it again as a PNG."
        ) from None

    side = max(image.size)
    # A new image carries none of the upload's metadata (EXIF, ICC, text chunks).
    square = Image.new("RGBA", (side, side), (0, 0, 0, 0))
    square.paste(image, ((side - image.width) // 2, (side - image.height) // 2))
    if side > MAX_OUTPUT_SIDE:
        square = square.resize((MAX_OUTPUT_SIDE, MAX_OUTPUT_SIDE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    square.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _to_srgb_rgba(image: Image.Image) -> Image.Image:
    profile = image.info.get("icc_profile")
    if image.mode not in ("RGB", "RGBA"):
        has_alpha = image.mode in ("LA", "La", "PA") or "transparency" in image.info
        image = image.convert("RGBA" if has_alpha else "RGB")
    if profile:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
            converted = ImageCms.profileToProfile(
                image, source, ImageCms.createProfile("sRGB"), outputMode=image.mode
            )
            if converted is not None:
                image = converted
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # an unreadable profile: keep the numbers as they are
    return image.convert("RGBA")
