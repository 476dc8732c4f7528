"""Real media files made in the test run: a short WebM video (PyAV) and a one-page PDF."""

from __future__ import annotations

import io
from fractions import Fraction

import av


def make_webm(seconds: int = 2, fps: int = 10, width: int = 160, height: int = 120) -> bytes:
    """A VP8 WebM clip of a moving colour bar: small, and playable in any Chromium."""
    buffer = io.BytesIO()
    with av.open(buffer, mode="w", format="webm") as container:
        stream = container.add_stream("libvpx", rate=fps)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        stream.time_base = Fraction(1, fps)
        for i in range(seconds * fps):
            frame = av.VideoFrame(width, height, "rgb24")
            pixels = bytearray(width * height * 3)
            bar = (i * 8) % width
            for y in range(height):
                row = y * width * 3
                for x in range(bar, min(bar + 16, width)):
                    pixels[row + x * 3 : row + x * 3 + 3] = b"\x0b\x5c\x6b"
            frame.planes[0].update(bytes(pixels))
            frame.pts = i
            for packet in stream.encode(frame.reformat(format="yuv420p")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return buffer.getvalue()


def make_pdf(text: str = "Lesson plan: exit tickets") -> bytes:
    """A valid one-page PDF with one line of text (offsets computed, so viewers accept it)."""
    content = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer << /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()
