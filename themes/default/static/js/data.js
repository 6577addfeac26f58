// Fetching and decoding the published data files (docs/front-end-data.md), each at most once.
//
// A points file is decoded once into typed arrays; every other module reads those. A failed
// fetch is forgotten, so the next request tries again.

/**
 * A category's points:
 * {category, n, ids, coords: Float64Array [lng, lat, …] WGS-84, gcj: Float64Array | null,
 *  h: Int32Array | null, bool: {field: Uint8Array of 1 yes, 0 no, 2 not given},
 *  enums: {field: {values, codes: Int32Array}},
 *  text: null | {name, addr, rom?} once loaded ({…, py} once search needed it),
 *  kd: null | spatial index (nearest.js)}
 */
const FLAGS = { 49: 1, 48: 0 }; // char codes of "1" and "0"

function decodePoints(category, raw) {
  const n = raw.ids.length;
  const bool = {};
  for (const [field, flags] of Object.entries(raw.bool ?? {})) {
    const values = new Uint8Array(n);
    // "1" yes → 1, "0" no → 0, "-" not given → 2: filters take only 1.
    for (let i = 0; i < n; i++) values[i] = FLAGS[flags.charCodeAt(i)] ?? 2;
    bool[field] = values;
  }
  const enums = {};
  for (const [field, { values, codes }] of Object.entries(raw.enum ?? {})) {
    enums[field] = { values, codes: Int32Array.from(codes) };
  }
  return {
    category,
    n,
    ids: raw.ids,
    coords: decodeDeltas(raw.xy, n),
    gcj: raw.gcj ? decodeDeltas(raw.gcj, n) : null,
    h: raw.h ? Int32Array.from(raw.h) : null,
    bool,
    enums,
    text: null,
    kd: null,
    byId: null,
  };
}

/** `[x0, y0, dx1, dy1, …]` in 1e-5 degree → absolute degrees; integer sums, so no drift. */
function decodeDeltas(deltas, n) {
  const out = new Float64Array(2 * n);
  let x = 0;
  let y = 0;
  for (let k = 0; k < 2 * n; k += 2) {
    x += deltas[k];
    y += deltas[k + 1];
    out[k] = x / 1e5;
    out[k + 1] = y / 1e5;
  }
  return out;
}

/** The index of a facility id in its points, or -1. */
export function indexOfId(points, id) {
  if (!points.byId) points.byId = new Map(points.ids.map((value, i) => [value, i]));
  return points.byId.get(id) ?? -1;
}

/** Loads the data files a page config names. */
export function createStore(config) {
  const requests = new Map(); // url -> Promise of parsed JSON
  const points = new Map(); // category id -> decoded points, once loaded

  function json(url) {
    let request = requests.get(url);
    if (!request) {
      request = fetch(url).then((response) => {
        if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
        return response.json();
      });
      request.catch(() => requests.delete(url));
      requests.set(url, request);
    }
    return request;
  }

  /** The decoded points of a category (config object), fetched on first use. */
  async function load(category) {
    const raw = await json(category.points);
    if (!points.has(category.id)) points.set(category.id, decodePoints(category, raw));
    return points.get(category.id);
  }

  /** The points of a category with their texts attached. */
  async function withText(category) {
    const [loaded, text] = await Promise.all([load(category), json(category.text)]);
    loaded.text = text;
    return loaded;
  }

  /** The points with texts and, for search only, the pinyin of every name (`text.py`). */
  async function withPinyin(category) {
    const [loaded, pinyin] = await Promise.all([withText(category), json(category.pinyin)]);
    loaded.text = { ...loaded.text, py: pinyin.py };
    return loaded;
  }

  return {
    points: load,
    withText,
    withPinyin,
    /** Every attribute of a category's places in this locale (the full cards, offline too). */
    cards: (category) => json(category.cards),
    /** The points of a category id if already loaded, else undefined. */
    loaded: (id) => points.get(id),
    hours: () => json(config.hours),
    fold: () => json(config.fold),
  };
}
