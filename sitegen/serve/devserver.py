"""``sitegen serve``: build, serve the output on loopback, rebuild when sources change.

A failed rebuild prints its problems and keeps serving the last good build: the output
folder is only ever swapped whole (see build/output.py). With live reload, the dev server adds a
small script to HTML responses (never to the files on disk): browsers reload after a good
rebuild and show the problems of a failed one over the page.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from watchdog.observers import Observer

from sitegen.build.session import BuildSession
from sitegen.build.stages import build
from sitegen.cache.memo import Memo
from sitegen.errors import ContentError, SitegenError
from sitegen.serve.livereload import DevHandler, LiveReload
from sitegen.serve.static import SiteServer, StaticHandler
from sitegen.serve.watch import Rebuilder


class DevServer:
    """Builds a project, serves the last good build and rebuilds when its sources change."""

    def __init__(
        self, project_dir: Path, host: str = "127.0.0.1", port: int = 8000, reload: bool = True
    ) -> None:
        self.project_dir = project_dir
        self.out = (project_dir / ".sitegen-serve").resolve()
        self.live = LiveReload() if reload else None
        self._output_lock = threading.Lock()
        handler: Callable[..., StaticHandler]
        if self.live is not None:
            handler = functools.partial(
                DevHandler, directory=str(self.out), live=self.live, output_lock=self._output_lock
            )
        else:
            handler = functools.partial(StaticHandler, directory=str(self.out))
        self.httpd = SiteServer((host, port), handler)
        self.base_url = f"http://{host}:{self.httpd.server_address[1]}/"
        self._build_lock = threading.Lock()  # a debounced rebuild may fire while one runs
        # Kept between rebuilds: an edit redoes only its own work (sitegen/cache/memo.py). A local
        # preview needs no .gz/.br copies.
        self.session = BuildSession(compress=False, keep_heap_frozen=True, save_record=False)
        self._observer: Any = None

    def start(self) -> None:
        """The first build (which must succeed: nothing to serve otherwise), then watching."""
        try:
            build(self.project_dir, self.out, self.base_url, session=self.session)
        except BaseException:
            self.httpd.server_close()
            raise
        self._observer = Observer()
        events = Rebuilder(self.rebuild, self.forget_memo)
        for folder in ("content", "themes"):
            if (self.project_dir / folder).is_dir():
                self._observer.schedule(events, str(self.project_dir / folder), recursive=True)
        self._observer.start()

    def forget_memo(self) -> None:
        with self._build_lock:
            self.session.memo = Memo()

    def rebuild(self) -> bool:
        """Rebuild now; browsers reload on success and show the problems on failure."""
        with self._build_lock:
            problems: list[str] = []
            try:
                result = build(
                    self.project_dir,
                    self.out,
                    self.base_url,
                    commit_lock=self._output_lock,
                    session=self.session,
                )
            except ContentError as exc:
                problems = [str(p) for p in exc.problems]
                for line in problems:
                    print(line, flush=True)
                print("Rebuild failed; still serving the last good build.", flush=True)
            except SitegenError as exc:
                problems = [f"error: {exc}"]
                print(problems[0], flush=True)
            if problems:
                if self.live is not None:
                    self.live.failed(problems)
                return False
            print(
                f"Rebuilt in {result.seconds:.2f} s: {result.rendered} of {result.pages} pages "
                f"rendered, {result.stats.written} files written",
                flush=True,
            )
            if self.live is not None:
                self.live.succeeded()
            return True

    def serve_forever(self) -> None:
        self.httpd.serve_forever()

    def close(self) -> None:
        """Stop watching and serving (from another thread, or after ``serve_forever`` ended)."""
        if self.session.cache is not None:
            self.session.cache.save()  # the pinyin readings, left out of each rebuild
        if self.live is not None:
            self.live.close()  # ends the event streams, which would keep threads busy
        if self._observer is not None:
            self._observer.stop()
        self.httpd.shutdown()
        self.httpd.server_close()


def serve(
    project_dir: Path, host: str = "127.0.0.1", port: int = 8000, reload: bool = True
) -> None:
    """Serve the site at ``http://host:port/`` until interrupted."""
    server = DevServer(project_dir, host, port, reload)
    print(f"Building {project_dir.resolve()} ...", flush=True)
    server.start()
    print(f"Serving {project_dir.resolve()} at {server.base_url} (Ctrl+C to stop)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
