// "Open now" from the compiled hours table (data/hours.HASH.json, docs/front-end-data.md).
//
// The moment is read in the site's time zone, whatever zone the phone is set to: from the UTC
// offsets the build lists in the table (`zone`), or with Intl where a table has none.
// A point's schedule row says which day pattern applies on each day from `start`; outside
// the compiled days, or with no schedule, the hours are unknown.

const DAY_MS = 86400000;

const OPEN = 1;
const CLOSED = 0;
const UNKNOWN = -1;

function dayNumber(year, month, day) {
  return Math.round(Date.UTC(year, month - 1, day) / DAY_MS);
}

/** A function giving {day, minute} of a Date in the site's zone, day counted from `start`. */
function localClock(table, timezone, start) {
  if (table.zone?.length) {
    // The build lists the zone's UTC offsets over the compiled days: no Intl needed (making
    // a DateTimeFormat for a zone is one of the costliest things a page can do at start).
    const zone = table.zone;
    return (date) => {
      const ms = date.getTime();
      let k = 0;
      while (k + 1 < zone.length && zone[k + 1][0] * 1000 <= ms) k++;
      const local = ms + zone[k][1] * 60000;
      return { day: Math.floor(local / DAY_MS) - start, minute: Math.floor((local % DAY_MS) / 60000) };
    };
  }
  const format = new Intl.DateTimeFormat("en-US", {
    timeZone: timezone || table.timezone,
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    hourCycle: "h23",
  });
  return (date) => {
    const parts = {};
    for (const { type, value } of format.formatToParts(date)) parts[type] = Number(value);
    return {
      day: dayNumber(parts.year, parts.month, parts.day) - start,
      minute: (parts.hour % 24) * 60 + parts.minute,
    };
  };
}

/** The compiled hours of a site, evaluated at `now()` (a Date; the clock by default). */
export function createHours(table, timezone, now = () => new Date()) {
  const [y, m, d] = table.start.split("-").map(Number);
  const start = dayNumber(y, m, d);
  const clock = localClock(table, timezone, start);
  let day = -1; // days since table.start, at the last refresh
  let minute = -1; // minutes since local midnight, at the last refresh
  let states = new Int8Array(table.rows.length); // OPEN/CLOSED/UNKNOWN per schedule row

  function localNow() {
    return clock(now());
  }

  function spansOn(row, dayIndex) {
    const days = table.rows[row];
    if (!days || dayIndex < 0 || dayIndex >= days.length || dayIndex >= table.length) return null;
    return table.days[days[dayIndex]] ?? null;
  }

  /** Re-reads the clock; true when the minute changed, so open states may have too. */
  function refresh() {
    const at = localNow();
    if (at.day === day && at.minute === minute) return false;
    day = at.day;
    minute = at.minute;
    states = new Int8Array(table.rows.length);
    for (let row = 0; row < states.length; row++) {
      const spans = spansOn(row, day);
      if (spans === null) states[row] = UNKNOWN;
      else states[row] = spans.some(([a, b]) => a <= minute && minute < b) ? OPEN : CLOSED;
    }
    return true;
  }

  refresh();
  return {
    refresh,
    /** 1 open, 0 closed, -1 unknown, for a point's schedule row (-1 = no schedule). */
    state: (row) => (row >= 0 && row < states.length ? states[row] : UNKNOWN),
    /** Today's open intervals `[[from, to), …]` in minutes, or null when unknown. */
    today: (row) => (row >= 0 ? spansOn(row, day) : null),
    /** The next `count` days from today: `[{date: "YYYY-MM-DD", weekday: 0 (Monday)…6, spans}]`. */
    days(row, count) {
      const out = [];
      for (let k = 0; k < count && row >= 0; k++) {
        const spans = spansOn(row, day + k);
        if (spans === null) break;
        const date = new Date((start + day + k) * DAY_MS);
        out.push({ date: date.toISOString().slice(0, 10), weekday: (date.getUTCDay() + 6) % 7, spans });
      }
      return out;
    },
  };
}
