// The first view's tiles, shown before Leaflet is in. The map library loads after the first
// paint; without this its tiles would start only once it has run. The tiles are exactly those
// Leaflet's tile layer asks for first (its GridLayer: the tiles covering the map's size around
// the centre's pixel, at the view's zoom), placed where it places them, so the street map is
// on the screen while Leaflet loads, and Leaflet's own tiles, made from the same addresses,
// come from the page's image cache and take their places without a jump.

const TILE = 256;
const MAX_LATITUDE = 85.0511287798; // Web Mercator's limit, as Leaflet's

/** The pixel of a WGS-84 position at `zoom` in Web Mercator (EPSG:3857), as Leaflet's. */
function project(lat, lng, zoom) {
  const scale = TILE * 2 ** zoom;
  const sin = Math.sin((Math.max(Math.min(MAX_LATITUDE, lat), -MAX_LATITUDE) * Math.PI) / 180);
  return {
    x: scale * (0.5 + lng / 360),
    y: scale * (0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI)),
  };
}

/** The WGS-84 position of a Web Mercator pixel at `zoom`: `project` the other way. */
function unproject(x, y, zoom) {
  const scale = TILE * 2 ** zoom;
  const mercator = (0.5 - y / scale) * 2 * Math.PI;
  return { lng: (x / scale - 0.5) * 360, lat: ((2 * Math.atan(Math.exp(mercator)) - Math.PI / 2) * 180) / Math.PI };
}

function subdomain(subdomains, x, y) {
  const list = typeof subdomains === "string" ? subdomains.split("") : subdomains;
  return list[Math.abs(x + y) % list.length];
}

/**
 * The tiles of `layer` ({url, subdomains}) that a map of `width` x `height` CSS pixels shows
 * at `view` ({lat, lng, zoom}), nearest the centre first, each as {url, left, top} (its place
 * in the map, in CSS pixels); none when the address has a placeholder Leaflet's template
 * would fill from options of its own.
 */
export function initialTiles(layer, view, width, height, retina) {
  const zoom = Math.round(view.zoom);
  const centre = project(view.lat, view.lng, zoom);
  const cx = Math.floor(centre.x);
  const cy = Math.floor(centre.y);
  const minX = Math.floor((cx - width / 2) / TILE);
  const maxX = Math.ceil((cx + width / 2) / TILE) - 1;
  const minY = Math.floor((cy - height / 2) / TILE);
  const maxY = Math.ceil((cy + height / 2) / TILE) - 1;
  // The map's top left corner in world pixels, rounded as Leaflet's pixel origin is.
  const originX = Math.round(centre.x - width / 2);
  const originY = Math.round(centre.y - height / 2);
  const count = 2 ** zoom;
  const tiles = [];
  for (let y = Math.max(0, minY); y <= Math.min(count - 1, maxY); y++) {
    for (let x = minX; x <= maxX; x++) {
      const wrapped = ((x % count) + count) % count;
      const values = { x: wrapped, y, z: zoom, r: retina ? "@2x" : "", s: subdomain(layer.subdomains ?? "abc", wrapped, y) };
      const url = layer.url.replace(/\{ *([\w_-]+) *\}/g, (all, key) => (key in values ? String(values[key]) : all));
      if (/\{ *[\w_-]+ *\}/.test(url)) return [];
      const distance = (x + 0.5 - cx / TILE) ** 2 + (y + 0.5 - cy / TILE) ** 2;
      tiles.push({ url, left: x * TILE - originX, top: y * TILE - originY, distance });
    }
  }
  return tiles.sort((a, b) => a.distance - b.distance).map(({ url, left, top }) => ({ url, left, top }));
}

/**
 * The WGS-84 centre of the part of a `width` x `height` map at the first view that `occluded`
 * ({top, bottom, left}: the search bar, the sheet) leaves to be seen, as map.js's visibleCentre
 * finds it once Leaflet is up (the same pixel origin, rounded as Leaflet rounds it), so that
 * the first list is near the place the map will show. Null without a size, or for a GCJ-02
 * layer (its shift comes from the points).
 */
export function visibleCentre(config, view, width, height, occluded = {}) {
  const start = firstView(config, view);
  const tile = config.tiles[start.layer];
  if (!tile || tile.crs === "gcj02" || !width || !height) return null;
  const { top = 0, bottom = 0, left = 0 } = occluded;
  const box = { left, top, right: width, bottom: height - bottom };
  if (box.bottom - box.top < 80) Object.assign(box, { top: 0, bottom: height }); // as map.js
  const zoom = Math.min(start.zoom, tile.maxZoom ?? 19);
  const centre = project(start.lat, start.lng, zoom);
  const x = Math.round(centre.x - width / 2) + (box.left + box.right) / 2;
  const y = Math.round(centre.y - height / 2) + (box.top + box.bottom) / 2;
  return unproject(x, y, zoom);
}

/**
 * Where the map starts: the view of the address (state.js) or the site's, and the index of
 * its tile layer in `config.tiles`. The map (map.js) and the preview both start here.
 */
export function firstView(config, view) {
  const start = view ?? { lat: config.map.center[1], lng: config.map.center[0], zoom: config.map.zoom };
  const layer = Math.max(0, config.tiles.findIndex((tile) => tile.id === view?.layer));
  return { lat: start.lat, lng: start.lng, zoom: start.zoom, layer };
}

/**
 * Which of `tiles` ({left, top} in a map of `width` x `height`) come first: those wholly in the
 * map, the largest paint of the first screen; the nearest the centre when none is.
 */
export function firstTiles(tiles, width, height) {
  const whole = tiles.map(({ left, top }) => left >= 0 && top >= 0 && left + TILE <= width && top + TILE <= height);
  return whole.some(Boolean) ? whole : tiles.map((_, n) => n === 0);
}

/**
 * Shows the first view's tiles of the map in `element` (the active layer's, then its
 * overlay's) until Leaflet replaces them. Returns their images: `first`, those wholly in the
 * map (firstTiles), asked for at once, and `rest`, asked for by showRest(rest), so that the
 * first share the line with nothing. None when the map has no size.
 */
export function previewTiles(config, view, element) {
  const start = firstView(config, view);
  const tile = config.tiles[start.layer];
  const width = element.clientWidth;
  const height = element.clientHeight;
  const images = { first: [], rest: [] };
  if (!tile || !width || !height) return images;
  const at = { lat: start.lat, lng: start.lng, zoom: Math.min(start.zoom, tile.maxZoom ?? 19) };
  const retina = (globalThis.devicePixelRatio ?? 1) > 1;
  const layers = [tile, ...(tile.overlay ? [{ ...tile.overlay, subdomains: tile.overlay.subdomains ?? tile.subdomains }] : [])];
  const preview = document.createElement("div");
  preview.className = "map-preview";
  preview.setAttribute("aria-hidden", "true");
  for (const layer of layers) {
    const tiles = initialTiles(layer, at, width, height, retina);
    const first = firstTiles(tiles, width, height);
    tiles.forEach(({ url, left, top }, n) => {
      const image = Object.assign(new Image(TILE, TILE), { alt: "", decoding: "async" });
      image.style.transform = `translate(${left}px, ${top}px)`;
      image.onerror = () => image.remove(); // no broken-image boxes while the tiles are down
      if (first[n]) image.src = url;
      else image.dataset.src = url;
      preview.append(image);
      images[first[n] ? "first" : "rest"].push(image);
    });
  }
  element.prepend(preview);
  return images;
}

/** Asks for the preview's other tiles (previewTiles' `rest`). */
export function showRest(images) {
  for (const image of images) image.src = image.dataset.src;
}

/**
 * Settles once every one of `images` is decoded (ready to paint) or has failed, or after
 * `timeout` ms, whichever comes first: a tile server that is slow or down holds nothing back.
 */
export function tilesShown(images, timeout) {
  let timer;
  const late = new Promise((resolve) => {
    timer = setTimeout(resolve, timeout);
  });
  const decoded = Promise.all(images.map((image) => image.decode().catch(() => {})));
  return Promise.race([decoded, late]).finally(() => clearTimeout(timer));
}
