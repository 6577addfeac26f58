// The places the sheet lists, and the numbered pins of the same places on the map. Two ways to
// list: nearest to a point (the centre of the visible map as it moves, or the person after
// "Nearest to me"), and search results, over every kind of place unless the person chose kinds.
// Every row measures from the person when their position is known.
//
// "Open now" says what it can honestly say: a kind of place that publishes no hours is named
// as such, with a way to show its places all the same, rather than an empty list.

import { compileFilter, openNowGaps } from "app/filters.js";
import { bearing, distance } from "app/geo.js";
import { nearest } from "app/nearest.js";

export const PAGE = 10; // rows of a list, and how many more "Show more" adds
const MAX_ROWS = 100;
const SEARCH_LIMIT = 500; // hits asked of search.js before the filters thin them out

/**
 * `list` (list.js), `heading` and `note` are the sheet's; `finder` (finder.js) runs searches;
 * `getHours()` gives hours.js once loaded; `onResults(items, {fit})` draws the pins;
 * `onShowAll()` is "Show them all" of the open-now note.
 */
export function createPlaces({ config, store, state, list, heading, note, t, getHours, finder, onResults, onShowAll }) {
  const categories = config.categories;
  const byId = new Map(categories.map((category) => [category.id, category]));
  let mode = "near"; // or "search"
  let origin = { kind: "centre", lng: config.map.center[0], lat: config.map.center[1] };
  let person = null; // {lng, lat, accuracy}
  let hits = null;
  let rows = PAGE;

  const shown = () => state.cats.map((id) => byId.get(id)).filter(Boolean);
  /** The kinds a search covers: all of them, unless the person chose some. */
  const searched = () => (state.chosen ? shown() : categories);

  /** The loaded points (with names) of `list`, each with its filter test. */
  function sets(list) {
    return list
      .map((category) => store.loaded(category.id))
      .filter((points) => points?.text)
      .map((points) => ({ points, pass: compileFilter(points, state, getHours()) }));
  }

  function measured(points, i) {
    const entry = { points, i };
    if (person) {
      const x = points.coords[2 * i];
      const y = points.coords[2 * i + 1];
      entry.dist = distance(person.lng, person.lat, x, y);
      entry.bearing = bearing(person.lng, person.lat, x, y);
    }
    return entry;
  }

  function nearItems(limit) {
    return nearest(sets(shown()), origin.lng, origin.lat, limit).map(({ points, i }) => measured(points, i));
  }

  function searchItems(limit) {
    const tests = new Map(sets(searched()).map((set) => [set.points.category.id, set]));
    const items = [];
    for (const hit of hits ?? []) {
      const set = tests.get(hit.category);
      if (set && (!set.pass || set.pass(hit.index))) items.push(measured(set.points, hit.index));
      if (items.length >= limit) break;
    }
    return items;
  }

  function title() {
    if (mode === "search") return t("results_for", { query: state.q.trim() });
    const titles = { person: "near_you", fallback: "near_map_centre", centre: "near_centre", place: "near_place" };
    return t(titles[origin.kind]);
  }

  /** The open-now note: which shown kinds publish no hours, or only some. */
  function openNote() {
    const cats = mode === "search" ? searched() : shown();
    const gaps = state.open ? openNowGaps(cats.map((c) => store.loaded(c.id)).filter(Boolean)) : [];
    const texts = gaps.map(({ category, kind, count, total }) =>
      t(kind === "none" ? "open_none_published" : "open_some_published", { name: category.name, count, total }),
    );
    note.hidden = !texts.length;
    if (!texts.length) return false;
    const button = Object.assign(document.createElement("button"), { type: "button", className: "action secondary" });
    button.textContent = t("open_show_all");
    button.addEventListener("click", onShowAll);
    note.replaceChildren(...texts.map((text) => Object.assign(document.createElement("p"), { textContent: text })), button);
    return gaps.some((gap) => gap.kind === "none");
  }

  /** Redraws the list and the pins; `fit` makes the map show the first rows. */
  function render({ fit = false } = {}) {
    if (!shown().length && mode === "near") {
      heading.textContent = title();
      note.hidden = true;
      list.show({ items: [], empty: t("no_categories") });
      onResults([], { fit: false });
      return [];
    }
    const items = mode === "search" ? searchItems(rows + 1) : nearItems(rows + 1);
    const published = openNote();
    heading.textContent = title();
    const empty = state.open ? (published ? t("open_none_listed") : t("no_open_now")) : t("no_results");
    const visible = items.slice(0, rows);
    list.show({ items: visible, canMore: items.length > rows && rows < MAX_ROWS, empty });
    onResults(visible, { fit });
    return visible;
  }

  return {
    render,
    mode: () => mode,
    origin: () => origin,
    person: () => person,
    /** Whether the texts of what the list needs are in. */
    ready: () => (mode === "search" ? searched() : shown()).every((c) => store.loaded(c.id)?.text),
    /** The kinds whose data the current list needs. */
    needed: () => (mode === "search" ? searched() : shown()),
    setPerson(position) {
      person = position;
    },
    /** Lists the places nearest to `point` ({kind, lng, lat}). */
    near(point) {
      mode = "near";
      hits = null;
      origin = point;
      rows = PAGE;
    },
    /** The map moved: a list near the centre follows it; false when it is where it was. */
    centreMoved(centre) {
      if (mode !== "near" || origin.kind !== "centre") return false;
      const same = Math.abs(centre.lng - origin.lng) < 1e-9 && Math.abs(centre.lat - origin.lat) < 1e-9;
      origin = { kind: "centre", ...centre };
      return !same;
    },
    /** Runs the search in `state.q`; false when search is not available (search.js failed). */
    async search() {
      const query = state.q.trim();
      rows = PAGE;
      if (!query) {
        mode = "near";
        hits = null;
        return true;
      }
      let engine;
      try {
        engine = await finder.prepare(searched());
      } catch {
        return false;
      }
      if (query !== state.q.trim()) return true; // a newer query is on its way
      mode = "search";
      const only = state.chosen ? new Set(state.cats) : null;
      hits = engine.search(query, { limit: SEARCH_LIMIT, categories: only });
      return true;
    },
    more() {
      rows = Math.min(rows + PAGE, MAX_ROWS);
    },
    /** The hits as [{points, pass}] per kind, for the map to show only them. */
    hitSets() {
      if (mode !== "search") return null;
      const byCategory = new Map();
      for (const hit of hits ?? []) {
        const points = store.loaded(hit.category);
        if (!points) continue;
        if (!byCategory.has(hit.category)) byCategory.set(hit.category, { points, keep: new Set() });
        byCategory.get(hit.category).keep.add(hit.index);
      }
      return [...byCategory.values()].map(({ points, keep }) => {
        const filter = compileFilter(points, state, getHours());
        return { points, pass: (i) => keep.has(i) && (!filter || filter(i)) };
      });
    },
  };
}
