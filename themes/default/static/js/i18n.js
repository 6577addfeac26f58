// Localized text: the page config's UI strings, filled in and formatted.
//
// Every word the app shows comes from config.strings (the theme's strings/LOCALE.yaml), so
// no module holds text of its own.

// The 8 winds, clockwise from north; each has a string "dir_<wind>".
const WINDS = ["n", "ne", "e", "se", "s", "sw", "w", "nw"];

/** `t(key, vars)`: the string `key` with each `{name}` replaced by `vars.name`. */
export function translator(strings) {
  return (key, vars) => {
    const text = strings[key] ?? key;
    if (!vars) return text;
    return text.replace(/\{(\w+)\}/g, (whole, name) => (name in vars ? String(vars[name]) : whole));
  };
}

/** "80 m", "350 m", "1.2 km", "14 km": precise near by, rounder far away. */
export function formatDistance(t, metres) {
  if (metres < 100) return t("distance_m", { m: Math.max(1, Math.round(metres)) });
  if (metres < 1000) return t("distance_m", { m: Math.round(metres / 10) * 10 });
  const km = metres / 1000;
  return t("distance_km", { km: km < 10 ? km.toFixed(1) : Math.round(km) });
}

/** The compass wind (of 8) that a bearing in degrees points to, as a word. */
export function compassWord(t, degrees) {
  return t(`dir_${WINDS[Math.round((((degrees % 360) + 360) % 360) / 45) % 8]}`);
}

/** "350 m north-east": how far and which way, from a bearing in degrees. */
export function formatWay(t, metres, degrees) {
  return t("distance_direction", {
    distance: formatDistance(t, metres),
    direction: compassWord(t, degrees),
  });
}

function clock(minutes) {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}`;
}

/** A day's open intervals as the facility pages write them (CardFormatter.spans_text in sitegen/render/fields.py). */
export function formatSpans(t, spans) {
  if (!spans.length) return t("closed");
  if (spans.length === 1 && spans[0][0] === 0 && spans[0][1] === 1440) return t("open_24h");
  return spans.map(([a, b]) => `${clock(a)}–${clock(b)}`).join(", ");
}

/** "Open now" / "Closed now" / "Opening hours not known" for a state of 1, 0 or -1. */
export function formatOpenState(t, state) {
  if (state === 1) return t("open_now");
  if (state === 0) return t("closed_now");
  return t("hours_unknown");
}
