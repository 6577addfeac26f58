// A tile layer of the site's config for Leaflet: its credits (with the map approval number,
// 审图号) and its overlay. An overlay (Tianditu's annotation: the place names) is drawn over
// the layer whenever the layer is on the map, so a layers control that swaps base layers
// swaps their overlays with them.

import * as L from "leaflet";

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The Leaflet layer of one `config.tiles` entry. */
export function tileLayer(tile) {
  const credits = [tile.attribution, tile.approval].filter(Boolean).map(escapeHtml);
  const options = { maxZoom: tile.maxZoom ?? 19, attribution: credits.join(" | ") };
  if (tile.subdomains) options.subdomains = tile.subdomains;
  const layer = L.tileLayer(tile.url, options);
  if (tile.overlay) {
    const overlay = L.tileLayer(tile.overlay.url, {
      maxZoom: options.maxZoom,
      subdomains: tile.overlay.subdomains ?? options.subdomains ?? "abc",
      zIndex: 2, // above the base layer (1) in the tile pane
      className: "tile-overlay",
    });
    layer.on("add", () => layer._map.addLayer(overlay));
    layer.on("remove", () => overlay.remove());
  }
  return layer;
}
