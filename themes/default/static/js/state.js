// The app's state in the URL, so that a link shows someone else the same thing.
//
// Query (each part optional; lists are comma-separated, each item percent-encoded on its own):
//   c=toilet,drinking_water   categories shown; absent = the first category; "c=" = none
//   open=1                    only places open now
//   f=toilet.wheelchair,toilet.grade:特優級
//                             attribute filters: CATEGORY.FIELD for a yes/no field that must
//                             be yes, CATEGORY.FIELD:VALUE for a list field that must equal
//                             VALUE (the raw value, the same in every locale)
//   q=士林                    the search query
//   id=toilet/tpe-toilet-3f9a2c
//                             the open name card, CATEGORY/ID (a bare ID is looked up)
//   near=114.0500,22.5550     list the places nearest this WGS-84 point (lng,lat), as a guide's
//                             "toilets near here" link asks; until "Nearest to me"
//   full=1                    the open card shows every attribute ("All details"), as a
//                             name-card page does: the service worker sends a name-card page
//                             never visited offline here
// Hash:
//   #map=ZOOM/LAT/LNG[/LAYER] the map view, WGS-84 degrees whatever the tiles' datum; LAYER
//                             is a tile layer id, absent for the first one
//
// Filters and the map view replace the current history entry; opening a card pushes one, so
// Back closes it. The state is the same in every locale: the language links carry it over.
// A search covers every category unless the categories were chosen (c= in the URL).

/** `{name: [raw items]}` from a query string, splitting lists before decoding their items. */
function parseQuery(search) {
  const out = {};
  for (const part of search.replace(/^\?/, "").split("&")) {
    if (!part) continue;
    const eq = part.indexOf("=");
    const name = decode(eq < 0 ? part : part.slice(0, eq));
    out[name] = eq < 0 ? "" : part.slice(eq + 1);
  }
  return out;
}

function decode(text) {
  try {
    return decodeURIComponent(text.replace(/\+/g, " "));
  } catch {
    return "";
  }
}

function list(raw) {
  return raw ? raw.split(",").map(decode).filter(Boolean) : [];
}

function parsePoint(raw) {
  const match = /^(-?[\d.]+),(-?[\d.]+)$/.exec(decode(raw ?? ""));
  if (!match) return null;
  const [lng, lat] = [Number(match[1]), Number(match[2])];
  return Math.abs(lat) <= 90 && Math.abs(lng) <= 180 ? { lng, lat } : null;
}

export function parseView(hash) {
  const match = /^#map=(\d{1,2})\/(-?[\d.]+)\/(-?[\d.]+)(?:\/([\w-]+))?$/.exec(hash);
  if (!match) return null;
  const [zoom, lat, lng] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (!(Math.abs(lat) <= 90 && Math.abs(lng) <= 180)) return null;
  return { zoom, lat, lng, layer: match[4] ?? "" };
}

/** The state a URL describes; `categories` is config.categories. */
export function readState(url, categories) {
  const query = parseQuery(url.search);
  const known = new Map(categories.map((c) => [c.id, c]));
  const cats =
    "c" in query
      ? categories.map((c) => c.id).filter((id) => list(query.c).includes(id))
      : categories.slice(0, 1).map((c) => c.id);
  const filters = new Map();
  for (const item of list(query.f)) {
    const colon = item.indexOf(":");
    const key = colon < 0 ? item : item.slice(0, colon);
    const [cat, field] = key.split(".");
    const def = known.get(cat)?.filters.find((f) => f.field === field);
    if (def?.kind === "bool" && colon < 0) filters.set(key, true);
    else if (def?.kind === "enum" && colon > 0) filters.set(key, item.slice(colon + 1));
  }
  return {
    cats,
    chosen: "c" in query,
    open: query.open === "1",
    filters,
    q: decode(query.q ?? ""),
    card: decode(query.id ?? ""),
    full: query.full === "1",
    near: parsePoint(query.near),
    view: parseView(url.hash),
  };
}

function encodeItem(text) {
  return encodeURIComponent(text).replace(/%2F/g, "/").replace(/%3A/g, ":");
}

/** `?query#hash` for a state (each part only when it differs from the default). */
export function stateSuffix(state, categories, firstLayer) {
  const parts = [];
  const defaultCats = categories.slice(0, 1).map((c) => c.id);
  if (state.chosen || state.cats.join(",") !== defaultCats.join(",")) {
    parts.push(`c=${state.cats.map(encodeItem).join(",")}`);
  }
  if (state.open) parts.push("open=1");
  const filters = [...state.filters].map(([key, value]) =>
    value === true ? encodeItem(key) : `${encodeItem(key)}:${encodeItem(value)}`,
  );
  if (filters.length) parts.push(`f=${filters.join(",")}`);
  if (state.near) parts.push(`near=${+state.near.lng.toFixed(6)},${+state.near.lat.toFixed(6)}`);
  if (state.q) parts.push(`q=${encodeItem(state.q)}`);
  if (state.card) parts.push(`id=${encodeItem(state.card)}`);
  if (state.card && state.full) parts.push("full=1");
  const query = parts.length ? `?${parts.join("&")}` : "";
  const v = state.view;
  let hash = "";
  if (v) {
    hash = `#map=${v.zoom}/${v.lat.toFixed(5)}/${v.lng.toFixed(5)}`;
    if (v.layer && v.layer !== firstLayer) hash += `/${v.layer}`;
  }
  return query + hash;
}
