// The city's latest status of the reports delivered from this device: GET
// {endpoint}requests/{ticket}.json (Open311 GeoReport v2), a few at a time, each answer saved in
// the outbox with the moment it was checked, so that "My reports" shows it offline too.

const LOOKUPS_AT_ONCE = 4;
const MAX_LOOKUPS = 50; // the newest tickets; older ones keep their last known status

/** The delivered entries whose status to look up (newest first, as the outbox lists them). */
export function deliveredEntries(entries) {
  return entries.filter((entry) => entry.state === "sent" && entry.ticket).slice(0, MAX_LOOKUPS);
}

/** The Open311 address of an entry's ticket, in the page's locale and jurisdiction. */
export function statusUrl(entry, reportConfig) {
  const url = new URL(`requests/${encodeURIComponent(entry.ticket)}.json`, entry.endpoint ?? reportConfig.endpoint);
  if (reportConfig.jurisdiction) url.searchParams.set("jurisdiction_id", reportConfig.jurisdiction);
  url.searchParams.set("locale", reportConfig.locale);
  url.searchParams.set("extensions", "true"); // the case's step and whether it may be rated
  return url;
}

/** Runs `task(item)` for every item, at most `limit` at once. */
export async function pool(items, limit, task) {
  let next = 0;
  const run = async () => {
    while (next < items.length) await task(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, run));
}

/**
 * Looks up the status of each of `entries` and saves it in `box` (the outbox) as {status,
 * notes, updated, checked, caseStatus, ratingOpen, rated, ratedAs}; resolves with how many look-ups failed. `fetch` and `now` are
 * injectable for tests.
 */
export async function lookUpStatuses(entries, { box, reportConfig, fetch = (...args) => globalThis.fetch(...args), now = () => Date.now() }) {
  let failed = 0;
  await pool(entries, LOOKUPS_AT_ONCE, async (entry) => {
    const url = statusUrl(entry, reportConfig);
    try {
      const response = await fetch(url, { credentials: "omit", cache: "no-store" });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const [request] = await response.json();
      const extended = request.extended_attributes ?? {};
      await box.noteStatus(entry.key, {
        status: request.status,
        notes: request.status_notes || null,
        updated: Date.parse(request.updated_datetime) || null,
        checked: now(),
        caseStatus: extended.case_status ?? null,
        ratingOpen: extended.rating_open === true,
        rated: extended.rated === true,
        ratedAs: extended.rated === true ? (entry.status?.ratedAs ?? null) : null,
      });
    } catch {
      failed++;
    }
  });
  return failed;
}
