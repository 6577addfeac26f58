// The first view's tiles, before the rest of the app has loaded (tile-warmup.js): a module of
// its own, run as soon as the page is parsed. Not when the map is about to go elsewhere (to
// the places near a point, a search's results, an open card).

import { parseView } from "app/state.js";
import { previewTiles } from "app/tile-warmup.js";

const params = new URLSearchParams(location.search);
const map = document.getElementById("map");
if (map && !["near", "q", "id"].some((key) => params.has(key))) {
  const config = JSON.parse(document.getElementById("sitegen-config").textContent);
  map.dataset.previewTiles = String(previewTiles(config, parseView(location.hash), map));
}
