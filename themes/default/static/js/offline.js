// Offline support, page side (every page loads this; it imports nothing, so it needs no import
// map): registers the service worker (sw.js at the site root, see docs/offline.md), offers the
// update, shows when the phone is offline, asks once for persistent storage, and on the home
// page offers "Keep this area offline" for tile layers that allow prefetching.
//
// Where there is no service worker (some in-app browsers, WeChat on iOS) nothing happens and
// the site works online as before.

// A module has no document.currentScript: the element is found by its data attributes.
const root = document.querySelector("script[data-sw]") ?? { dataset: {} };
const PERSIST_ASKED = "sitegen-persist-asked";
const PREFETCH_ZOOM_LEVELS = 2; // the current zoom and this many closer
const PREFETCH_MAX_ZOOM = 17;
const PREFETCH_MAX_TILES = 600;

// -- offline indicator ---------------------------------------------------------------

function showConnection() {
  const note = document.querySelector("#pwa-offline > span");
  if (note) note.hidden = navigator.onLine;
  document.body?.classList.toggle("is-offline", !navigator.onLine);
}
addEventListener("online", showConnection);
addEventListener("offline", showConnection);
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", showConnection);
else showConnection();

// -- updates -------------------------------------------------------------------------

/** Shows "A new version is available — Reload"; the button activates the waiting worker. */
function offerUpdate(registration) {
  const box = document.querySelector("#pwa-update > p");
  if (!box) return;
  box.hidden = false;
  box.querySelector("button").onclick = () => {
    if (registration.waiting) registration.waiting.postMessage({ type: "skip-waiting" });
    else location.reload();
  };
}

function watchUpdates(registration) {
  if (registration.waiting && navigator.serviceWorker.controller) offerUpdate(registration);
  registration.addEventListener("updatefound", () => {
    const worker = registration.installing;
    worker?.addEventListener("statechange", () => {
      // Without a controller this is the first worker, not an update.
      if (worker.state === "installed" && navigator.serviceWorker.controller) {
        offerUpdate(registration);
      }
    });
  });
}

async function askPersistence() {
  // Once: Safari and Chrome may evict the saved data of a site that is not "persisted".
  try {
    if (localStorage.getItem(PERSIST_ASKED) || !navigator.storage?.persist) return;
    localStorage.setItem(PERSIST_ASKED, "1");
    if (!(await navigator.storage.persisted())) await navigator.storage.persist();
  } catch {
    // Storage blocked (private mode): the site still works online.
  }
}

async function register() {
  const script = root.dataset.sw;
  const scope = root.dataset.scope;
  const locale = new URL(script, location.href).searchParams.get("locale");
  const hadController = Boolean(navigator.serviceWorker.controller);
  let reloading = false;
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    // A new generation took over (the Reload button here or in another tab): reload so the
    // page and its assets come from one generation. The first install is not a change.
    if (!hadController || reloading) return;
    reloading = true;
    location.reload();
  });
  let registration = await navigator.serviceWorker.getRegistration(scope);
  if (registration) {
    // One worker serves the whole site; it precached the locale it was registered from, so a
    // page in another locale asks for its own files (the script URL must stay the same, or
    // the browser would see a new version).
    registration.active?.postMessage({ type: "precache-locale", locale });
    registration.update().catch(() => {});
  } else {
    registration = await navigator.serviceWorker.register(script, { scope });
  }
  watchUpdates(registration);
  askPersistence();
  return registration;
}

/** After the page has loaded: the worker's precache then does not compete with the page. */
function loaded() {
  return document.readyState === "complete"
    ? Promise.resolve()
    : new Promise((resolve) => addEventListener("load", resolve, { once: true }));
}

/** The service worker registration, or null where there is none. */
export const registration =
  "serviceWorker" in navigator && root.dataset.sw
    ? loaded().then(register).catch(() => null)
    : Promise.resolve(null);

// -- keep this area offline ----------------------------------------------------------

function tileRange(zoom, view, width, height) {
  const scale = 256 * 2 ** zoom;
  const x = ((view.lng + 180) / 360) * scale;
  const sin = Math.sin((view.lat * Math.PI) / 180);
  const y = (0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI)) * scale;
  const max = 2 ** zoom - 1;
  const clamp = (n) => Math.min(max, Math.max(0, Math.floor(n / 256)));
  // The view at the current zoom covers width x height pixels; at closer zooms the same area
  // covers more tiles.
  const factor = 2 ** (zoom - view.zoom);
  const w = (width / 2) * factor;
  const h = (height / 2) * factor;
  return { x0: clamp(x - w), x1: clamp(x + w), y0: clamp(y - h), y1: clamp(y + h) };
}

/** The tile URLs of the current view, from its zoom down to a limit, as Leaflet names them. */
export function areaTiles(tile, view, width, height) {
  const urls = [];
  const subdomains = tile.subdomains ?? "abc";
  const top = Math.min(tile.maxZoom ?? 19, PREFETCH_MAX_ZOOM, Math.round(view.zoom) + PREFETCH_ZOOM_LEVELS);
  for (let zoom = Math.round(view.zoom); zoom <= top; zoom++) {
    const { x0, x1, y0, y1 } = tileRange(zoom, view, width, height);
    const count = (x1 - x0 + 1) * (y1 - y0 + 1);
    if (urls.length + count > PREFETCH_MAX_TILES) break; // within the budget: fewer zooms
    for (let x = x0; x <= x1; x++) {
      for (let y = y0; y <= y1; y++) {
        urls.push(
          tile.url
            .replace("{s}", subdomains[Math.abs(x + y) % subdomains.length])
            .replace("{z}", String(zoom))
            .replace("{x}", String(x))
            .replace("{y}", String(y))
            .replace("{-y}", String(2 ** zoom - 1 - y)) // rows from the south (Tencent)
            .replace("{r}", ""),
        );
      }
    }
  }
  return urls;
}

/**
 * Adds the "Keep this area offline" button to `container` while the active tile layer allows
 * prefetching. `view()` is the map's {zoom, lat, lng, layer}; `say(text)` reports progress.
 */
export async function offerAreaDownload({ container, tiles, view, element, t, say }) {
  const reg = await registration;
  if (!reg || !tiles.some((tile) => tile.prefetch)) return;
  const button = document.createElement("button");
  button.type = "button";
  button.className = "action keep-offline";
  button.textContent = t("keep_area_offline");
  const layer = () => tiles.find((tile) => tile.id === view().layer) ?? tiles[0];
  const refresh = () => {
    button.hidden = !layer().prefetch;
  };
  refresh();
  element.addEventListener("click", refresh); // the layers control lives in the map
  container.append(button);
  navigator.serviceWorker.addEventListener("message", (event) => {
    if (event.data?.type !== "prefetch-done") return;
    button.disabled = false;
    const { saved, failed } = event.data;
    say(failed && !saved ? t("area_failed") : t("area_saved", { count: saved }));
  });
  button.addEventListener("click", () => {
    const worker = navigator.serviceWorker.controller ?? reg.active;
    if (!worker || !layer().prefetch) return;
    button.disabled = true;
    say(t("area_saving"));
    const urls = areaTiles(layer(), view(), element.clientWidth, element.clientHeight);
    worker.postMessage({ type: "prefetch-tiles", urls });
  });
}
