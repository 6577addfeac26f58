// Delivering waiting reports from any page of the site (docs/reports.md, "The report form and
// the offline queue"): when a page opens and the outbox may hold reports, when the phone comes
// back online or the tab comes back into view, and on a timer after a temporary refusal (429,
// 503) or a failed connection. Where the browser has Background Sync the service worker does
// the same (sw.js, "sync"); both go through the outbox's lock and claim, and the idempotency key
// makes even a double send store one report.
//
// Every page loads this module after offline.js, without the import map: the outbox
// (report-outbox.js, a plain script the service worker shares) is imported by the URL in the
// script element's data-outbox. The report pages import this module by name for outbox().

const root = document.querySelector("script[data-outbox]");
const RETRY_OFFLINE_MS = 30000; // a failed connection while the phone says it is online

let opened = null;
let running = null;
let timer = 0;

/** The outbox over IndexedDB; in memory where IndexedDB is missing or refused (private modes). */
export function outbox() {
  opened ??= (async () => {
    if (!globalThis.sitegenOutbox) await import(root?.dataset.outbox ?? "app/report-outbox.js");
    const { createOutbox, idbStore, memoryStore } = globalThis.sitegenOutbox;
    try {
      const store = idbStore();
      await store.all(); // opens the database: fails here, not halfway through a report
      return { box: createOutbox({ store }), durable: true };
    } catch {
      return { box: createOutbox({ store: memoryStore() }), durable: false };
    }
  })();
  return opened;
}

function schedule(result) {
  clearTimeout(timer);
  if (!result?.waiting || !navigator.onLine) return; // the "online" event comes first
  const delay = result.nextRetry ? result.nextRetry - Date.now() : result.offline ? RETRY_OFFLINE_MS : 0;
  if (delay > 0) timer = setTimeout(() => deliver(), Math.min(delay, 3600000));
}

/** Sends every report that is due; resolves with the outbox's flush result (null on failure). */
export function deliver({ force = false } = {}) {
  if (running) return running;
  running = (async () => {
    try {
      const { box } = await outbox();
      const result = await box.flush({ force });
      schedule(result);
      return result;
    } catch {
      return null;
    } finally {
      running = null;
    }
  })();
  return running;
}

/** Asks the service worker for a Background Sync; false where there is none. */
export async function requestSync() {
  try {
    const registration = await navigator.serviceWorker?.getRegistration();
    if (!registration?.sync) return false;
    await registration.sync.register(globalThis.sitegenOutbox?.SYNC_TAG ?? "send-reports");
    return true;
  } catch {
    return false; // refused (no permission, no worker yet): the page delivers instead
  }
}

/** After a report was queued: Background Sync if possible, and the page's own timer anyway. */
export function deliverLater(result) {
  requestSync();
  schedule(result ?? { waiting: 1, offline: true });
}

async function deliverIfWaiting() {
  // The outbox's hint (localStorage, "sitegen-reports-waiting": how many reports wait) spares
  // every page view an IndexedDB lookup when nothing waits.
  let maybe = true;
  try {
    maybe = localStorage.getItem("sitegen-reports-waiting") !== "0";
  } catch {
    maybe = true;
  }
  if (maybe) await deliver();
}

if (root) {
  addEventListener("online", () => deliver());
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible" && navigator.onLine) deliverIfWaiting();
  });
  // The first look waits for idle time (at most 3 s): opening the outbox loads a script and
  // IndexedDB, work that must not hold up the page's own first answers on a slow phone.
  const idle = globalThis.requestIdleCallback ?? ((fn) => setTimeout(fn, 1000));
  if (navigator.onLine) idle(() => deliverIfWaiting(), { timeout: 3000 });
}
