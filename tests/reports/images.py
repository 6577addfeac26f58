"""Test images made with Pillow: plain photos, photos with GPS metadata, a decompression bomb."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import ExifTags, Image

XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-'
    b'syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" dc:creator="Mei '
    b'Lin"/></rdf:RDF></x:xmpmeta>'
)


def jpeg(size: tuple[int, int] = (64, 48), color: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "JPEG")
    return out.getvalue()


def png(size: tuple[int, int] = (40, 30), transparent: bool = False) -> bytes:
    out = io.BytesIO()
    mode, color = ("RGBA", (0, 0, 255, 0)) if transparent else ("RGB", (0, 0, 255))
    Image.new(mode, size, color).save(out, "PNG")
    return out.getvalue()


def jpeg_with_gps(size: tuple[int, int] = (64, 48)) -> bytes:
    """A photo as a phone makes it: GPS position, camera make, owner, XMP, turned sideways."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Artist] = "Mei Lin"
    exif[ExifTags.Base.Orientation] = 6  # "rotate 90° clockwise to show"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (22.0, 33.0, 12.6)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (114.0, 3.0, 25.9)
    out = io.BytesIO()
    image = Image.new("RGB", size, (10, 120, 10))
    image.save(out, "JPEG", exif=exif, xmp=XMP)
    return out.getvalue()


def png_bomb(width: int = 30_000, height: int = 30_000) -> bytes:
    """A tiny PNG (a few hundred bytes) whose header declares ``width`` × ``height`` pixels."""
    out = io.BytesIO()
    Image.new("L", (1, 1)).save(out, "PNG")
    data = bytearray(out.getvalue())
    # IHDR follows the 8-byte signature: length (4), type (4), width (4), height (4), ...
    start = 8 + 4
    assert data[start : start + 4] == b"IHDR"
    body = bytearray(data[start : start + 4 + 13])
    body[4:12] = struct.pack(">II", width, height)
    data[start : start + 4 + 13] = body
    data[start + 17 : start + 21] = struct.pack(">I", zlib.crc32(bytes(body)) & 0xFFFFFFFF)
    return bytes(data)


def not_an_image() -> bytes:
    return b"#!/bin/sh\necho this is not a photo\n" * 20
