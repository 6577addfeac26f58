"""Photos: checked by content, turned upright, resized and stored with no metadata at all."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from starlette.testclient import TestClient

from sitegen.reports.photos import PhotoRejected, PhotoRules, clean_photo
from sitegen.reports.settings import ReportSettings

from . import images
from .helpers import API, GOOD_REPORT, media_names


def test_gps_and_all_metadata_are_stripped(client: TestClient, settings: ReportSettings) -> None:
    original = images.jpeg_with_gps((64, 48))
    before = Image.open(io.BytesIO(original))
    assert before.getexif().get_ifd(0x8825)  # the test photo really has a GPS position
    assert b"PhoneMaker" in original and b"xmpmeta" in original

    files = [("media", ("IMG_0001.JPG", original, "image/jpeg"))]
    response = client.post(f"{API}requests.json", data=GOOD_REPORT, files=files)
    assert response.status_code == 201, response.text

    (name,) = media_names(settings)
    assert name.endswith(".jpg") and "IMG_0001" not in name
    stored = (settings.media_path / name).read_bytes()
    for secret in (b"Exif", b"PhoneMaker", b"Mei Lin", b"xmpmeta", b"ICC_PROFILE"):
        assert secret not in stored
    after = Image.open(io.BytesIO(stored))
    assert dict(after.getexif()) == {}
    assert "exif" not in after.info and "xmp" not in after.info and "icc_profile" not in after.info
    assert after.size == (48, 64)  # orientation 6 applied before the tag was dropped


def test_media_is_served_read_only(client: TestClient, settings: ReportSettings) -> None:
    files = [("media", ("a.png", images.png(), "image/png"))]
    ticket = client.post(f"{API}requests.json", data=GOOD_REPORT, files=files).json()[0]
    url = client.get(f"{API}requests/{ticket['service_request_id']}.json").json()[0]["media_url"]
    path = url.removeprefix("http://testserver")
    served = client.get(path)
    assert served.status_code == 200
    assert "immutable" in served.headers["cache-control"]
    assert served.headers["content-security-policy"] == "default-src 'none'"
    assert client.post(path).status_code == 405
    assert client.get("/media/..%2Freports.sqlite3").status_code == 404
    assert client.get("/media/" + "0" * 32 + ".jpg").status_code == 404


def test_transparent_png_becomes_a_jpeg_on_white() -> None:
    clean = clean_photo(images.png(transparent=True), PhotoRules())
    image = Image.open(io.BytesIO(clean.data))
    assert (image.format, image.mode, clean.extension) == ("JPEG", "RGB", "jpg")
    red, green, blue = image.getpixel((5, 5))  # type: ignore[misc]
    assert min(red, green, blue) > 240


def test_large_photo_is_resized_to_the_max_edge() -> None:
    clean = clean_photo(images.jpeg((3000, 1000)), PhotoRules(max_edge=2048))
    assert (clean.width, clean.height) == (2048, 683)


def test_webp_output() -> None:
    clean = clean_photo(images.jpeg(), PhotoRules(output="webp"))
    assert clean.extension == "webp"
    assert Image.open(io.BytesIO(clean.data)).format == "WEBP"


@pytest.mark.parametrize(
    ("data", "status"),
    [
        (images.not_an_image(), 415),
        (images.png_bomb(), 413),
        (images.png_bomb(15_000, 15_000), 413),  # under Pillow's own limit: our check refuses
        (images.jpeg()[:200], 400),  # truncated
        (b"", 400),
    ],
)
def test_rejected_photos(data: bytes, status: int) -> None:
    with pytest.raises(PhotoRejected) as caught:
        clean_photo(data, PhotoRules())
    assert caught.value.status == status


def test_gif_is_not_accepted() -> None:
    out = io.BytesIO()
    Image.new("P", (8, 8)).save(out, "GIF")
    with pytest.raises(PhotoRejected) as caught:
        clean_photo(out.getvalue(), PhotoRules())
    assert caught.value.status == 415
