"""Checking citizens' photos by their content and re-encoding them without any metadata.

A phone photo carries the place it was taken (EXIF GPS), the device, sometimes the owner's
name: none of it may leave the server. The photo is decoded, turned upright, resized and
written anew, so only pixels survive.
"""

from __future__ import annotations

import importlib
import io
import warnings
from dataclasses import dataclass
from typing import Any

from PIL import Image, ImageOps, UnidentifiedImageError

from sitegen.reports.settings import human_size

try:  # HEIC (iPhone photos) only when the optional pillow-heif plugin is installed
    _heif: Any = importlib.import_module("pillow_heif")
except ImportError:  # pragma: no cover - depends on the environment
    HEIF_SUPPORTED = False
else:  # pragma: no cover
    _heif.register_heif_opener()
    HEIF_SUPPORTED = True

# Above the 48-50 MP of today's phone cameras, low enough that decoding stays within about
# 200 MB. Pillow warns above this and refuses above twice this; the warning is turned into
# an error below, and the size is also checked explicitly before decoding, because warning
# filters are process-wide and test runners reset them.
MAX_PIXELS = 64_000_000
MAX_INPUT_EDGE = 16_384
# PNG, WebP and HEIC cannot be decoded at a reduced size: every pixel costs memory and time
# (a 186 KB PNG of 16000x4000 zeros took 10 s and 1 GB; 16 MP take about 1.5 s). Phones save
# photos as JPEG or HEIC and their screenshots are 3-4 MP; a larger one is refused from its
# header.
MAX_FULL_DECODE_PIXELS = 16_000_000
SCALED_FORMATS = frozenset({"JPEG", "MPO"})  # decoded at 1/2, 1/4 or 1/8 when that is enough
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
warnings.filterwarnings("error", category=Image.DecompressionBombWarning)

ACCEPTED_FORMATS = frozenset(
    {"JPEG", "PNG", "WEBP", "MPO"} | ({"HEIF"} if HEIF_SUPPORTED else set())
)


class PhotoRejected(Exception):
    """A photo that cannot be accepted; ``status`` is the HTTP status to answer with."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class PhotoRules:
    max_bytes: int = 10 * 1024 * 1024
    max_edge: int = 2048  # of the stored photo
    output: str = "jpeg"  # or "webp"
    quality: int = 82


@dataclass(frozen=True)
class CleanPhoto:
    data: bytes
    extension: str  # "jpg" or "webp"
    width: int
    height: int
    decoded_pixels: int = 0  # what the decoder produced, before resizing


def decode_cost(data: bytes, rules: PhotoRules) -> int:
    """The pixels decoding this photo will take, read from its header; raise PhotoRejected.

    Nothing is decoded here: a photo refused for its size costs no work, and the cost is
    charged to the client's budget before any decoding starts.
    """
    _check_bytes(data, rules)
    try:
        with Image.open(io.BytesIO(data)) as image:
            _check_header(image)
            width, height = _decoded_size(image, rules)
    except PhotoRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoRejected(413, "a photo has too many pixels") from None
    except UnidentifiedImageError:
        raise PhotoRejected(415, "a photo is not a JPEG, PNG or WebP image") from None
    except (OSError, ValueError, SyntaxError, EOFError):
        raise PhotoRejected(400, "a photo could not be read (damaged or truncated)") from None
    return width * height


def clean_photo(data: bytes, rules: PhotoRules) -> CleanPhoto:
    """Decode, check, turn upright, resize and re-encode a photo; raise PhotoRejected."""
    _check_bytes(data, rules)
    try:
        with Image.open(io.BytesIO(data)) as image:
            _check_header(image)
            width, height = _decoded_size(image, rules)  # sets JPEG's draft mode
            image.load()
            pixels = _small_upright(image, rules)
    except PhotoRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoRejected(413, "a photo has too many pixels") from None
    except UnidentifiedImageError:
        raise PhotoRejected(415, "a photo is not a JPEG, PNG or WebP image") from None
    except (OSError, ValueError, SyntaxError, EOFError):
        # Pillow reports broken or truncated files in several ways.
        raise PhotoRejected(400, "a photo could not be read (damaged or truncated)") from None
    out = io.BytesIO()
    if rules.output == "webp":
        pixels.save(out, "WEBP", quality=rules.quality, method=4)
        extension = "webp"
    else:
        # Baseline JPEG: optimize/progressive save a few percent of bytes for 3-8 times the
        # encoding time, which a small server spends better on accepting reports.
        pixels.save(out, "JPEG", quality=rules.quality)
        extension = "jpg"
    return CleanPhoto(out.getvalue(), extension, pixels.width, pixels.height, width * height)


def _check_bytes(data: bytes, rules: PhotoRules) -> None:
    if len(data) > rules.max_bytes:
        raise PhotoRejected(413, f"a photo is larger than {human_size(rules.max_bytes)}")
    if not data:
        raise PhotoRejected(400, "a photo is empty")


def _decoded_size(image: Image.Image, rules: PhotoRules) -> tuple[int, int]:
    """The size the decoder will produce: JPEG is decoded at a reduced scale when it can be.

    libjpeg scales by 1/2, 1/4 or 1/8 while decoding; asking for the size the photo is
    kept at (longest edge ``max_edge``) lets it pick the smallest scale still at least that
    large: less memory and time, the same result after resizing.
    """
    width, height = image.size
    if image.format in SCALED_FORMATS:
        scale = min(1.0, rules.max_edge / max(width, height))
        target = (max(1, round(width * scale)), max(1, round(height * scale)))
        image.draft("RGB", target)
    return image.size


def _small_upright(image: Image.Image, rules: PhotoRules) -> Image.Image:
    """The pixels resized first, then turned upright and copied: one full-size copy at most."""
    if image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGBA" if _has_alpha(image) else "RGB")
    # Reducing by whole factors first and resampling the rest is as good to the eye and
    # several times faster on big photos.
    image.thumbnail((rules.max_edge, rules.max_edge), Image.Resampling.LANCZOS, reducing_gap=3.0)
    return _pixels_only(ImageOps.exif_transpose(image))


def _check_header(image: Image.Image) -> None:
    # Only the header has been read here: refuse before a single pixel is decoded.
    if image.format not in ACCEPTED_FORMATS:
        raise PhotoRejected(415, f"a photo in {image.format} format is not accepted")
    width, height = image.size
    if width < 1 or height < 1:
        raise PhotoRejected(400, "a photo has no pixels")
    if width > MAX_INPUT_EDGE or height > MAX_INPUT_EDGE or width * height > MAX_PIXELS:
        raise PhotoRejected(413, "a photo has too many pixels")
    if image.format not in SCALED_FORMATS and width * height > MAX_FULL_DECODE_PIXELS:
        raise PhotoRejected(
            413,
            f"a {image.format} photo may have at most {MAX_FULL_DECODE_PIXELS // 1_000_000} "
            "megapixels; send it as a JPEG",
        )


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )


def _pixels_only(image: Image.Image) -> Image.Image:
    """A new RGB image holding the pixels alone: no EXIF, XMP, ICC or text chunks carry over."""
    if _has_alpha(image):
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    rgb = image.convert("RGB")
    clean = Image.new("RGB", rgb.size)
    clean.paste(rgb)
    return clean
