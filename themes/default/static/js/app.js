// The home page app: reads the page config, wires the modules together and keeps the URL, the
// map, the list and the name card in step with one state object (see state.js).
//
// The list never waits for the map: Leaflet is imported on its own, and when it or the tiles
// fail the list, "nearest to me" and search carry on with the config's centre.

import { compileFilter, createFilterControls } from "app/filters.js";
import { createFinder } from "app/finder.js";
import { bearing, distance } from "app/geo.js";
import { createHours } from "app/hours.js";
import { translator } from "app/i18n.js";
import { createList } from "app/list.js";
import { locate, nearest } from "app/nearest.js";
import { createSheet } from "app/sheet.js";
import { offerAreaDownload } from "app/offline.js";
import { createStore, indexOfId } from "app/data.js";
import { readState, stateSuffix, syncLanguageLinks } from "app/state.js";

const PAGE = 10; // rows of the nearest list, and how many more "show more" adds
const MAX_ROWS = 100;
const SEARCH_LIMIT = 500; // hits asked of search.js before the filters thin them out

const $ = (id) => document.getElementById(id);
const config = JSON.parse($("sitegen-config").textContent);
const t = translator(config.strings);
const categories = config.categories;
const byId = new Map(categories.map((category) => [category.id, category]));
const configCentre = { lng: config.map.center[0], lat: config.map.center[1] };

const state = readState(location, categories);
const store = createStore(config);
const finder = createFinder(store, categories);
let hours = null; // hours.js, once hours.json is in
let map = null; // map.js, once Leaflet is up
let mapDown = false; // Leaflet or the tiles failed
let origin = { kind: "centre", ...configCentre }; // where the list measures from
let rows = PAGE;
let hits = null; // search results while a query is active
let textsWanted = false; // names are fetched when the list comes into view or is asked for

// -- helpers -------------------------------------------------------------------------

/** Tells the live region; while the map is down every message says so too. */
function say(message) {
  const parts = [message];
  if (mapDown && message !== t("map_unavailable")) parts.push(t("map_unavailable"));
  $("app-status").textContent = parts.filter(Boolean).join(" ");
}

function shown() {
  return state.cats.map((id) => byId.get(id));
}

/** The shown categories whose points are in, each with its filter test. */
function sets() {
  return shown()
    .map((category) => store.loaded(category.id))
    .filter(Boolean)
    .map((points) => ({ points, pass: compileFilter(points, state, hours) }));
}

function openState(points, i) {
  if (!points.h) return null;
  return hours ? hours.state(points.h[i]) : -1;
}

function todaySpans(points, i) {
  return points.h && hours ? hours.today(points.h[i]) : null;
}

function writeUrl({ push = false } = {}) {
  if (map) state.view = map.view();
  const suffix = stateSuffix(state, categories, config.tiles[0]?.id);
  const url = location.pathname + suffix;
  if (push) history.pushState({ card: true }, "", url);
  else history.replaceState(history.state, "", url);
  syncLanguageLinks(suffix);
}

function countShown() {
  let count = 0;
  for (const { points, pass } of sets()) {
    if (!pass) count += points.n;
    else for (let i = 0; i < points.n; i++) if (pass(i)) count++;
  }
  return count;
}

// -- list ----------------------------------------------------------------------------

const list = createList({
  heading: $("results-heading"),
  list: $("results-list"),
  more: $("results-more"),
  t,
  openState,
  onOpen: (points, i, button) => openCard(points, i, button),
  onMore: () => {
    rows = Math.min(rows + PAGE, MAX_ROWS);
    renderList();
  },
});

/** A list entry for a search hit, with the way to it when the person's position is known. */
function measured(points, i) {
  const entry = { points, i };
  if (origin.kind !== "centre") {
    const [x, y] = [points.coords[2 * i], points.coords[2 * i + 1]];
    entry.dist = distance(origin.lng, origin.lat, x, y);
    entry.bearing = bearing(origin.lng, origin.lat, x, y);
  }
  return entry;
}

function renderList() {
  if (!textsWanted) return;
  const ready = sets().filter(({ points }) => points.text);
  const empty = state.cats.length ? t("no_results") : t("no_categories");
  if (hits) {
    const tests = new Map(ready.map(({ points, pass }) => [points.category.id, { points, pass }]));
    const items = [];
    for (const hit of hits) {
      const set = tests.get(hit.category);
      if (set && (!set.pass || set.pass(hit.index))) items.push(measured(set.points, hit.index));
      if (items.length > rows) break;
    }
    list.show({
      title: t("results_for", { query: state.q.trim() }),
      items: items.slice(0, rows),
      canMore: items.length > rows && rows < MAX_ROWS,
      empty,
    });
    return;
  }
  const items = nearest(ready, origin.lng, origin.lat, rows);
  if (origin.kind === "centre") for (const item of items) delete item.dist;
  const titles = { centre: "near_centre", fallback: map ? "near_map_centre" : "near_city_centre", person: "near_you" };
  list.show({
    title: t(titles[origin.kind]),
    items,
    canMore: items.length === rows && rows < MAX_ROWS,
    empty,
  });
}

// -- the map -------------------------------------------------------------------------

function showOnMap() {
  map?.showPoints(sets());
}

function mapAvailable(ok) {
  const wasDown = mapDown;
  mapDown = !ok;
  $("map-notice").hidden = ok;
  if (!ok) say(t("map_unavailable"));
  else if (wasDown) say(""); // the tiles came back after all
}

let moveTimer = 0;
function mapMoved() {
  writeUrl();
  if (origin.kind !== "centre" || hits) return;
  clearTimeout(moveTimer);
  moveTimer = setTimeout(() => {
    origin = { kind: "centre", ...map.centre() };
    renderList();
  }, 250);
}

async function startMap() {
  try {
    const { createMap } = await import("app/map.js");
    map = createMap({
      element: $("map"),
      config,
      t,
      view: state.view,
      onSelect: (categoryIndex, i) => {
        const points = store.loaded(categories[categoryIndex].id);
        if (points) openCard(points, i, null);
      },
      onMove: mapMoved,
      onAvailability: mapAvailable,
    });
  } catch {
    $("map").closest(".map-shell").classList.add("map-failed");
    mapAvailable(false);
    return;
  }
  if (origin.kind === "centre") origin = { kind: "centre", ...map.centre() };
  // Offline (offline.js): "Keep this area offline" for tile layers with prefetch: true.
  offerAreaDownload({
    container: document.querySelector(".finder .actions"),
    tiles: config.tiles,
    view: () => map.view(),
    element: $("map"),
    t,
    say,
  });
  showOnMap();
  const card = sheet.current();
  if (card) map.select(card.points.coords[2 * card.i], card.points.coords[2 * card.i + 1]);
}

// -- loading and redrawing -----------------------------------------------------------

const hoursReady = store
  .hours()
  .then((table) => {
    hours = createHours(table, config.timezone);
  })
  .catch(() => {});

let updates = 0;
/** Loads what the shown categories need, then redraws the map and the list. */
async function update({ announce = false } = {}) {
  const token = ++updates;
  const wanted = shown();
  const pending = wanted.filter((category) => {
    const points = store.loaded(category.id);
    return !points || (textsWanted && !points.text);
  });
  if (pending.length) say(t("loading"));
  await hoursReady;
  const points = await Promise.allSettled(wanted.map((category) => store.points(category)));
  if (token !== updates) return;
  showOnMap();
  let texts = [];
  if (textsWanted) {
    texts = await Promise.allSettled(wanted.map((category) => store.withText(category)));
    if (token !== updates) return;
    await runSearch(); // the shown categories may have changed
    renderList();
  }
  const failed = wanted.filter((_, n) => points[n].status === "rejected" || texts[n]?.status === "rejected");
  if (failed.length) say(t("load_failed", { names: failed.map((category) => category.name).join(", ") }));
  else if (announce || pending.length) say(t("showing_count", { count: countShown() }));
}

/** The list needs the names (the text files, the largest download): fetched once it is near. */
function wantTexts() {
  if (textsWanted) return;
  textsWanted = true;
  update();
}

// -- the name card -------------------------------------------------------------------

const sheet = createSheet({
  dialog: $("sheet"),
  t,
  report: config.report,
  openState,
  todaySpans,
  onClose: () => {
    state.card = "";
    map?.unselect();
    if (history.state?.card) history.back();
    else writeUrl();
  },
});

async function openCard(points, i, opener, { push = true } = {}) {
  if (!points.text) await store.withText(points.category).catch(() => {});
  sheet.open(points, i, opener);
  const wasOpen = Boolean(state.card);
  state.card = `${points.category.id}/${points.ids[i]}`;
  // The new entry first: moving the map rewrites the current entry's URL, which must stay
  // the one without the card for Back to close it.
  writeUrl({ push: push && !wasOpen });
  map?.select(points.coords[2 * i], points.coords[2 * i + 1]);
}

/** Opens the card named in the URL: "CATEGORY/ID", or a bare ID looked up in every category. */
async function openCardById(card, options) {
  const slash = card.indexOf("/");
  const id = slash < 0 ? card : card.slice(slash + 1);
  const candidates = slash < 0 ? categories : [byId.get(card.slice(0, slash))].filter(Boolean);
  for (const category of candidates) {
    const points = await store.points(category).catch(() => null);
    const i = points ? indexOfId(points, id) : -1;
    if (i >= 0) return openCard(points, i, null, options);
  }
  state.card = "";
  writeUrl();
  say(t("card_not_found"));
}

// -- search --------------------------------------------------------------------------

const searchBox = $("app-search");
let searchTimer = 0;

async function runSearch() {
  const query = state.q.trim();
  if (!query) {
    hits = null;
    return;
  }
  let engine;
  try {
    engine = await finder.prepare(shown());
  } catch {
    say(t("search_unavailable"));
    hits = null;
    return;
  }
  if (query !== state.q.trim()) return;
  hits = engine.search(query, { limit: SEARCH_LIMIT, categories: new Set(state.cats) });
}

async function searchNow() {
  clearTimeout(searchTimer);
  textsWanted = true;
  state.q = searchBox.value;
  rows = PAGE;
  writeUrl();
  if (state.q.trim()) say(t("searching"));
  await runSearch();
  renderList();
  if (hits) say(t("results_count", { count: list.count() }));
}

searchBox.addEventListener("focus", () => finder.prepare(shown()).catch(() => {}), { once: true });
searchBox.addEventListener("input", () => {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(searchNow, 200);
});
$("app-search-form").addEventListener("submit", (event) => {
  event.preventDefault();
  searchNow();
});

// -- nearest to me -------------------------------------------------------------------

$("app-nearest").addEventListener("click", async () => {
  say(t("locating"));
  try {
    const position = await locate();
    origin = { kind: "person", ...position };
    map?.showUser(position.lng, position.lat);
  } catch {
    origin = { kind: "fallback", ...(map ? map.centre() : configCentre) };
  }
  searchBox.value = "";
  state.q = "";
  hits = null;
  rows = PAGE;
  textsWanted = true;
  writeUrl();
  await update();
  const items = nearest(sets(), origin.lng, origin.lat, 3);
  map?.fit([[origin.lng, origin.lat], ...items.map(({ points, i }) => [points.coords[2 * i], points.coords[2 * i + 1]])]);
  const messages = { person: "nearest_listed", fallback: map ? "location_fallback_map" : "location_fallback_centre" };
  say(t(messages[origin.kind]));
});

// -- filters, history and the clock --------------------------------------------------

const controls = createFilterControls({
  chips: $("app-chips"),
  fields: $("app-filter-fields"),
  summary: $("app-filters-summary"),
  openNow: $("app-open"),
  categories,
  state,
  t,
  onChange: () => {
    controls.render();
    rows = PAGE;
    writeUrl();
    update({ announce: true });
  },
});

window.addEventListener("popstate", () => {
  const next = readState(location, categories);
  const before = stateSuffix({ ...state, card: "", view: null }, categories, "");
  Object.assign(state, { cats: next.cats, open: next.open, filters: next.filters, q: next.q });
  searchBox.value = state.q;
  controls.render();
  if (stateSuffix({ ...state, card: "", view: null }, categories, "") !== before) {
    if (state.q) textsWanted = true;
    update();
  }
  if (next.card && next.card !== state.card) {
    openCardById(next.card, { push: false });
  } else if (!next.card && state.card) {
    state.card = "";
    sheet.close();
    map?.unselect();
  }
  writeUrl(); // keeps the map where it is rather than jumping to the older view
});

function tick() {
  if (hours?.refresh()) {
    if (state.open) showOnMap();
    renderList();
    sheet.refresh();
  }
}
(function everyMinute() {
  setTimeout(() => {
    tick();
    everyMinute();
  }, 60000 - (Date.now() % 60000) + 100);
})();
document.addEventListener("visibilitychange", () => {
  if (!document.hidden) tick();
});

// -- start ---------------------------------------------------------------------------

for (const node of document.querySelectorAll("[data-app]")) node.hidden = false;
document.body.classList.add("app-on");
searchBox.value = state.q;
writeUrl();
startMap();
if (state.q) textsWanted = true;
update();
new IntersectionObserver(
  (entries, observer) => {
    if (!entries.some((entry) => entry.isIntersecting)) return;
    observer.disconnect();
    wantTexts();
  },
  { rootMargin: "300px" },
).observe($("results"));
if (state.card) openCardById(state.card, { push: false });
