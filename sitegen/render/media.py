"""The images name cards show (``photos`` and ``image`` fields), published under ``media/``.

Paths are those the editor wrote, relative to ``content/`` (checked to exist and to stay
inside it), so ``photos/a.jpg`` is published as ``media/photos/a.jpg``.
"""

from __future__ import annotations

from collections.abc import Iterator

from sitegen.errors import BuildError
from sitegen.pipeline.model import Site
from sitegen.source.fields import Field, Image
from sitegen.source.records import ListOf

MEDIA_PREFIX = "media/"


def media_path(rel: str) -> str:
    """Where a content image is published, below the site root."""
    return MEDIA_PREFIX + rel


def media_files(site: Site) -> Iterator[tuple[str, bytes]]:
    """Every image a name card shows, once each, in a fixed order."""
    content = site.config.content_dir
    for rel in sorted(_images(site)):
        try:
            data = (content / rel).read_bytes()
        except OSError as exc:
            raise BuildError(f"content/{rel}: cannot read the image: {exc.strerror}") from None
        yield media_path(rel), data


def _images(site: Site) -> set[str]:
    found: set[str] = set()
    for category in site.categories:
        fields = [name for name, fd in category.fields.items() if _holds_images(fd.field)]
        for facility in category.facilities:
            found.update(facility.photos)
            for name in fields:
                value = facility.values.get(name)
                if isinstance(value, str):
                    found.add(value)
                elif isinstance(value, list):
                    found.update(v for v in value if isinstance(v, str))
    return found


def _holds_images(field: Field) -> bool:
    return isinstance(field, Image) or (isinstance(field, ListOf) and isinstance(field.item, Image))
