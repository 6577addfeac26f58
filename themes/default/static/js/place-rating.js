// "Rate this place" (互动评价): cleanliness 1-5 and "is the information right?", sent to the
// report endpoint without a full report, at most once per device and place (a new rating from
// the same device replaces its last one, on the server too). Shows the place's aggregate (the
// one baked into the page by `sitegen build --ratings`, then the live one when online).
//
// Self-contained, with no imports: the name-card pages have no import map.
//
// Entry point for other pages (e.g. the map's name-card sheet):
//
//   import { mountPlaceRating } from "app/place-rating.js";
//   const widget = mountPlaceRating(element, { endpoint, jurisdiction, facility, locale, strings, eager });
//   widget.refresh();   // fetch the live aggregate again
//   widget.destroy();   // remove its listeners (the element is left as it is)
//
// The live aggregate is fetched when `element` first comes on screen, or at once with
// `eager: true` (a sheet that shows the widget as it mounts it).
//
// `element` may be empty: the widget then builds its own form from `strings` (the theme's
// place_rating_* strings without the prefix, plus `heading`, `cleanliness`, `information`,
// `right`, `wrong`, `send`). Elements marked `data-place-rating data-autostart` (the card
// page's templates/_place-rating.html) are mounted when this module loads.

const DEVICE_KEY = "sitegen-device-id";
const MINE_KEY = "sitegen-place-ratings";
const MAX_REMEMBERED = 500;

function deviceId() {
  try {
    let id = localStorage.getItem(DEVICE_KEY);
    if (!id) {
      id = crypto.randomUUID ? crypto.randomUUID() : Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
      localStorage.setItem(DEVICE_KEY, id);
    }
    return id;
  } catch {
    return ""; // no storage: the server falls back to the address and browser
  }
}

function remember(facility, choice) {
  try {
    const mine = JSON.parse(localStorage.getItem(MINE_KEY) || "{}");
    mine[facility] = { ...choice, at: Date.now() };
    const names = Object.keys(mine);
    for (const old of names.slice(0, Math.max(0, names.length - MAX_REMEMBERED))) delete mine[old];
    localStorage.setItem(MINE_KEY, JSON.stringify(mine));
  } catch {
    // not kept: the rating still counts once on the server
  }
}

function recalled(facility) {
  try {
    return JSON.parse(localStorage.getItem(MINE_KEY) || "{}")[facility] ?? null;
  } catch {
    return null;
  }
}

function fill(text, values) {
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}

/** The summary lines of an aggregate ({ratings, cleanliness: {count, average}, information}). */
export function summaryLines(aggregate, strings) {
  const lines = [];
  const { cleanliness = {}, information = {} } = aggregate ?? {};
  if (cleanliness.average != null) lines.push(fill(strings.summary, { average: cleanliness.average.toFixed(1), count: cleanliness.count }));
  if (information.right || information.wrong) lines.push(fill(strings.information_summary, information));
  return lines.length ? lines : [strings.none];
}

function buildForm(root, o) {
  const s = o.strings;
  const scale = [1, 2, 3, 4, 5].map((n) => `<label><input type="radio" name="cleanliness" value="${n}"> ${n}</label>`).join("");
  root.innerHTML = `<h2></h2><p class="rating-summary" data-rating-summary></p>
    <form class="place-rating-form"><fieldset class="rating-scale"><legend></legend>${scale}</fieldset>
    <fieldset class="rating-information"><legend></legend><label><input type="radio" name="information" value="right"> <span></span></label>
    <label><input type="radio" name="information" value="wrong"> <span></span></label></fieldset>
    <button type="submit"></button><p class="rating-status" role="status" data-rating-status></p></form>`;
  // Texts go in as text, never as markup.
  root.querySelector("h2").textContent = s.heading ?? "";
  root.querySelector(".rating-scale legend").textContent = s.cleanliness ?? "";
  root.querySelector(".rating-information legend").textContent = s.information ?? "";
  const [right, wrong] = root.querySelectorAll(".rating-information span");
  right.textContent = s.right ?? "right";
  wrong.textContent = s.wrong ?? "wrong";
  root.querySelector("button").textContent = s.send ?? "OK";
}

/** Mounts the widget on `element`; returns {refresh, destroy}. */
export function mountPlaceRating(element, options) {
  const o = { ...options };
  if (!element.querySelector("form")) buildForm(element, o);
  const form = element.querySelector("form");
  const summary = element.querySelector("[data-rating-summary]");
  const status = element.querySelector("[data-rating-status]");
  const url = new URL(`places/${encodeURIComponent(o.facility)}/ratings.json`, o.endpoint);
  if (o.jurisdiction) url.searchParams.set("jurisdiction_id", o.jurisdiction);

  const show = (aggregate) => summary.replaceChildren(...summaryLines(aggregate, o.strings).flatMap((line, i) => (i ? [document.createElement("br"), line] : [line])));
  const mine = recalled(o.facility);
  if (mine?.cleanliness) form.querySelector(`input[name=cleanliness][value="${mine.cleanliness}"]`)?.setAttribute("checked", "");
  if (mine?.information) form.querySelector(`input[name=information][value="${mine.information}"]`)?.setAttribute("checked", "");

  async function refresh() {
    if (!navigator.onLine) return;
    try {
      // no-cache: after rating here, a reload must not show an older answer from the cache
      const response = await fetch(url, { credentials: "omit", cache: "no-cache" });
      if (response.ok) show(await response.json());
    } catch {
      // keep what the page shows (the baked aggregate)
    }
  }

  async function submit(event) {
    event.preventDefault();
    const cleanliness = form.elements.cleanliness.value;
    const information = form.elements.information.value;
    if (!cleanliness && !information) {
      status.textContent = o.strings.choose;
      return;
    }
    const body = new URLSearchParams({ device_id: deviceId() });
    if (cleanliness) body.set("cleanliness", cleanliness);
    if (information) body.set("information", information);
    if (o.jurisdiction) body.set("jurisdiction_id", o.jurisdiction);
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    status.textContent = o.strings.sending;
    try {
      const response = await fetch(new URL(url.pathname, url), { method: "POST", body, credentials: "omit" });
      if (!response.ok) throw new Error(String(response.status));
      show(await response.json());
      remember(o.facility, { cleanliness: cleanliness || null, information: information || null });
      status.textContent = o.strings.thanks;
    } catch {
      status.textContent = navigator.onLine ? o.strings.failed : o.strings.offline;
    } finally {
      button.disabled = false;
    }
  }

  form.addEventListener("submit", submit);
  // The live aggregate is asked for once the section is on screen: a card opened and left at
  // its top costs the server nothing. `eager` (a sheet already showing it) asks at once.
  let watcher = null;
  if (!o.eager && "IntersectionObserver" in globalThis) {
    watcher = new IntersectionObserver((seen) => {
      if (!seen.some((entry) => entry.isIntersecting)) return;
      watcher.disconnect();
      refresh();
    });
    watcher.observe(element);
  } else {
    refresh();
  }
  const destroy = () => {
    form.removeEventListener("submit", submit);
    watcher?.disconnect();
  };
  return { refresh, destroy };
}

function optionsOf(root) {
  const d = root.dataset;
  const strings = JSON.parse(root.querySelector("script[data-rating-strings]")?.textContent || "{}");
  return { endpoint: d.endpoint, jurisdiction: d.jurisdiction, facility: d.facility, locale: d.locale, strings };
}

if (typeof document !== "undefined") {
  for (const root of document.querySelectorAll("[data-place-rating][data-autostart]")) mountPlaceRating(root, optionsOf(root));
}
