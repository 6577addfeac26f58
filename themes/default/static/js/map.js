// The Leaflet map: tile layers from the config, their failure detection, the clustered
// markers (clustered in cluster-worker.js) and the markers of the open card and the person.
//
// Positions come and go in WGS-84. When the active tile layer is GCJ-02 (mainland Chinese
// tiles), markers are drawn at the points' published GCJ-02 positions, and any other position
// is shifted by the offset of the nearest published point: the offset varies by metres over
// kilometres, so this is exact enough without carrying the GCJ-02 formulas to the browser.

import * as L from "leaflet";
import { around } from "geokdbush";
import { createClusterer } from "app/clusters.js";
import { spatialIndex } from "app/nearest.js";

const TILE_TIMEOUT_MS = 8000;
const FAILURES_AFTER_LOAD = 6; // consecutive tile errors that mean the tiles went away

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function divIcon(className, inner, size) {
  return L.divIcon({ className, html: inner, iconSize: [size, size] });
}

/**
 * A map in `element`; `view` is the initial {zoom, lat, lng, layer} or null. Callbacks:
 * onSelect(categoryIndex, i) for a point's marker, onMove(view) after the view changed,
 * onAvailability(ok) when the tiles start or stop loading.
 */
export function createMap({ element, config, t, view, onSelect, onMove, onAvailability }) {
  const categories = config.categories;
  const [west, south] = config.map.bounds[0];
  const [east, north] = config.map.bounds[1];
  const layers = config.tiles.map((tile) => {
    const credits = [tile.attribution, tile.approval].filter(Boolean).map(escapeHtml);
    const options = { maxZoom: tile.maxZoom ?? 19, attribution: credits.join(" | ") };
    if (tile.subdomains) options.subdomains = tile.subdomains;
    return L.tileLayer(tile.url, options);
  });
  let active = Math.max(0, config.tiles.findIndex((tile) => tile.id === view?.layer));
  let sets = []; // the shown points: [{points, pass}]
  let userMarker = null;
  let userAt = null; // [lng, lat] WGS-84
  let selectedMarker = null;
  let selectedAt = null;

  element.replaceChildren(); // the "needs JavaScript" note
  element.setAttribute("role", "group");
  element.setAttribute("aria-label", t("map_label"));
  const start = view ?? { lat: config.map.center[1], lng: config.map.center[0], zoom: config.map.zoom };
  const map = L.map(element, {
    zoomControl: false,
    layers: [layers[active]],
    maxBounds: L.latLngBounds([south, west], [north, east]).pad(0.5),
    center: [start.lat, start.lng],
    zoom: start.zoom,
  });
  L.control.zoom({ zoomInTitle: t("zoom_in"), zoomOutTitle: t("zoom_out") }).addTo(map);
  if (layers.length > 1) {
    const names = {};
    config.tiles.forEach((tile, n) => { names[escapeHtml(tile.name)] = layers[n]; });
    const control = L.control.layers(names, null, { position: "topright" }).addTo(map);
    const toggle = control.getContainer().querySelector(".leaflet-control-layers-toggle");
    toggle.title = t("map_layers");
    toggle.setAttribute("aria-label", t("map_layers"));
  }
  // The list is the way in for screen readers; the markers only repeat it for the eyes.
  map.getPane("markerPane").setAttribute("aria-hidden", "true");

  // -- GCJ-02 display ------------------------------------------------------------------

  const isGcj = () => config.tiles[active].crs === "gcj02";

  /** The GCJ-02 minus WGS-84 offset of the published point nearest to (lng, lat). */
  function offsetNear(lng, lat) {
    let best = null;
    for (const { points } of sets) {
      if (!points.gcj || !points.n) continue;
      const [i] = around(spatialIndex(points), lng, lat, 1);
      const dx = points.coords[2 * i] - lng;
      const dy = points.coords[2 * i + 1] - lat;
      if (!best || dx * dx + dy * dy < best.d) {
        best = { d: dx * dx + dy * dy, x: points.gcj[2 * i] - points.coords[2 * i], y: points.gcj[2 * i + 1] - points.coords[2 * i + 1] };
      }
    }
    return best ?? { x: 0, y: 0 };
  }

  /** Leaflet LatLng of a WGS-84 position in the active layer's datum. */
  function toMap(lng, lat) {
    if (!isGcj()) return L.latLng(lat, lng);
    const off = offsetNear(lng, lat);
    return L.latLng(lat + off.y, lng + off.x);
  }

  /** WGS-84 {lng, lat} of a Leaflet LatLng. */
  function fromMap(latlng) {
    if (!isGcj()) return { lng: latlng.lng, lat: latlng.lat };
    const off = offsetNear(latlng.lng, latlng.lat);
    return { lng: latlng.lng - off.x, lat: latlng.lat - off.y };
  }

  // -- tiles that fail -----------------------------------------------------------------

  let available = null;
  let loadedTiles = 0;
  let failedTiles = 0;
  let tileTimer = 0;

  function setAvailable(ok) {
    if (ok === available) return;
    available = ok;
    onAvailability(ok);
  }

  function watchTiles() {
    loadedTiles = 0;
    failedTiles = 0;
    clearTimeout(tileTimer);
    tileTimer = setTimeout(() => { if (!loadedTiles) setAvailable(false); }, TILE_TIMEOUT_MS);
  }
  for (const layer of layers) {
    layer.on("tileload", () => {
      if (layer !== layers[active]) return;
      loadedTiles++;
      failedTiles = 0;
      setAvailable(true);
    });
    layer.on("tileerror", () => {
      if (layer !== layers[active]) return;
      failedTiles++;
      if (!loadedTiles || failedTiles >= FAILURES_AFTER_LOAD) setAvailable(false);
    });
  }
  watchTiles();

  // -- clustered markers ---------------------------------------------------------------

  const markers = L.layerGroup().addTo(map);
  let drawn = new Map(); // key -> marker, kept across redraws so unchanged markers stay put
  const clusterer = createClusterer(
    config.assets["js/cluster-worker.js"],
    config.assets["vendor/supercluster-9.1.0/supercluster.min.js"],
    () => setAvailable(false),
  );

  function pointMarker(latlng, ref) {
    const dot = document.createElement("span");
    dot.className = "point";
    dot.dataset.category = categories[ref >>> 24].id;
    const marker = L.marker(latlng, { icon: divIcon("point-icon", dot, 44), keyboard: false });
    marker.on("click", () => onSelect(ref >>> 24, ref & 0xffffff));
    return marker;
  }

  function clusterMarker(latlng, count, id, cat) {
    const bubble = document.createElement("span");
    bubble.className = `cluster ${count < 10 ? "cluster-s" : count < 100 ? "cluster-m" : "cluster-l"}`;
    if (cat >= 0) bubble.dataset.category = categories[cat].id;
    bubble.textContent = count < 10000 ? String(count) : `${Math.round(count / 1000)}k`;
    const marker = L.marker(latlng, { icon: divIcon("cluster-icon", bubble, 48), keyboard: false });
    marker.on("click", async () => {
      const zoom = await clusterer.expansionZoom(id);
      map.setView(latlng, Math.min(zoom ?? map.getZoom() + 2, map.getMaxZoom()));
    });
    return marker;
  }

  async function redraw() {
    const box = map.getBounds().pad(0.2);
    const bbox = [box.getWest(), box.getSouth(), box.getEast(), box.getNorth()];
    const answer = await clusterer.query(bbox, Math.round(map.getZoom()));
    if (!answer) return; // a newer view is on its way
    const next = new Map();
    for (let n = 0; n < answer.count.length; n++) {
      const count = answer.count[n];
      const id = answer.id[n];
      const key = count > 1 ? `c${id}` : `p${id}`;
      let marker = drawn.get(key);
      if (marker) {
        drawn.delete(key);
      } else {
        const latlng = L.latLng(answer.xy[2 * n + 1], answer.xy[2 * n]);
        marker = count > 1 ? clusterMarker(latlng, count, id, answer.cat[n]) : pointMarker(latlng, id);
        markers.addLayer(marker);
      }
      next.set(key, marker);
    }
    for (const marker of drawn.values()) markers.removeLayer(marker);
    drawn = next;
    // For benchmarks/frontend.py: when markers first reached the screen.
    if (next.size && !performance.getEntriesByName("sitegen:first-markers").length) {
      performance.mark("sitegen:first-markers");
    }
  }

  // The starting view is WGS-84 but there are no published points yet to shift it by: it is
  // shifted once they arrive, unless the person has moved the map by then.
  let unshiftedStart = isGcj() ? map.getCenter() : null;

  /** Sends the points that pass their filters to the worker and redraws. */
  function showPoints(nextSets) {
    sets = nextSets;
    if (unshiftedStart && sets.some(({ points }) => points.gcj && points.n)) {
      if (map.getCenter().equals(unshiftedStart)) {
        map.setView(toMap(unshiftedStart.lng, unshiftedStart.lat), map.getZoom(), { animate: false });
      }
      unshiftedStart = null;
    }
    let total = 0;
    for (const { points } of sets) total += points.n;
    const coords = new Float64Array(2 * total);
    const refs = new Uint32Array(total);
    let m = 0;
    for (const { points, pass } of sets) {
      const xy = isGcj() && points.gcj ? points.gcj : points.coords;
      const base = categories.indexOf(points.category) * 2 ** 24;
      for (let i = 0; i < points.n; i++) {
        if (pass && !pass(i)) continue;
        coords[2 * m] = xy[2 * i];
        coords[2 * m + 1] = xy[2 * i + 1];
        refs[m++] = base + i;
      }
    }
    clusterer.load(coords.slice(0, 2 * m), refs.slice(0, m));
    markers.clearLayers(); // cluster ids change meaning with the data
    drawn = new Map();
    redraw();
  }

  // -- views ---------------------------------------------------------------------------

  function currentView() {
    const { lng, lat } = fromMap(map.getCenter());
    return { zoom: map.getZoom(), lat, lng, layer: config.tiles[active].id };
  }

  map.on("moveend", () => {
    redraw();
    onMove(currentView());
  });
  map.on("baselayerchange", ({ layer }) => {
    const centre = fromMap(map.getCenter());
    active = layers.indexOf(layer);
    watchTiles();
    map.setView(toMap(centre.lng, centre.lat), map.getZoom(), { animate: false });
    showPoints(sets);
    if (selectedAt) selectedMarker.setLatLng(toMap(...selectedAt));
    if (userAt) userMarker.setLatLng(toMap(...userAt));
  });

  return {
    showPoints,
    /** The map centre in WGS-84 {lng, lat}. */
    centre: () => fromMap(map.getCenter()),
    view: currentView,
    /** Moves to a {zoom, lat, lng, layer} view (from the URL). */
    setView(next) {
      const index = config.tiles.findIndex((tile) => tile.id === next.layer);
      if (index >= 0 && index !== active) {
        // The layers control turns the swap into a baselayerchange, handled above.
        map.removeLayer(layers[active]);
        map.addLayer(layers[index]);
      }
      map.setView(toMap(next.lng, next.lat), next.zoom);
    },
    /** Marks the place on the open card and brings it into view. */
    select(lng, lat) {
      const latlng = toMap(lng, lat);
      if (!selectedMarker) {
        const ring = document.createElement("span");
        ring.className = "selected";
        selectedMarker = L.marker(latlng, {
          icon: divIcon("selected-icon", ring, 44), interactive: false, keyboard: false, zIndexOffset: 1000,
        });
      }
      selectedAt = [lng, lat];
      selectedMarker.setLatLng(latlng).addTo(map);
      map.setView(latlng, Math.max(map.getZoom(), 16));
    },
    unselect() {
      selectedMarker?.remove();
      selectedAt = null;
    },
    /** Shows the person's position. */
    showUser(lng, lat) {
      if (!userMarker) {
        userMarker = L.circleMarker(toMap(lng, lat), { radius: 9, className: "user-position", interactive: false });
        userMarker.addTo(map);
      }
      userAt = [lng, lat];
      userMarker.setLatLng(toMap(lng, lat));
    },
    /** A person-readable view of everything: fit the given WGS-84 positions. */
    fit(positions) {
      if (!positions.length) return;
      const bounds = L.latLngBounds(positions.map(([lng, lat]) => toMap(lng, lat)));
      map.fitBounds(bounds.pad(0.15), { maxZoom: 17 });
    },
  };
}
