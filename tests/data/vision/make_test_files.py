#!/usr/bin/env python3
"""Writes the vision tests' small fixture files into this folder (see README.md).

Standard library only, except that qpdf (Debian package `qpdf`) is needed for the encrypted
and rotated PDFs. Run from anywhere: python3 tests/data/vision/make_test_files.py
"""
import os
import struct
import subprocess
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
LIBTASN1 = "/usr/share/doc/libtasn1-doc/libtasn1.pdf"


def out(name):
    return os.path.join(HERE, name)


# ---- PDF: a tiny hand-made writer (objects, xref table with exact offsets, trailer) ----
def write_pdf(name, objects):
    """objects: list of bytes bodies; object i+1 is objects[i]; object 1 is the catalog."""
    data = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(data))
        data += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(data)
    data += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        data += b"%010d 00000 n \n" % off
    data += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    with open(out(name), "wb") as f:
        f.write(data)


def stream(content):
    return b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"


def make_pdfs():
    # shapes.pdf: page 1 is 200 x 100 pt with a black box at x 20..60, y 60..90 (PDF space,
    # bottom-left origin); page 2 is the same page shown with /Rotate 90.
    box = stream(b"0 0 0 rg 20 60 40 30 re f")
    write_pdf("shapes.pdf", [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Contents 5 0 R >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Rotate 90 /Contents 5 0 R >>",
        box,
    ])
    # huge_page.pdf: the largest page PDF allows, 200 x 200 inches (14400 pt square).
    write_pdf("huge_page.pdf", [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 14400 14400] /Contents 4 0 R >>",
        stream(b"0 0 0 rg 0 7200 7200 7200 re f"),
    ])
    # cropped_text.pdf: a 300 x 200 pt media box shown through the crop box [50 40 250 160],
    # with a black box at x 60..100, y 50..80 and the word "Patchwise" in Helvetica 24 pt with
    # its baseline at (120, 120). Page 2 is the same page at /Rotate 270.
    text = stream(b"0 0 0 rg 60 50 40 30 re f BT /F1 24 Tf 120 120 Td (Patchwise) Tj ET")
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /CropBox [50 40 250 160] " \
           b"/Resources << /Font << /F1 5 0 R >> >> /Contents 6 0 R"
    write_pdf("cropped_text.pdf", [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>",
        page + b" >>",
        page + b" /Rotate 270 >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        text,
    ])
    write_pdf("zero_pages.pdf", [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [] /Count 0 >>",
    ])
    # Password-protected (user password "secret"): cannot be opened without it.
    subprocess.run(["qpdf", "--encrypt", "secret", "owner", "256", "--", out("shapes.pdf"),
                    out("encrypted.pdf")], check=True)
    # Owner password only (empty user password): any reader opens it.
    subprocess.run(["qpdf", "--encrypt", "", "owner", "256", "--print=none", "--", out("shapes.pdf"),
                    out("owner_password_only.pdf")], check=True)
    # rotated_text.pdf: the title page of libtasn1's manual (real embedded fonts) four times,
    # shown at /Rotate 0, 90, 180 and 270.
    tmp = out("rotated_tmp.pdf")
    subprocess.run(["qpdf", "--empty", "--pages", LIBTASN1, "1,1,1,1", "--", tmp], check=True)
    subprocess.run(["qpdf", tmp, "--rotate=+90:2", "--rotate=+180:3", "--rotate=+270:4",
                    out("rotated_text.pdf")], check=True)
    os.remove(tmp)


# ---- PNG: signature, IHDR, optional pHYs, one zlib IDAT, IEND ----
def png_chunk(kind, payload):
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))


def write_png(name, width, height, bit_depth, colour_type, rows, dots_per_metre=None):
    """rows: list of bytes, one per scanline, without the filter byte."""
    data = b"\x89PNG\r\n\x1a\n"
    data += png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0, 0))
    if dots_per_metre:
        data += png_chunk(b"pHYs", struct.pack(">IIB", dots_per_metre, dots_per_metre, 1))
    data += png_chunk(b"IDAT", zlib.compress(b"".join(b"\x00" + r for r in rows)))
    data += png_chunk(b"IEND", b"")
    with open(out(name), "wb") as f:
        f.write(data)


def make_pngs():
    # rgb.png 4 x 3: pixel (x, y) = (10x + 1, 20y + 2, 30 + x + y); 300 dpi = 11811 dots/metre.
    rows = [bytes(v for x in range(4) for v in (10 * x + 1, 20 * y + 2, 30 + x + y)) for y in range(3)]
    write_png("rgb.png", 4, 3, 8, 2, rows, dots_per_metre=11811)
    # grey16.png 3 x 2: 16-bit grey 0, 32896 (0x8080), 65535 / 257 * (x + 3y) ...
    values = [[0, 0x8080, 0xFFFF], [0x0101 * 10, 0x0101 * 200, 0x0101 * 255]]
    write_png("grey16.png", 3, 2, 16, 0, [b"".join(struct.pack(">H", v) for v in row) for row in values])
    # rgba.png 2 x 2: colours with alpha 0, 128, 255, 10; alpha must be dropped, not blended.
    px = [[(200, 10, 20, 0), (30, 40, 50, 128)], [(1, 2, 3, 255), (250, 251, 252, 10)]]
    write_png("rgba.png", 2, 2, 8, 6, [bytes(v for p in row for v in p) for row in px])


# ---- TIFF: classic little-endian, uncompressed RGB strips, one IFD per page ----
def tiff_ifd(width, height, strip_offset, res_offset, next_ifd):
    entries = [
        (256, 4, 1, width), (257, 4, 1, height), (258, 3, 1, 8), (259, 3, 1, 1), (262, 3, 1, 2),
        (273, 4, 1, strip_offset), (277, 3, 1, 3), (278, 4, 1, height),
        (279, 4, 1, width * height * 3), (282, 5, 1, res_offset), (283, 5, 1, res_offset),
        (284, 3, 1, 1), (296, 3, 1, 2),
    ]
    ifd = struct.pack("<H", len(entries))
    for tag, kind, count, value in entries:
        packed = struct.pack("<HI", value, 0)[:4] if kind == 3 else struct.pack("<I", value)
        ifd += struct.pack("<HHI", tag, kind, count) + packed
    return ifd + struct.pack("<I", next_ifd)


def make_tiff():
    # multipage.tif: 3 pages of one flat colour each, sizes 5x4, 6x2, 3x7, declared 300 dpi.
    pages = [((5, 4), (255, 0, 0)), ((6, 2), (0, 255, 0)), ((3, 7), (0, 0, 255))]
    data = bytearray(b"II*\x00\x00\x00\x00\x00")
    res_offset = len(data)
    data += struct.pack("<II", 300, 1)
    ifd_offsets = []
    blobs = []
    for (w, h), colour in pages:
        blobs.append((w, h, len(data)))
        data += bytes(colour) * (w * h)
        if len(data) % 2:
            data += b"\x00"  # IFDs start on a word boundary
    ifd_size = 2 + 13 * 12 + 4
    first = len(data)
    for i, (w, h, strip) in enumerate(blobs):
        ifd_offsets.append(first + i * ifd_size)
    for i, (w, h, strip) in enumerate(blobs):
        nxt = ifd_offsets[i + 1] if i + 1 < len(blobs) else 0
        data += tiff_ifd(w, h, strip, res_offset, nxt)
    struct.pack_into("<I", data, 4, ifd_offsets[0])
    with open(out("multipage.tif"), "wb") as f:
        f.write(data)


if __name__ == "__main__":
    make_pdfs()
    make_pngs()
    make_tiff()
