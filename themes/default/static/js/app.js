// The home page app: reads the page config and wires the modules together, keeping the URL,
// the map, the sheet's list and the name card in step with one state object (state.js).
//
// The list and the search come first: their data is asked for with the page, and they never
// wait for the map. Leaflet and the clustering load after the first paint; when they or the
// tiles fail, the list, "Nearest to me" and search carry on.

import { createCard } from "app/card.js";
import { createCardDetails } from "app/card-details.js";
import { createCardSheet, sharePage } from "app/card-sheet.js";
import { everyMinute } from "app/clock.js";
import { createStore } from "app/data.js";
import { createFilterControls, compileFilter } from "app/filters.js";
import { createFinder } from "app/finder.js";
import { bearing, distance } from "app/geo.js";
import { createHours } from "app/hours.js";
import { translator } from "app/i18n.js";
import { createList } from "app/list.js";
import { loadMap } from "app/map-loader.js";
import { syncLanguageLinks, wireMenus } from "app/menus.js";
import { offerAreaDownload } from "app/offline.js";
import { createPlaces } from "app/places.js";
import { knownPosition, locate } from "app/position.js";
import { createSearchBox } from "app/search-box.js";
import { createSheet } from "app/sheet.js";
import { readState, stateSuffix } from "app/state.js";
import { createStatus } from "app/status.js";
import { afterPaint, nextTask } from "app/tasks.js";
import { visibleCentre } from "app/tile-warmup.js";

const $ = (id) => document.getElementById(id);
const config = JSON.parse($("sitegen-config").textContent);
const t = translator(config.strings);
const categories = config.categories;
const state = readState(location, categories);
const store = createStore(config);
const status = createStatus($("app-status"), t);
let hours = null; // hours.js, once hours.json is in
let map = null; // map.js, once Leaflet is up
let pins = { items: [], fit: false }; // the listed places, for the map once it is up

const hoursReady = store
  .hours()
  .then((table) => {
    hours = createHours(table, config.timezone);
  })
  .catch(() => {});

function openState(points, i) {
  if (!points.h) return null;
  return hours ? hours.state(points.h[i]) : -1;
}

function writeUrl({ push = false } = {}) {
  if (map) state.view = map.view();
  const suffix = stateSuffix(state, categories, config.tiles[0]?.id);
  const url = location.pathname + suffix;
  if (push) history.pushState({ card: true }, "", url);
  else history.replaceState(history.state, "", url);
  syncLanguageLinks(suffix);
}

// -- the sheet, its list and its card ----------------------------------------------------

const sheetBody = $("sheet-body");
const sheet = createSheet({
  element: $("sheet"),
  grip: $("sheet-grip"),
  topbar: $("topbar"),
  map: $("map-shell"),
  t,
});

const finder = createFinder(store, categories);
const list = createList({
  list: $("results-list"),
  more: $("results-more"),
  t,
  openState,
  onOpen: (points, i, button) => cards.open(points, i, button),
  onMore: () => {
    places.more();
    places.render();
  },
});

const places = createPlaces({
  config,
  store,
  state,
  list,
  heading: $("results-heading"),
  note: $("results-note"),
  t,
  getHours: () => hours,
  finder,
  onResults: (items, { fit }) => {
    pins = { items, fit };
    drawPins();
  },
  onShowAll: () => {
    state.open = false;
    filtersChanged("open");
  },
});

function drawPins() {
  if (!map) return;
  const { items, fit } = pins;
  map.showResults(
    items.map(({ points, i }) => ({
      lng: points.coords[2 * i],
      lat: points.coords[2 * i + 1],
      category: categories.indexOf(points.category),
      ref: i,
      key: `${points.category.id}/${points.ids[i]}`,
    })),
  );
  const origin = places.origin();
  map.showPlace(...(places.mode() === "near" && origin.kind === "place" ? [origin.lng, origin.lat] : [null]));
  if (fit && items.length && !cards.current()) {
    // The first rows, with the point they are measured from when it is a person or a place.
    const from = places.mode() === "near" && ["person", "place"].includes(origin.kind);
    const first = items.slice(0, from ? 3 : 5).map(({ points, i }) => [points.coords[2 * i], points.coords[2 * i + 1]]);
    map.fit(from ? [[origin.lng, origin.lat], ...first] : first);
  }
  pins.fit = false;
}

/** The list as it is now, from the top, with its first rows in view. */
function showList({ fit = false } = {}) {
  if (!cards.current()) {
    sheet.atLeast("half"); // first: the map fits the rows into what the sheet leaves of it
    sheetBody.scrollTop = 0;
  }
  places.render({ fit });
}

const details = createCardDetails({
  element: $("card-details"),
  store,
  hours: () => hours,
  t,
  online: () => navigator.onLine,
});

const card = createCard({
  element: $("card"),
  t,
  locale: config.locale,
  report: config.report,
  details,
  place: (points, i) => {
    const person = places.person();
    const x = points.coords[2 * i];
    const y = points.coords[2 * i + 1];
    return {
      openState: openState(points, i),
      today: points.h && hours ? hours.today(points.h[i]) : null,
      way: person ? { dist: distance(person.lng, person.lat, x, y), bearing: bearing(person.lng, person.lat, x, y) } : null,
    };
  },
  onClose: () => cards.close(),
  onFull: (on) => cards.full(on),
  onShare: ({ points }, note) => sharePage(new URL(card.pageUrl(), location.href).href, $("card-title").textContent, note, t),
});

const cards = createCardSheet({
  card,
  sheet,
  body: sheetBody,
  state,
  store,
  categories,
  writeUrl,
  getMap: () => map,
  say: status.say,
  t,
});

// -- loading and drawing ----------------------------------------------------------------

function shownSets() {
  const hitSets = places.hitSets();
  if (hitSets) return hitSets;
  return state.cats
    .map((id) => store.loaded(id))
    .filter(Boolean)
    .map((points) => ({ points, pass: compileFilter(points, state, hours) }));
}

function countShown() {
  let count = 0;
  for (const { points, pass } of shownSets()) {
    if (!pass) count += points.n;
    else for (let i = 0; i < points.n; i++) if (pass(i)) count++;
  }
  return count;
}

let updates = 0;
/** Loads what the list needs, then redraws the list, its pins and the map. */
async function update({ announce = false, fit = false } = {}) {
  const token = ++updates;
  const wanted = places.needed();
  const pending = wanted.filter((category) => !store.loaded(category.id)?.text);
  if (pending.length) status.say(t("loading"));
  await hoursReady;
  const loaded = await Promise.allSettled(wanted.map((category) => store.withText(category)));
  if (token !== updates) return;
  showList({ fit });
  map?.showPoints(shownSets());
  const failed = wanted.filter((_, n) => loaded[n].status === "rejected");
  if (failed.length) status.say(t("load_failed", { names: failed.map((category) => category.name).join(", ") }));
  else if (announce || pending.length) status.say(t("showing_count", { count: countShown() }));
}

async function runSearch({ announce = true } = {}) {
  const token = ++updates;
  if (state.q.trim()) status.say(t("searching"));
  await hoursReady;
  const ok = await places.search();
  if (token !== updates) return;
  if (!ok) status.say(t("search_unavailable"));
  if (places.mode() !== "search") return update({ announce });
  if (cards.current()) cards.hide();
  showList({ fit: true });
  map?.showPoints(shownSets());
  if (announce) status.say(t("results_count", { count: list.count() }));
}

// -- search, nearest, filters -----------------------------------------------------------

const searchBox = createSearchBox({
  form: $("app-search-form"),
  input: $("app-search"),
  clear: $("app-search-clear"),
  // The search data (every kind's names and pinyin) is asked for as soon as the box is used.
  onFocus: () => finder.prepare(state.chosen ? state.cats.map((id) => categories.find((c) => c.id === id)) : categories).catch(() => {}),
  onQuery: (text) => {
    state.q = text;
    writeUrl();
    runSearch();
  },
});

function setPerson(position) {
  places.setPerson(position);
  map?.showUser(position.lng, position.lat, position.accuracy);
}

$("app-nearest").addEventListener("click", async () => {
  status.say(t("locating"));
  let origin;
  try {
    const position = await locate();
    setPerson(position);
    origin = { kind: "person", lng: position.lng, lat: position.lat };
  } catch {
    const centre = map ? map.centre() : { lng: config.map.center[0], lat: config.map.center[1] };
    origin = { kind: "fallback", ...centre };
  }
  searchBox.set("");
  state.q = "";
  state.near = null;
  if (cards.current()) cards.hide();
  places.near(origin);
  writeUrl();
  await update({ fit: true });
  $("results-heading").focus();
  const messages = { person: "nearest_listed", fallback: map ? "location_fallback_map" : "location_fallback_centre" };
  status.say(t(messages[origin.kind]));
});

const controls = createFilterControls({
  chips: $("app-chips"),
  kindsSummaryEl: $("app-kinds-summary"),
  fields: $("app-filter-fields"),
  summary: $("app-filters-summary"),
  openNow: $("app-open"),
  categories,
  state,
  t,
  onChange: (kind) => filtersChanged(kind),
});

function filtersChanged() {
  controls.render();
  writeUrl();
  if (places.mode() === "search") runSearch();
  else update({ announce: true });
}

// -- the map ----------------------------------------------------------------------------

let moveTimer = 0;
function mapMoved() {
  writeUrl();
  clearTimeout(moveTimer);
  moveTimer = setTimeout(() => {
    if (places.centreMoved(map.centre())) places.render();
  }, 250);
}

// What the "map unavailable" notice covers of the map (measured as it is shown): the map
// fits places below it, as it does below the search bar.
let noticeBottom = 0;

function mapAvailable(ok) {
  const notice = $("map-notice");
  notice.hidden = ok;
  noticeBottom = ok ? 0 : notice.getBoundingClientRect().bottom;
  status.mapDown(!ok);
}

async function startMap() {
  map = await loadMap(config, {
    element: $("map"),
    t,
    view: state.view,
    onSelect: (categoryIndex, i) => {
      const points = store.loaded(categories[categoryIndex].id);
      if (points) cards.open(points, i, null);
    },
    onMove: mapMoved,
    onAvailability: mapAvailable,
    occluded: () => {
      const covered = sheet.occluded();
      return { ...covered, top: Math.max(covered.top, noticeBottom) };
    },
  });
  if (!map) {
    $("map-shell").classList.add("map-failed");
    mapAvailable(false);
    return;
  }
  const person = places.person();
  if (person) map.showUser(person.lng, person.lat, person.accuracy);
  // Offline (offline.js): "Keep this area offline" for tile layers with prefetch: true.
  offerAreaDownload({ container: $("results"), tiles: config.tiles, view: () => map.view(), element: $("map"), t, say: status.say });
  await afterPaint();
  if (places.centreMoved(map.centre())) places.render();
  else drawPins();
  await nextTask();
  map.showPoints(shownSets());
  const open = cards.current();
  if (open) map.select(open.points.coords[2 * open.i], open.points.coords[2 * open.i + 1]);
}

// -- history and the clock --------------------------------------------------------------

window.addEventListener("popstate", () => {
  const next = readState(location, categories);
  const before = stateSuffix({ ...state, card: "", full: false, view: null }, categories, "");
  Object.assign(state, { cats: next.cats, chosen: next.chosen, open: next.open, filters: next.filters, q: next.q });
  searchBox.set(state.q);
  controls.render();
  if (stateSuffix({ ...state, card: "", full: false, view: null }, categories, "") !== before) runSearch({ announce: false });
  if (next.card && next.card !== state.card) {
    state.full = next.full;
    cards.openById(next.card, { push: false });
  } else if (!next.card && state.card) {
    cards.hide();
  }
  writeUrl(); // keeps the map where it is rather than jumping to the older view
});

everyMinute(() => {
  if (!hours?.refresh()) return;
  places.render();
  if (state.open) map?.showPoints(shownSets());
  card.refresh();
});

// -- start ------------------------------------------------------------------------------

wireMenus();
sheetBody.append(...document.querySelectorAll("body > .site-footer")); // data sources in the sheet
searchBox.set(state.q);
writeUrl();
// The first list is near the centre of what the map will show (the part the sheet leaves),
// so that it need not be made again once Leaflet is up.
const shownCentre = visibleCentre(config, state.view, $("map").clientWidth, $("map").clientHeight, sheet.occluded());
if (state.near) places.near({ kind: "place", ...state.near });
else if (shownCentre) places.near({ kind: "centre", ...shownCentre });
else if (state.view) places.near({ kind: "centre", lng: state.view.lng, lat: state.view.lat });
if (state.q) runSearch({ announce: false });
else update({ fit: Boolean(state.near) });
if (state.card) cards.openById(state.card, { push: false });
startMap();
knownPosition().then((position) => {
  if (!position) return;
  setPerson(position);
  // Opened without a view or a place of its own: start from where the person is, as map
  // apps do.
  if (!state.view && !state.near && places.mode() === "near") {
    places.near({ kind: "person", lng: position.lng, lat: position.lat });
    update({ fit: true });
  } else {
    places.render();
  }
  card.refresh();
});
