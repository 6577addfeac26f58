// Maps of the console: the queue's cases (GeoJSON of the filtered set, from this server) and
// the place of one case. Tiles are the site's first WGS-84 layer. A failing map hides itself.

import * as L from "./vendor/leaflet-1.9.4/leaflet-src.esm.js";

function baseMap(element) {
  const d = element.dataset;
  element.hidden = false;
  const map = L.map(element, { scrollWheelZoom: false });
  L.tileLayer(d.tiles, {
    attribution: d.attribution,
    maxZoom: Number(d.maxZoom) || 18,
    subdomains: d.subdomains || "abc",
  }).addTo(map);
  const [lat, lng] = JSON.parse(d.center);
  map.setView([lat, lng], Number(d.zoom) || 13);
  return map;
}

function popup(properties) {
  const box = document.createElement("p");
  const link = document.createElement("a");
  link.href = properties.url;
  link.textContent = properties.ticket;
  box.append(link, document.createElement("br"), properties.service);
  return box;
}

async function drawQueue(element) {
  const response = await fetch(element.dataset.geojson, { credentials: "same-origin" });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const data = await response.json();
  const map = baseMap(element);
  const layer = L.geoJSON(data, {
    pointToLayer: (feature, latlng) =>
      L.circleMarker(latlng, {
        radius: 7,
        className: `case-marker status-${feature.properties.status}${feature.properties.overdue ? " overdue" : ""}`,
      }),
    onEachFeature: (feature, marker) => marker.bindPopup(() => popup(feature.properties)),
  }).addTo(map);
  if (data.features.length) map.fitBounds(layer.getBounds(), { maxZoom: 17, padding: [24, 24] });
  element.dataset.drawn = String(data.features.length);
}

function drawCase(element) {
  const [lat, lng] = JSON.parse(element.dataset.point);
  const map = baseMap(element);
  L.marker([lat, lng], { keyboard: false }).addTo(map);
  map.setView([lat, lng], 17);
  element.dataset.drawn = "1";
}

/** Draws every map of the page; a map that fails is hidden again, the page stays usable. */
export function drawMaps(root) {
  for (const element of root.querySelectorAll("[data-map]")) {
    const draw = element.dataset.geojson ? drawQueue : drawCase;
    Promise.resolve()
      .then(() => draw(element))
      .catch(() => {
        element.hidden = true;
      });
  }
}
