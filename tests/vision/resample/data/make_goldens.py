#!/usr/bin/python3
"""Writes pillow_goldens.bin: small random RGB images resized by Pillow, for resample_test.

Rerun (Debian 12: apt-get install python3-pil):  /usr/bin/python3 make_goldens.py
from this folder. The cases and the seed are fixed, so the file only changes if Pillow's
resampling changes. Format, all integers little-endian uint32:
  "PWRS", Pillow version string (length-prefixed), case count, then per case:
  filter (Pillow code), in_w, in_h, out_w, out_h, channels,
  in_w*in_h*channels input bytes, out_w*out_h*channels output bytes.
"""
import random
import struct

import PIL
from PIL import Image

FILTERS = [Image.LANCZOS, Image.BICUBIC, Image.BILINEAR]
# (in_w, in_h, out_w, out_h): up, down, odd sizes, one axis only, identity, extreme ratios,
# and the Idefics3 fixture chain shapes (longest edge, multiple of tile, global tile).
SIZES = [
    (16, 16, 16, 16), (17, 11, 34, 22), (40, 30, 13, 9), (23, 37, 23, 12), (23, 37, 9, 37),
    (5, 7, 31, 29), (64, 3, 7, 11), (3, 64, 50, 2), (45, 58, 38, 50), (38, 50, 50, 50),
    (50, 50, 17, 17), (31, 18, 48, 28), (1, 1, 4, 3), (29, 31, 30, 30),
]


def main():
    rng = random.Random(20261125)
    cases = []
    for filt in FILTERS:
        for in_w, in_h, out_w, out_h in SIZES:
            data = bytes(rng.randrange(256) for _ in range(in_w * in_h * 3))
            img = Image.frombytes("RGB", (in_w, in_h), data)
            out = img.resize((out_w, out_h), resample=filt)
            cases.append((int(filt), in_w, in_h, out_w, out_h, 3, data, out.tobytes()))
    # One greyscale case, to cover single-channel images.
    data = bytes(rng.randrange(256) for _ in range(19 * 13))
    out = Image.frombytes("L", (19, 13), data).resize((41, 7), resample=Image.LANCZOS)
    cases.append((int(Image.LANCZOS), 19, 13, 41, 7, 1, data, out.tobytes()))

    version = PIL.__version__.encode()
    with open("pillow_goldens.bin", "wb") as f:
        f.write(b"PWRS")
        f.write(struct.pack("<I", len(version)) + version)
        f.write(struct.pack("<I", len(cases)))
        for filt, in_w, in_h, out_w, out_h, ch, data, out in cases:
            f.write(struct.pack("<6I", filt, in_w, in_h, out_w, out_h, ch))
            f.write(data)
            f.write(out)


if __name__ == "__main__":
    main()
