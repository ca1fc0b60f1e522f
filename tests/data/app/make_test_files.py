#!/usr/bin/env python3
"""Writes the small documents the app tests ingest (standard library only, plus qpdf for the
encrypted copy). Run from this folder: python3 make_test_files.py"""
import random
import struct
import subprocess
import zlib


def pdf(pages):
    """pages: list of (lines of text, list of filled grey rectangles (x, y, w, h, grey))."""
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", None,
               "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    kids = []
    for lines, boxes in pages:
        ops = []
        for x, y, w, h, g in boxes:
            ops.append(f"{g} g {x} {y} {w} {h} re f")
        ops.append("0 g BT /F1 14 Tf 72 720 Td 18 TL")
        for line in lines:
            ops.append("(" + line.replace("(", "[").replace(")", "]") + ") Tj T*")
        ops.append("ET")
        stream = "\n".join(ops)
        objects.append(f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream")
        content = len(objects)
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
                       f"/Resources << /Font << /F1 3 0 R >> >> /Contents {content} 0 R >>")
        kids.append(f"{len(objects)} 0 R")
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>"
    out = b"%PDF-1.4\n"
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def png(width, height, pixel):
    raw = b"".join(b"\0" + bytes(c for x in range(width) for c in pixel(x, y)) for y in range(height))
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def scan_pixel(rng_seed):
    rng = random.Random(rng_seed)
    noise = [rng.randint(-12, 12) for _ in range(4096)]
    def pixel(x, y):
        ink = (40 <= y < 60 and 30 <= x < 270) or (90 <= y < 200 and 30 <= x < 140 and (y // 12) % 2 == 0)
        base = 35 if ink else 235
        v = max(0, min(255, base + noise[(x * 31 + y * 17) % 4096]))
        return (v, v, min(255, v + 6))  # slightly blue paper
    return pixel


report = [
    (["Quarterly revenue report", "Revenue grew in every region.", "See the table below."],
     [(72, 400, 468, 200, 0.85), (72, 400, 234, 100, 0.6)]),
    (["Architecture diagram", "Encoder, searcher and library."],
     [(100, 300, 120, 120, 0.3), (320, 300, 120, 120, 0.5), (220, 500, 120, 80, 0.7)]),
    (["Appendix: glossary", "MaxSim, patch, embedding."], [(72, 72, 468, 40, 0.2)]),
]
memo = [
    (["Memo: office move", "The team moves to the third floor on Monday."], [(400, 600, 150, 150, 0.4)]),
    (["Seating plan", "Desks by the window."], [(72, 200, 200, 300, 0.9), (300, 200, 200, 300, 0.1)]),
]
with open("report.pdf", "wb") as f:
    f.write(pdf(report))
with open("memo.pdf", "wb") as f:
    f.write(pdf(memo))
with open("scan.png", "wb") as f:
    f.write(png(300, 400, scan_pixel(3)))
with open("corrupt.pdf", "wb") as f:
    f.write(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R\nthis file was cut short by a failed download\n")
subprocess.run(["qpdf", "--encrypt", "user", "owner", "256", "--", "memo.pdf", "encrypted.pdf"], check=True)
