"""The incremental planner: from the pages a site has and the record of the last build, which
pages to keep, which to render, and whether to update the output in place or build anew.

Name-card pages are planned by group (a category in a locale): a group whose fingerprints
are the very ones the last build of this process made is kept whole. Every other page is
looked at one by one: kept when its fingerprint equals the recorded one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sitegen.build.fingerprints import Dependencies
from sitegen.build.record import BuildState
from sitegen.cache.memo import Memo
from sitegen.render.page import Page
from sitegen.render.renderer import Renderer

# Up to this many pages to render, a build that has the record of the last one updates the
# output folder in place; beyond it, it builds a new folder (on every core) and swaps it in.
IN_PLACE_MAX_PAGES = 2_000

GroupId = tuple[str, str]  # (category id, locale)


@dataclass
class PageGroup:
    """The name-card pages of one category in one locale, as a build made them."""

    fingerprints: dict[str, str]  # page file -> fingerprint
    sizes: dict[str, int] = field(default_factory=dict)  # page file -> size, once written
    record: dict[str, tuple[str, int]] = field(default_factory=dict)


@dataclass
class BuildPlan:
    """What a build will do with each page."""

    in_place: bool  # update the output folder file by file (else: a new folder, swapped in)
    total: int  # pages of the site
    rendered: int  # of them, pages to render
    groups: dict[GroupId, PageGroup]  # every name-card group, for the next build's record
    whole: list[tuple[PageGroup, list[Page]]]  # groups kept as they are (in place only)
    fingerprints: dict[str, str]  # the pages looked at one by one
    cards: list[Page]  # name-card pages to render (or to carry over, in a new folder)
    keep: dict[str, int]  # page file -> size: unchanged, carried over from the last build
    kept_cards: dict[str, int]  # in place: name cards left as they are, not rendered


class IncrementalPlanner:
    """Plans one build against the record of the last one (None: render everything)."""

    def __init__(
        self,
        deps: Dependencies,
        memo: Memo,
        previous: BuildState | None,
        last_groups: dict[GroupId, PageGroup],
    ) -> None:
        self.deps = deps
        self.memo = memo
        self.previous = previous
        self.last_groups = last_groups

    def plan(self, renderer: Renderer) -> BuildPlan:
        deps = self.deps
        guides_key = deps.guides_key(renderer.site.guides)
        groups: dict[GroupId, PageGroup] = {}
        whole: list[tuple[PageGroup, list[Page]]] = []
        fingerprints: dict[str, str] = {}
        cards: list[Page] = []
        for gid, pages in renderer.facility_groups:
            fps: dict[str, str] = self.memo.get(
                "group-fingerprints",
                (deps.site, guides_key, renderer.category_keys[gid[0]], gid[1]),
                lambda pages=pages: {p.output: deps.facility_page(p) for p in pages},  # type: ignore[misc]
                lasting=True,
            )
            last = self.last_groups.get(gid)
            if last is not None and last.fingerprints is fps:
                groups[gid] = last  # every page of the group as it is
                whole.append((last, pages))
                continue
            groups[gid] = PageGroup(fps)
            fingerprints.update(fps)
            cards.extend(pages)
        for page in renderer.pages:
            if page.key[0] != "facility" and (fingerprint := deps.page(page)) is not None:
                fingerprints[page.output] = fingerprint
        keep = self._unchanged(fingerprints)
        total = len(renderer.pages)
        rendered = total - len(keep) - sum(len(g.sizes) for g, _ in whole)
        in_place = self.previous is not None and rendered <= IN_PLACE_MAX_PAGES
        kept_cards: dict[str, int] = {}
        if in_place:
            # Kept pages need no work in place: only the changed ones go on.
            kept_cards = {p.output: keep[p.output] for p in cards if p.output in keep}
            cards = [p for p in cards if p.output not in kept_cards]
        else:
            for group, pages in whole:  # a new folder: every kept page is linked over
                keep.update(group.sizes)
                cards.extend(pages)
            whole = []
        return BuildPlan(
            in_place, total, rendered, groups, whole, fingerprints, cards, keep, kept_cards
        )

    def _unchanged(self, fingerprints: dict[str, str]) -> dict[str, int]:
        """Pages whose fingerprint is the one recorded, with their recorded sizes."""
        keep: dict[str, int] = {}
        if self.previous is not None:
            for rel, fingerprint in fingerprints.items():
                before = self.previous.pages.get(rel)
                if before is not None and before[0] == fingerprint:
                    keep[rel] = before[1]
        return keep
