#!/usr/bin/env python3
"""Screenshots of the staff console for docs/reports.md, made from a real server.

Starts the report server on loopback with the browser tests' small Shenzhen site, a tile
server of its own (plain generated tiles: nothing is fetched from the internet), a few
reports with photos and staff at work on them, then photographs the console in Chromium
and writes small palette PNGs to docs/img/. Run by hand after changing the console:

    .venv/bin/python scripts/console-screenshots.py
"""

from __future__ import annotations

import datetime as dt
import http.server
import io
import shutil
import socket
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import uvicorn
from PIL import Image, ImageDraw
from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sitegen.reports.app import create_app  # noqa: E402
from sitegen.reports.settings import load_settings  # noqa: E402

OUT = ROOT / "docs" / "img"
SITE = ROOT / "tests" / "e2e" / "site"
PASSWORD = "a password for the screenshots"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
NOW = dt.datetime(2025, 1, 23, 6, 30, tzinfo=dt.UTC)  # Thursday 14:30 in Shenzhen
REPORTS = [  # (service, description, lat, lng, facility, answers)
    ("toilet_dirty", "男厕地面积水，洗手台附近很滑。", 22.5535, 114.0572, "ft-lianhua-south", {}),
    ("toilet_dirty", "地面湿滑，有异味。", 22.55355, 114.05725, None, {}),
    (
        "toilet_broken",
        "第三个厕位冲水坏了。",
        22.5431,
        114.0579,
        None,
        {"attribute[what]": "flush"},
    ),
    ("water_not_working", "饮水机没有水。", 22.5401, 114.0530, None, {}),
    ("facility_closed", "早上九点仍未开门。", 22.5460, 114.0620, None, {}),
    ("toilet_broken", "门锁坏了，无法锁门。", 22.5490, 114.0660, None, {"attribute[what]": "door"}),
]


class Tiles(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        image = Image.new("RGB", (256, 256), (233, 238, 230))
        draw = ImageDraw.Draw(image)
        for i in range(0, 256, 64):  # a street grid, so the map reads as a map
            draw.line((i, 0, i, 255), fill=(255, 255, 255), width=6)
            draw.line((0, i, 255, i), fill=(255, 255, 255), width=6)
        draw.rectangle((80, 150, 170, 230), fill=(205, 225, 195))
        out = io.BytesIO()
        image.save(out, "PNG")
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()
        self.wfile.write(out.getvalue())

    def log_message(self, *args: object) -> None:
        pass


def serve_tiles() -> str:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Tiles)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}"


def project(root: Path, tiles: str) -> Path:
    folder = root / "site"
    shutil.copytree(SITE, folder)
    text = (
        (folder / "content/site.yaml.in")
        .read_text("utf-8")
        .replace("TILE_URL", f"{tiles}/{{z}}/{{x}}/{{y}}.png")
    )
    (folder / "content/site.yaml").write_text(text, "utf-8")
    (folder / "reports.yaml").write_text(
        "departments:\n"
        "  - code: sanitation\n"
        "    name: {zh-Hans: 福田区环卫所, en: Futian sanitation office}\n"
        "    services: [toilet_dirty, toilet_broken]\n"
        "  - code: water\n"
        "    name: {zh-Hans: 供水所, en: Water works}\n"
        "    services: [water_not_working]\n"
        "deadlines: {default: 40, toilet_dirty: 8, toilet_broken: 16}\n",
        "utf-8",
    )
    return folder


def photo(color: tuple[int, int, int]) -> bytes:
    image = Image.new("RGB", (800, 600), color)
    ImageDraw.Draw(image).rectangle((200, 150, 600, 450), fill=(250, 250, 250))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


def post_report(
    api: str, n: int, report: tuple[str, str, float, float, str | None, dict[str, str]]
) -> str:
    service, description, lat, lng, facility, answers = report
    boundary = "----screenshots"
    fields = {
        "service_code": service,
        "description": description,
        "lat": str(lat),
        "long": str(lng),
        "jurisdiction_id": "sz-test",
        "locale": "zh-Hans",
        "email": "citizen@example.org",
        "idempotency_key": f"screenshot-{n}",
        **answers,
    }
    if facility:
        fields["attribute[facility]"] = facility
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in fields.items()
    ]
    parts.append(
        f"--{boundary}\r\n".encode()
        + b'Content-Disposition: form-data; name="media"; filename="p.jpg"\r\n'
        + b"Content-Type: image/jpeg\r\n\r\n"
        + photo((90 + 20 * n, 140, 180))
        + b"\r\n"
    )
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    request = urllib.request.Request(
        api + "requests.json",
        data=body,
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        import json

        return str(json.load(answer)[0]["service_request_id"])


def shoot(page: Page, name: str, height: int | None = None) -> None:
    clip = {"x": 0, "y": 0, "width": 1280, "height": height} if height else None
    raw = page.screenshot(full_page=False, clip=clip)
    image = (
        Image.open(io.BytesIO(raw))
        .convert("RGB")
        .quantize(colors=128, method=Image.Quantize.MEDIANCUT)
    )
    image.save(OUT / f"{name}.png", optimize=True)
    print(f"docs/img/{name}.png  {(OUT / f'{name}.png').stat().st_size // 1024} KB")


def main() -> None:
    tiles = serve_tiles()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        site = project(root, tiles)
        settings = load_settings(
            site,
            {
                "sqlite_path": root / "r.sqlite3",
                "media_dir": root / "media",
                "submit_per_minute": 0.0,
                "read_per_minute": 0.0,
                "cookie_secure": False,
            },
            environ={},
        )
        clock = {"now": NOW - dt.timedelta(days=1, hours=5)}
        app = create_app(settings, clock=lambda: clock["now"], environ={})
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
        threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True).start()
        while not server.started:
            time.sleep(0.05)
        base = f"http://127.0.0.1:{sock.getsockname()[1]}/"
        try:
            ctx = app.state.reports
            for name, role, dept in (
                ("mei", "supervisor", None),
                ("wang", "handler", "sanitation"),
                ("ada", "admin", None),
            ):
                ctx.accounts.add(
                    name,
                    {"mei": "林美", "wang": "王强", "ada": "陈管理"}[name],
                    ctx.passwords.hash(PASSWORD),
                )
                ctx.accounts.grant(name, "sz-test", role, dept)
            tickets = []
            for n, report in enumerate(REPORTS):
                tickets.append(post_report(base + "open311/v2/", n, report))
                clock["now"] += dt.timedelta(hours=2)
            clock["now"] = NOW
            work(ctx, tickets)
            for device, score in (("a", "2"), ("b", "1"), ("c", "3")):
                body = urllib.parse.urlencode(
                    {
                        "device_id": device,
                        "cleanliness": score,
                        "information": "wrong",
                        "jurisdiction_id": "sz-test",
                    }
                ).encode()
                urllib.request.urlopen(
                    base + "open311/v2/places/ft-lianhua-south/ratings.json", data=body, timeout=20
                ).close()
            photograph(base, tickets)
        finally:
            server.should_exit = True


def work(ctx: object, tickets: list[str]) -> None:
    from sitegen.reports.cases.loop import ActionInput, Actor

    cases = ctx.cases  # type: ignore[attr-defined]
    mei, wang = Actor("mei", "supervisor"), Actor("wang", "handler", "sanitation")
    due = lambda code, start: None  # noqa: E731
    kw = {"departments": ["sanitation", "water"], "due_for": due}
    cases.act(
        tickets[0], "sz-test", "accept", mei, ActionInput(note="已受理，将派环卫所处理。"), **kw
    )
    cases.act(tickets[0], "sz-test", "dispatch", mei, ActionInput(department="sanitation"), **kw)
    cases.act(
        tickets[0], "sz-test", "handle", wang, ActionInput(note="已清理积水并疏通地漏。"), **kw
    )
    cases.add_note(tickets[0], "sz-test", wang, "地漏被树叶堵塞，建议每周检查一次。")
    cases.act(tickets[2], "sz-test", "accept", mei, ActionInput(), **kw)
    cases.act(tickets[3], "sz-test", "accept", mei, ActionInput(), **kw)
    cases.act(tickets[3], "sz-test", "dispatch", mei, ActionInput(department="water"), **kw)
    cases.set_priority(tickets[2], "sz-test", mei, "high")


def photograph(base: str, tickets: list[str]) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 860}, locale="zh-CN")
        page.goto(base + "staff/login?lang=zh-Hans")
        shoot(page, "staff-login", height=560)
        page.get_by_label("用户名").fill("mei")
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.wait_for_selector("#queue-map[data-drawn]")
        page.wait_for_load_state("networkidle")
        shoot(page, "staff-queue")
        page.goto(f"{base}staff/sz-test/requests/{tickets[0]}?lang=zh-Hans")
        page.wait_for_selector("#case-map[data-drawn]")
        page.wait_for_load_state("networkidle")
        shoot(page, "staff-case")
        page.goto(f"{base}staff/sz-test/requests/{tickets[2]}?lang=en")
        page.wait_for_load_state("networkidle")
        shoot(page, "staff-case-en")
        page.goto(f"{base}staff/sz-test/places?lang=zh-Hans")
        shoot(page, "staff-places", height=300)
        browser.close()


if __name__ == "__main__":
    main()
