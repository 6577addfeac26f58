// The report form's small map: one pin where the problem is. It is a help, never a need: the
// form imports this module on its own, and when Leaflet or the tiles fail it carries on with
// the phone's location, the facility or the typed address.
//
// Pins are WGS-84, as the report sends them, so only WGS-84 tile layers are used: on GCJ-02
// tiles (mainland Chinese providers) a pin would be off by hundreds of metres.

import * as L from "leaflet";
import { tileLayer } from "app/tile-layer.js";

const TILE_TIMEOUT_MS = 8000; // no tile by then: the tiles are not coming
const FAILURES = 6; // consecutive tile errors that mean the same

/**
 * A map in `element` centred on `start` {lat, lng, zoom}. `onPin({lat, lng})` is called when the
 * person puts the pin (tap, click, or the centre button); `onUnavailable()` once, when the
 * tiles do not load. Throws when the site has no WGS-84 tile layer.
 */
export function createPinMap({ element, config, t, start, onPin, onUnavailable }) {
  const tile = config.tiles.find((layer) => layer.crs !== "gcj02");
  if (!tile) throw new Error("no WGS-84 tile layer for the report map");
  const [west, south] = config.map.bounds[0];
  const [east, north] = config.map.bounds[1];
  const layer = tileLayer(tile); // with its overlay, if any (tile-layer.js)

  element.setAttribute("role", "group");
  element.setAttribute("aria-label", t("report_map_label"));
  const map = L.map(element, {
    zoomControl: false,
    layers: [layer],
    maxBounds: L.latLngBounds([south, west], [north, east]).pad(0.2),
    center: [start.lat, start.lng],
    zoom: start.zoom,
  });
  L.control.zoom({ zoomInTitle: t("zoom_in"), zoomOutTitle: t("zoom_out") }).addTo(map);
  // The pin is told in words by the form's status line; the marker only shows it.
  map.getPane("markerPane").setAttribute("aria-hidden", "true");

  let marker = null;
  let loaded = 0;
  let failures = 0;
  let down = false;
  const fail = () => {
    if (down) return;
    down = true;
    onUnavailable();
  };
  layer.on("tileload", () => {
    loaded++;
    failures = 0;
  });
  layer.on("tileerror", () => {
    if (++failures >= FAILURES) fail();
  });
  // "load": every tile of the view answered; none with a picture means no tiles at all.
  layer.on("load", () => {
    if (!loaded) fail();
  });
  const timer = setTimeout(() => {
    if (!loaded) fail();
  }, TILE_TIMEOUT_MS);

  function show(lat, lng, pan) {
    const at = [lat, lng];
    if (!marker) {
      const icon = L.divIcon({ className: "report-pin-icon", html: '<span class="report-pin"></span>', iconSize: [28, 28], iconAnchor: [14, 28] });
      marker = L.marker(at, { icon, keyboard: false, interactive: false }).addTo(map);
    } else {
      marker.setLatLng(at);
    }
    if (pan) map.setView(at, Math.max(map.getZoom(), 16));
  }

  map.on("click", (event) => {
    show(event.latlng.lat, event.latlng.lng, false);
    onPin({ lat: event.latlng.lat, lng: event.latlng.lng });
  });

  return {
    /** Shows the pin at a place chosen another way (facility, phone), and goes there. */
    show: (lat, lng) => show(lat, lng, true),
    /** Puts the pin at the centre of the view (keyboard users move the map, then this). */
    pinCentre() {
      const { lat, lng } = map.getCenter();
      show(lat, lng, false);
      onPin({ lat, lng });
    },
    /** Stops watching the tiles (the form hides the map; removing it while tiles are still
     * loading trips Leaflet up). */
    stop() {
      clearTimeout(timer);
      layer.off();
    },
  };
}
