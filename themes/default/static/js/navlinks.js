// Links that open a facility in the common map apps: the same URLs, byte for byte, as
// sitegen/render/navlinks.py writes on the facility pages (keep the two in step).

export const PROVIDERS = ["amap", "baidu", "tencent", "apple", "google"];

// Our own app name, which Baidu (src) and Tencent (referer) ask callers to identify with.
const APP_NAME = "sitegen";

/**
 * Python's f"{value:.6f}" with trailing zeros dropped, and "0" for a value that rounds to zero.
 *
 * toFixed rounds an exact tie away from zero where Python rounds it to even, so ties (a double
 * lying exactly half way between two 6-decimal numbers, e.g. 0.0078125) are settled by hand.
 */
function coord(value) {
  const magnitude = Math.abs(value);
  let text = magnitude.toFixed(6);
  const exact = magnitude.toFixed(30); // the double's exact decimal expansion, for |value| < 1e21
  const dot = exact.indexOf(".");
  if (exact[dot + 7] === "5" && /^0+$/.test(exact.slice(dot + 8))) {
    const truncated = exact.slice(0, dot + 7);
    if (Number(truncated.at(-1)) % 2 === 0) text = truncated; // already even: round down
  }
  if (value < 0 || Object.is(value, -0)) text = `-${text}`;
  text = text.replace(/0+$/, "").replace(/\.$/, "");
  return text === "-0" ? "0" : text;
}

/** Python's urllib.parse.quote(text, safe=""): encodeURIComponent leaves !'()* as they are. */
function quote(text) {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** `[{provider, url}]` for a WGS-84 point, in the order of PROVIDERS; each URL declares WGS-84. */
export function navLinks(lng, lat, name) {
  if (!(Number.isFinite(lng) && Number.isFinite(lat) && Math.abs(lng) <= 180 && Math.abs(lat) <= 90)) {
    throw new RangeError(`not a WGS-84 position: lng=${lng}, lat=${lat}`);
  }
  const x = coord(lng);
  const y = coord(lat);
  const q = quote(name);
  return [
    // Amap wants lng,lat; the others want lat,lng.
    {
      provider: "amap",
      url: `https://uri.amap.com/marker?position=${x},${y}&name=${q}&coordinate=wgs84&callnative=1`,
    },
    {
      provider: "baidu",
      url:
        `https://api.map.baidu.com/marker?location=${y},${x}&title=${q}&content=${q}` +
        `&output=html&coord_type=wgs84&src=${APP_NAME}`,
    },
    {
      provider: "tencent",
      // coord_type=1 is Tencent's code for GPS (WGS-84) input.
      url:
        `https://apis.map.qq.com/uri/v1/marker?marker=coord:${y},${x};title:${q};addr:${q}` +
        `&coord_type=1&referer=${APP_NAME}`,
    },
    { provider: "apple", url: `https://maps.apple.com/?ll=${y},${x}&q=${q}` },
    { provider: "google", url: `https://www.google.com/maps/search/?api=1&query=${y},${x}` },
  ];
}
