/*
 * The outbox of citizens' reports: every report made on this device, kept in IndexedDB until
 * it is delivered, and after that as the citizen's own record ("My reports").
 *
 * Written as a plain script, without imports or exports, because the service worker loads it
 * with importScripts() (module service workers are not everywhere, and a service worker may
 * not import() at all); pages import it as a module for the same effect. It defines one frozen
 * object, `self.sitegenOutbox`. docs/reports.md, "The report form and the offline queue",
 * explains the rules kept here:
 *
 * - an entry is stored (queued) before the first attempt, with its idempotency key and the
 *   exact fields and photo bytes it sends; every retry sends exactly those again, so the
 *   server, which returns the first ticket for a repeated key, stores it once;
 * - it leaves the queue only on a 2xx answer carrying a ticket;
 * - network errors, 408, 429 and 5xx keep it queued (Retry-After respected); any other 4xx
 *   marks it failed with the server's messages, for the citizen to edit or delete;
 * - one sender at a time: a Web Lock around every send where there are Web Locks, and in any
 *   case a claim in IndexedDB (queued -> sending, with a lease) made in one transaction, so
 *   the page, other tabs and the service worker never post the same entry at once.
 */
"use strict";

(() => {
  const DB_NAME = "sitegen-reports";
  const DB_VERSION = 1;
  const STORE = "reports";
  const CHANNEL = "sitegen-reports";
  const LOCK = "sitegen-reports-send";
  const HINT = "sitegen-reports-waiting"; // localStorage: how many wait (pages only; report-delivery.js reads it)
  const LEASE_MS = 2 * 60 * 1000; // a sender that vanished (tab closed) frees its claim after this
  const TIMEOUT_MS = 90 * 1000; // one POST, photos included, on a slow connection
  const BACKOFF_MS = [5000, 30000, 120000, 600000]; // after 5xx without Retry-After
  const EXCERPT = 140;

  // -- the state machine (pure: entries in, entries out) -----------------------------

  /**
   * A new queued entry. `fields` are the form fields as [name, value] pairs (the idempotency
   * key among them), `photos` [{blob, name}], `summary` what "My reports" shows.
   */
  function newEntry({ key, endpoint, fields, photos = [], summary = {}, now }) {
    return {
      key,
      endpoint,
      fields,
      photos,
      summary,
      state: "queued",
      created: now,
      attempts: 0,
      retryAt: 0,
      owner: null,
      leaseUntil: 0,
      ticket: null,
      notice: null,
      sentAt: null,
      error: null,
      status: null,
    };
  }

  /** Whether a sender may take the entry now; `force` ignores a retry delay (a person asked). */
  function claimable(entry, now, force = false) {
    if (!entry) return false;
    if (entry.state === "queued") return force || !(entry.retryAt > now);
    return entry.state === "sending" && entry.leaseUntil <= now;
  }

  /** The entry taken by `owner` (queued -> sending), or null when it is not free. */
  function claim(entry, now, owner, force = false) {
    if (!claimable(entry, now, force)) return null;
    return { ...entry, state: "sending", owner, leaseUntil: now + LEASE_MS, attempts: entry.attempts + 1 };
  }

  /** What an HTTP status means for the queue: "sent", "retry" or "failed". */
  function verdict(status) {
    if (status >= 200 && status < 300) return "sent";
    if (status === 408 || status === 429 || status >= 500) return "retry";
    if (status >= 400) return "failed";
    return "retry"; // 1xx/3xx never end a report
  }

  /** Seconds (or an HTTP date) of Retry-After as a delay in ms; null when absent or odd. */
  function retryDelay(value, now) {
    if (value == null || value === "") return null;
    const seconds = Number(value);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const when = Date.parse(value);
    return Number.isNaN(when) ? null : Math.max(0, when - now);
  }

  /** The Open311 error list of an answer body, else one entry naming the status. */
  function errorsOf(status, body) {
    const list = Array.isArray(body) ? body.filter((e) => e && typeof e.description === "string") : [];
    return list.length ? list.map((e) => ({ code: e.code ?? status, description: e.description })) : [{ code: status, description: `HTTP ${status}` }];
  }

  /**
   * The entry after an attempt. `answer` is {network: true} when no answer came, else
   * {status, body, retryAfter}. A delivered entry drops what only sending needed (the photos,
   * the contact address): from then on it is the citizen's record of the ticket.
   */
  function settle(entry, answer, now) {
    const base = { ...entry, owner: null, leaseUntil: 0 };
    if (answer.network) {
      return { ...base, state: "queued", retryAt: 0, error: { network: true } };
    }
    const kind = verdict(answer.status);
    const first = Array.isArray(answer.body) ? answer.body[0] : null;
    if (kind === "sent" && first && typeof first.service_request_id === "string") {
      return {
        ...base,
        state: "sent",
        ticket: first.service_request_id,
        notice: first.service_notice ?? null,
        sentAt: now,
        retryAt: 0,
        error: null,
        fields: [],
        photos: [],
      };
    }
    if (kind === "failed") {
      return { ...base, state: "failed", error: { status: answer.status, errors: errorsOf(answer.status, answer.body) } };
    }
    // 408, 429, 5xx, or a 2xx whose ticket could not be read: the same key again later
    // gets the ticket (the server replays the first answer).
    const delay = retryDelay(answer.retryAfter, now) ?? BACKOFF_MS[Math.min(entry.attempts, BACKOFF_MS.length) - 1] ?? BACKOFF_MS[0];
    return { ...base, state: "queued", retryAt: now + delay, error: { status: answer.status, errors: errorsOf(answer.status, answer.body) } };
  }

  /** Entries that still wait to be delivered (queued or being sent). */
  const waiting = (entry) => entry.state === "queued" || entry.state === "sending";

  /** A short excerpt of a description for the list. */
  function excerpt(text) {
    const clean = String(text ?? "").replace(/\s+/g, " ").trim();
    return clean.length > EXCERPT ? `${clean.slice(0, EXCERPT - 1)}…` : clean;
  }

  // -- sending --------------------------------------------------------------------------

  /** The multipart body: the stored fields and photos, exactly as the first attempt sent. */
  function formOf(entry) {
    const form = new FormData();
    for (const [name, value] of entry.fields) form.append(name, value);
    for (const photo of entry.photos) form.append("media", photo.blob, photo.name);
    return form;
  }

  /**
   * POSTs an entry to `{endpoint}requests.json`. The idempotency key travels in the
   * `idempotency_key` field: a multipart POST without custom headers is a "simple" CORS
   * request, so there is no preflight round trip on a poor connection.
   */
  async function post(entry, fetchImpl, timeout = TIMEOUT_MS) {
    const controller = typeof AbortController === "function" ? new AbortController() : null;
    const timer = controller ? setTimeout(() => controller.abort(), timeout) : 0;
    try {
      const response = await fetchImpl(`${entry.endpoint}requests.json`, {
        method: "POST",
        body: formOf(entry),
        credentials: "omit",
        cache: "no-store",
        signal: controller?.signal,
      });
      let body = null;
      try {
        body = await response.json();
      } catch {
        body = null;
      }
      return { status: response.status, body, retryAfter: response.headers.get("Retry-After") };
    } catch {
      return { network: true };
    } finally {
      clearTimeout(timer);
    }
  }

  // -- storage ----------------------------------------------------------------------------

  /** The IndexedDB store: {get, all, put, remove, update(key, change)}. */
  function idbStore(factory = globalThis.indexedDB) {
    let opened = null;
    const open = () => {
      opened ??= new Promise((resolve, reject) => {
        const request = factory.open(DB_NAME, DB_VERSION);
        request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: "key" });
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
        request.onblocked = () => reject(new Error("the report store is blocked"));
      });
      opened.catch(() => {
        opened = null;
      });
      return opened;
    };
    /** Runs `work(store, done)` in one transaction; resolves with what `done` was given. */
    async function run(mode, work) {
      const db = await open();
      return new Promise((resolve, reject) => {
        const tx = db.transaction(STORE, mode);
        let result;
        work(tx.objectStore(STORE), (value) => {
          result = value;
        });
        tx.oncomplete = () => resolve(result);
        tx.onerror = () => reject(tx.error);
        tx.onabort = () => reject(tx.error ?? new Error("aborted"));
      });
    }
    return {
      get: (key) => run("readonly", (store, done) => {
        store.get(key).onsuccess = (event) => done(event.target.result);
      }),
      all: () => run("readonly", (store, done) => {
        store.getAll().onsuccess = (event) => done(event.target.result);
      }),
      put: (entry) => run("readwrite", (store, done) => {
        store.put(entry);
        done(entry);
      }),
      remove: (key) => run("readwrite", (store) => {
        store.delete(key);
      }),
      /** Read, change and write one entry in one transaction: `change(entry)` gives the new
       * entry, or null for no change. Resolves with the new entry or null. */
      update: (key, change) => run("readwrite", (store, done) => {
        store.get(key).onsuccess = (event) => {
          const next = change(event.target.result);
          if (next) store.put(next);
          done(next ?? null);
        };
      }),
    };
  }

  /** A store in memory with the same interface (tests, and browsers without IndexedDB). */
  function memoryStore() {
    const rows = new Map();
    const copy = (value) => (value ? { ...value } : value);
    return {
      get: async (key) => copy(rows.get(key)),
      all: async () => [...rows.values()].map(copy),
      put: async (entry) => {
        rows.set(entry.key, copy(entry));
        return entry;
      },
      remove: async (key) => {
        rows.delete(key);
      },
      update: async (key, change) => {
        const next = change(copy(rows.get(key)));
        if (next) rows.set(key, copy(next));
        return next ?? null;
      },
    };
  }

  // -- the outbox -----------------------------------------------------------------------

  function randomId() {
    const bytes = new Uint8Array(16);
    globalThis.crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  /** A fresh idempotency key: a random UUID (crypto.randomUUID, else one made of random bytes). */
  function newKey() {
    if (typeof globalThis.crypto?.randomUUID === "function") return globalThis.crypto.randomUUID();
    const hex = randomId();
    // Version 4, variant 10xx, as randomUUID makes them.
    const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  }

  /**
   * The outbox over a store. Everything is injectable for tests: `fetch`, `now`, `locks`
   * (navigator.locks or null), `announce(message)` (BroadcastChannel by default) and
   * `hint(count)` (localStorage in pages).
   */
  function createOutbox({
    store = idbStore(),
    fetch: fetchImpl = (...args) => globalThis.fetch(...args),
    now = () => Date.now(),
    locks = globalThis.navigator?.locks ?? null,
    announce = broadcast,
    hint = saveHint,
  } = {}) {
    /** One sender at a time over every tab and the worker, where Web Locks exist. */
    const exclusive = (work) => (locks?.request ? locks.request(LOCK, work) : work());

    async function changed(key) {
      try {
        hint((await store.all()).filter(waiting).length);
      } catch {
        // A hint only: the next visit checks again.
      }
      announce({ type: "changed", key });
    }

    /** Claims, posts and settles one entry (the caller holds the lock). */
    async function sendOne(key, force) {
      const owner = randomId();
      const claimed = await store.update(key, (entry) => claim(entry, now(), owner, force));
      if (!claimed) return store.get(key);
      announce({ type: "sending", key });
      const answer = await post(claimed, fetchImpl);
      const settled = await store.update(key, (entry) => {
        if (!entry || entry.state === "sent") return null; // deleted meanwhile, or done by another
        // A ticket is always worth keeping; anything else only by the sender that holds the claim.
        const ticket = !answer.network && verdict(answer.status) === "sent";
        return ticket || entry.owner === owner ? settle(entry, answer, now()) : null;
      });
      await changed(key);
      return settled ?? store.get(key);
    }

    return {
      /** Stores a new report as queued (before any attempt, so nothing is lost). */
      async add(fields) {
        const entry = newEntry({ ...fields, now: now() });
        await store.put(entry);
        await changed(entry.key);
        return entry;
      },
      /** Sends one report now, whatever its retry delay; resolves with the entry after. */
      send: (key) => exclusive(() => sendOne(key, true)),
      /**
       * Sends every report that is due, oldest first; stops at the first network error (the
       * others would fail too). Resolves with {sent, failed, waiting, offline, nextRetry}.
       */
      flush: ({ force = false } = {}) =>
        exclusive(async () => {
          const result = { sent: 0, failed: 0, waiting: 0, offline: false, nextRetry: null };
          const due = (await store.all()).filter((e) => claimable(e, now(), force)).sort((a, b) => a.created - b.created);
          for (const entry of due) {
            const after = await sendOne(entry.key, force);
            if (after?.state === "sent") result.sent++;
            else if (after?.state === "failed") result.failed++;
            if (after?.error?.network) {
              result.offline = true;
              break;
            }
          }
          for (const entry of await store.all()) {
            if (!waiting(entry)) continue;
            result.waiting++;
            if (entry.state === "queued" && entry.retryAt > now()) {
              result.nextRetry = Math.min(result.nextRetry ?? Infinity, entry.retryAt);
            }
          }
          hint(result.waiting);
          return result;
        }),
      /** Every entry, newest first. */
      async list() {
        return (await store.all()).sort((a, b) => b.created - a.created);
      },
      get: (key) => store.get(key),
      /** Deletes an entry from this device (the report itself stays with the city). */
      async remove(key) {
        await store.remove(key);
        await changed(key);
      },
      /** Saves the last status looked up for a ticket: {status, notes, updated, checked}. */
      async noteStatus(key, status) {
        const next = await store.update(key, (entry) => (entry ? { ...entry, status } : null));
        if (next) announce({ type: "status", key });
        return next;
      },
    };
  }

  function broadcast(message) {
    if (typeof BroadcastChannel !== "function") return;
    const channel = new BroadcastChannel(CHANNEL);
    channel.postMessage(message);
    channel.close();
  }

  /** Calls `listener(message)` when any tab or the worker changed an entry; returns a stop function. */
  function listen(listener) {
    if (typeof BroadcastChannel !== "function") return () => {};
    const channel = new BroadcastChannel(CHANNEL);
    channel.onmessage = (event) => listener(event.data ?? {});
    return () => channel.close();
  }

  function saveHint(count) {
    try {
      globalThis.localStorage?.setItem(HINT, String(count));
    } catch {
      // Storage blocked: pages then check the outbox on every visit.
    }
  }

  globalThis.sitegenOutbox = Object.freeze({
    newEntry,
    claimable,
    claim,
    verdict,
    retryDelay,
    settle,
    waiting,
    excerpt,
    formOf,
    post,
    idbStore,
    memoryStore,
    newKey,
    createOutbox,
    listen,
    SYNC_TAG: "send-reports",
  });
})();
