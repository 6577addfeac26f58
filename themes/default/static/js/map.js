// The Leaflet map: tile layers from the config, their failure detection, the clustered
// markers (clustered in cluster-worker.js), the numbered pins of the listed results, and the
// markers of the open card and the person (a dot with a circle for the accuracy).
//
// The map fills the screen under the search bar and the sheet: `occluded()` says what they
// cover, so fitting and centring place things in the part of the map that can be seen.
//
// Positions come and go in WGS-84. When the active tile layer is GCJ-02 (mainland Chinese
// tiles), markers are drawn at the points' published GCJ-02 positions, and any other position
// is shifted by the offset of the nearest published point: the offset varies by metres over
// kilometres, so this is exact enough without carrying the GCJ-02 formulas to the browser.

import * as L from "leaflet";
import { around } from "geokdbush";
import { createClusterLayer } from "app/cluster-layer.js";
import { createClusterer } from "app/clusters.js";
import { spatialIndex } from "app/nearest.js";
import { nextTask } from "app/tasks.js";
import { tileLayer } from "app/tile-layer.js";
import { firstView } from "app/tile-warmup.js";

const TILE_TIMEOUT_MS = 8000;
// Whoever asked for less motion gets the map moved at once, without glides and fades.
const STILL = matchMedia("(prefers-reduced-motion: reduce)").matches;
const FAILURES_AFTER_LOAD = 6; // consecutive tile errors that mean the tiles went away

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function divIcon(className, inner, size) {
  return L.divIcon({ className, html: inner, iconSize: [size, size] });
}

// Leaflet keeps the whole map inside its maxBounds, and a phone's tall map at a low zoom
// (a person 30 km from the nearest place) spans degrees: a city's own bounds would pin the
// view to their centre and push the places the map was fitted to under the sheet.
const ROOM_DEG = 2;

/** The area the map may show: the site's bounds, with half their size or ROOM_DEG around. */
function roomAround(south, west, north, east) {
  const lat = Math.max((north - south) / 2, ROOM_DEG);
  const lng = Math.max((east - west) / 2, ROOM_DEG);
  return L.latLngBounds([Math.max(-85, south - lat), west - lng], [Math.min(85, north + lat), east + lng]);
}

/**
 * A map in `element`; `view` is the initial {zoom, lat, lng, layer} or null. Callbacks:
 * onSelect(categoryIndex, i) for a point's marker, onMove(view) after the view changed,
 * onAvailability(ok) when the tiles start or stop loading; occluded() gives {top, bottom,
 * left}, the pixels of the map under the search bar and the sheet.
 */
export async function createMap({ element, config, t, view, onSelect, onMove, onAvailability, occluded }) {
  const categories = config.categories;
  const [west, south] = config.map.bounds[0];
  const [east, north] = config.map.bounds[1];
  const layers = config.tiles.map(tileLayer); // with their overlays (tile-layer.js)
  const start = firstView(config, view); // where the preview's tiles are (tile-warmup.js)
  let active = start.layer;
  let sets = []; // the shown points: [{points, pass}]
  let userMarker = null;
  let accuracyCircle = null;
  let userAt = null; // [lng, lat] WGS-84
  let selectedMarker = null;
  let selectedAt = null;
  let placeMarker = null;

  // The notes go; the first tiles shown while Leaflet loaded (tile-warmup.js) stay under
  // Leaflet's own until those are in, or the map moves.
  const preview = element.querySelector(".map-preview");
  element.replaceChildren(...(preview ? [preview] : []));
  element.setAttribute("role", "group");
  element.setAttribute("aria-label", t("map_label"));
  const map = L.map(element, {
    zoomControl: false,
    attributionControl: false,
    zoomAnimation: !STILL,
    // Tiles appear without fading in: the fade restyles every tile on every frame for a
    // quarter of a second, work a slow phone feels.
    fadeAnimation: false,
    markerZoomAnimation: !STILL,
    inertia: !STILL,
    maxBounds: roomAround(south, west, north, east),
    center: [start.lat, start.lng],
    zoom: start.zoom,
  });
  // The map, its tiles and its controls each in a task of their own (see tasks.js).
  await nextTask();
  layers[active].addTo(map);
  if (preview) {
    const drop = () => preview.remove();
    layers[active].once("load", drop);
    map.once("movestart zoomstart", drop);
  }
  await nextTask();
  L.control.zoom({ position: "topright", zoomInTitle: t("zoom_in"), zoomOutTitle: t("zoom_out") }).addTo(map);
  L.control.attribution({ prefix: '<a href="https://leafletjs.com">Leaflet</a>' }).addTo(map);
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
  /** How many clusters and places are drawn (tests, benchmarks/frontend.py). */
  element.dataset.markers = "0";

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

  // -- clustered markers (drawn on a canvas: cluster-layer.js) -----------------------------

  await nextTask();

  const clusterer = createClusterer(
    config.assets["js/cluster-worker.js"],
    config.assets["vendor/supercluster-9.1.0/supercluster.min.js"],
    () => setAvailable(false),
  );
  const clusterLayer = createClusterLayer(L, map, {
    colours: categories.map((category) => category.color),
    onTap: async ({ count, id, cat, lng, lat }) => {
      if (count === 1) {
        onSelect(cat, id & 0xffffff);
        return;
      }
      const zoom = await clusterer.expansionZoom(id);
      map.setView([lat, lng], Math.min(zoom ?? map.getZoom() + 2, map.getMaxZoom()), { animate: !STILL });
    },
  });

  async function redraw() {
    const box = map.getBounds().pad(0.2);
    const bbox = [box.getWest(), box.getSouth(), box.getEast(), box.getNorth()];
    const answer = await clusterer.query(bbox, Math.round(map.getZoom()));
    if (!answer) return; // a newer view is on its way
    clusterLayer.show(answer);
    element.dataset.markers = String(clusterLayer.count());
    // For benchmarks/frontend.py: when markers first reached the screen.
    if (answer.count.length && !performance.getEntriesByName("sitegen:first-markers").length) {
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
    clusterLayer.clear(); // cluster ids change meaning with the data
    redraw();
  }

  // -- views ---------------------------------------------------------------------------

  /** The pixel box of the map that is not under the search bar or the sheet. */
  function visibleBox() {
    const size = map.getSize();
    const { top = 0, bottom = 0, left = 0 } = occluded?.() ?? {};
    const box = { left, top, right: size.x, bottom: size.y - bottom };
    // A sheet pulled up to the top leaves no map: use the whole map rather than nothing.
    if (box.bottom - box.top < 80) Object.assign(box, { top: 0, bottom: size.y });
    return box;
  }

  /** The WGS-84 {lng, lat} at the centre of the part of the map that can be seen. */
  function visibleCentre() {
    const box = visibleBox();
    return fromMap(map.containerPointToLatLng([(box.left + box.right) / 2, (box.top + box.bottom) / 2]));
  }

  function currentView() {
    const { lng, lat } = fromMap(map.getCenter());
    return { zoom: map.getZoom(), lat, lng, layer: config.tiles[active].id };
  }

  /** Moves the map so that `latlng` sits at the centre of the visible part, at `zoom`. */
  function centreOn(latlng, zoom) {
    const box = visibleBox();
    const size = map.getSize();
    const shift = L.point((box.left + box.right - size.x) / 2, (box.top + box.bottom - size.y) / 2);
    const target = map.project(latlng, zoom).subtract(shift);
    map.setView(map.unproject(target, zoom), zoom, { animate: !STILL });
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
    if (userAt) {
      userMarker.setLatLng(toMap(...userAt));
      accuracyCircle.setLatLng(toMap(...userAt));
    }
    drawResults(results);
  });

  // -- listed results: numbered pins above the clusters ------------------------------------

  const resultLayer = L.layerGroup().addTo(map);
  let results = [];

  function drawResults(items) {
    results = items;
    resultLayer.clearLayers();
    items.forEach(({ lng, lat, category, ref, key }, n) => {
      const pin = document.createElement("span");
      pin.className = "result-pin";
      pin.dataset.category = categories[category].id;
      pin.dataset.result = key;
      const number = document.createElement("span");
      number.textContent = String(n + 1);
      pin.append(number);
      const marker = L.marker(toMap(lng, lat), {
        icon: divIcon("result-icon", pin, 44),
        keyboard: false,
        zIndexOffset: 500 - n,
      });
      marker.on("click", () => onSelect(category, ref));
      resultLayer.addLayer(marker);
    });
  }

  return {
    showPoints,
    /** The centre of the visible part of the map in WGS-84 {lng, lat}. */
    centre: visibleCentre,
    view: currentView,
    /** Moves to a {zoom, lat, lng, layer} view (from the URL). */
    setView(next) {
      const index = config.tiles.findIndex((tile) => tile.id === next.layer);
      if (index >= 0 && index !== active) {
        // The layers control turns the swap into a baselayerchange, handled above.
        map.removeLayer(layers[active]);
        map.addLayer(layers[index]);
      }
      map.setView(toMap(next.lng, next.lat), next.zoom, { animate: !STILL });
    },
    /** Numbered pins for the listed places: `[{lng, lat, category (index), ref (i), key}]`. */
    showResults: drawResults,
    /** Marks the place on the open card and brings it to the centre of the visible map. */
    select(lng, lat) {
      const latlng = toMap(lng, lat);
      if (!selectedMarker) {
        const ring = document.createElement("span");
        ring.className = "selected-ring";
        selectedMarker = L.marker(latlng, {
          icon: divIcon("selected-icon", ring, 44), interactive: false, keyboard: false, zIndexOffset: 1000,
        });
      }
      selectedAt = [lng, lat];
      selectedMarker.setLatLng(latlng).addTo(map);
      centreOn(latlng, Math.max(map.getZoom(), 16));
    },
    unselect() {
      selectedMarker?.remove();
      selectedAt = null;
    },
    /** Marks the place a list is measured from (a guide's "near here"), or none (null). */
    showPlace(lng, lat) {
      if (!placeMarker) {
        const ring = document.createElement("span");
        ring.className = "place-ring";
        placeMarker = L.marker([0, 0], { icon: divIcon("selected-icon", ring, 44), interactive: false, keyboard: false });
      }
      if (lng === null) placeMarker.remove();
      else placeMarker.setLatLng(toMap(lng, lat)).addTo(map);
    },
    /** Shows the person's position, with a circle as wide as its accuracy in metres. */
    showUser(lng, lat, accuracy = 0) {
      const latlng = toMap(lng, lat);
      if (!userMarker) {
        const dot = document.createElement("span");
        dot.className = "you";
        dot.title = t("you_are_here");
        accuracyCircle = L.circle(latlng, { radius: 1, className: "accuracy", interactive: false }).addTo(map);
        userMarker = L.marker(latlng, {
          icon: divIcon("you-icon", dot, 30), interactive: false, keyboard: false, zIndexOffset: 900,
        }).addTo(map);
      }
      userAt = [lng, lat];
      userMarker.setLatLng(latlng);
      accuracyCircle.setLatLng(latlng).setRadius(Math.max(1, accuracy));
    },
    /** Fits the given WGS-84 positions into the visible part of the map. */
    fit(positions) {
      if (!positions.length) return;
      const bounds = L.latLngBounds(positions.map(([lng, lat]) => toMap(lng, lat)));
      const box = visibleBox();
      const size = map.getSize();
      const pad = 24;
      map.fitBounds(bounds, {
        paddingTopLeft: [box.left + pad, box.top + pad],
        paddingBottomRight: [size.x - box.right + pad, size.y - box.bottom + pad],
        maxZoom: 17,
        animate: !STILL,
      });
    },
    /** Is the WGS-84 position inside the visible part of the map? (the tests ask this) */
    shows(lng, lat) {
      const point = map.latLngToContainerPoint(toMap(lng, lat));
      const box = visibleBox();
      return point.x >= box.left && point.x <= box.right && point.y >= box.top && point.y <= box.bottom;
    },
    /** Leaflet noticed a new size (the sheet or the window changed). */
    resize: () => map.invalidateSize({ pan: false }),
  };
}
