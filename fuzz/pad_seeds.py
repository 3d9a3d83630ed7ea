#!/usr/bin/env python3
"""Writes a padded copy of an explicit VR little endian DICOM file, for the seed corpus.

Every text value of a VR that dose reports compute with (DS, IS, DT, TM, DA, CS, SH, LO, UI, PN,
AS) is padded to that VR's maximum length (spaces; NULs for UI), and every sequence and item is
rewritten with undefined length. The file means the same, but libFuzzer's length-preserving
mutations (overwriting bytes with a dictionary entry such as "1e308" or "+0100") now reach the
values: in the original files a value's length field and its bytes would have to change
together, which byte mutations almost never do.

    pad_seeds.py IN OUT      exit status 0 when written, 1 when IN is not explicit VR LE
"""

import struct
import sys

EXPLICIT_LE = b"1.2.840.10008.1.2.1"
LONG = {b"OB", b"OD", b"OF", b"OL", b"OV", b"OW", b"SQ", b"SV", b"UC", b"UN", b"UR", b"UT", b"UV"}
PAD = {b"DS": 16, b"IS": 12, b"DT": 26, b"TM": 14, b"DA": 8, b"CS": 16, b"SH": 16, b"LO": 64,
       b"UI": 64, b"PN": 64, b"AS": 4}
UNDEFINED = 0xFFFFFFFF
ITEM, ITEM_END, SEQ_END = (0xFFFE, 0xE000), (0xFFFE, 0xE00D), (0xFFFE, 0xE0DD)


class Bad(Exception):
    pass


def u16(b, p):
    if p + 2 > len(b):
        raise Bad("truncated")
    return struct.unpack_from("<H", b, p)[0]


def u32(b, p):
    if p + 4 > len(b):
        raise Bad("truncated")
    return struct.unpack_from("<I", b, p)[0]


def header(tag, vr, length):
    g, e = tag
    if vr in LONG:
        return struct.pack("<HH2sHI", g, e, vr, 0, length)
    return struct.pack("<HH2sH", g, e, vr, length)


def items(b, p, end):
    """Items of a sequence starting at p; returns (bytes, new position)."""
    out = bytearray()
    while end is None or p < end:
        tag = (u16(b, p), u16(b, p + 2))
        length = u32(b, p + 4)
        p += 8
        if tag == SEQ_END:
            return out, p
        if tag != ITEM:
            raise Bad("not an item")
        body, p = elements(b, p, None if length == UNDEFINED else p + length)
        out += struct.pack("<HHI", *ITEM, UNDEFINED) + body + struct.pack("<HHI", *ITEM_END, 0)
    return out, p


def elements(b, p, end):
    """Elements from p until end (or an item delimiter); returns (bytes, new position)."""
    out = bytearray()
    while end is None or p < end:
        if end is None and p >= len(b):
            raise Bad("unterminated item")
        if p >= len(b):
            break
        tag = (u16(b, p), u16(b, p + 2))
        if tag == ITEM_END:
            return out, p + 8
        vr = bytes(b[p + 4:p + 6])
        if vr in LONG:
            length, p = u32(b, p + 8), p + 12
        else:
            length, p = u16(b, p + 6), p + 8
        if vr == b"SQ":
            body, p = items(b, p, None if length == UNDEFINED else p + length)
            out += header(tag, vr, UNDEFINED) + body + struct.pack("<HHI", *SEQ_END, 0)
            continue
        if length == UNDEFINED:
            raise Bad("undefined length outside a sequence")
        value = bytes(b[p:p + length])
        if len(value) != length:
            raise Bad("truncated value")
        p += length
        if vr in PAD and len(value) < PAD[vr] and b"\\" not in value:
            value = value.rstrip(b" \0").ljust(PAD[vr], b"\0" if vr == b"UI" else b" ")
        out += header(tag, vr, len(value)) + value
    return out, p


def transfer_syntax(b, p, end):
    while p < end:
        tag, vr = (u16(b, p), u16(b, p + 2)), bytes(b[p + 4:p + 6])
        if vr in LONG:
            length, q = u32(b, p + 8), p + 12
        else:
            length, q = u16(b, p + 6), p + 8
        if tag == (0x0002, 0x0010):
            return bytes(b[q:q + length]).rstrip(b" \0")
        p = q + length
    return None


def pad(b):
    if b[128:132] != b"DICM":
        raise Bad("no preamble")
    p = 132
    if u16(b, p) != 2 or u16(b, p + 2) != 0:
        raise Bad("no meta group length")
    meta_end = p + 12 + u32(b, p + 8)
    if transfer_syntax(b, p, meta_end) != EXPLICIT_LE:
        raise Bad("not explicit VR little endian")
    body, _ = elements(b, meta_end, len(b))
    return bytes(b[:meta_end]) + bytes(body)


def main():
    src, dst = sys.argv[1], sys.argv[2]
    with open(src, "rb") as f:
        data = f.read()
    try:
        out = pad(data)
    except (Bad, struct.error, IndexError):
        return 1
    with open(dst, "wb") as f:
        f.write(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
