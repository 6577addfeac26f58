// Tests of the report outbox (themes/default/static/js/report-outbox.js): its state machine and
// delivery with a store in memory, a fake server and a fake clock. `node --test tests/js/`.
import assert from "node:assert/strict";
import { describe, it } from "node:test";

// A plain script (the service worker importScripts() it): it defines globalThis.sitegenOutbox.
await import("../../themes/default/static/js/report-outbox.js");
const outbox = globalThis.sitegenOutbox;

const ENDPOINT = "https://reports.example.org/open311/v2/";

/**
 * A fake Open311 server that stores a report once per idempotency key, as the real one does:
 * `script` answers the first calls ("network", "lost" = stored but the answer lost, or a status).
 */
function fakeServer(script = []) {
  const stored = new Map(); // key -> ticket
  const calls = [];
  let n = 0;
  async function fetch(url, init) {
    const form = init.body;
    const key = form.get("idempotency_key");
    calls.push({ url, key, photos: form.getAll("media").length, fields: [...form.keys()] });
    const step = script[n++];
    if (step === "network") throw new TypeError("Failed to fetch");
    if (typeof step === "number") {
      const body = [{ code: step, description: step === 400 ? "email is not an email address" : "try later" }];
      return new Response(JSON.stringify(body), { status: step, headers: step === 429 ? { "Retry-After": "7" } : {} });
    }
    if (!stored.has(key)) stored.set(key, `SZ-2501-${String(stored.size).padStart(6, "0")}`);
    if (step === "lost") throw new TypeError("network error after the server stored it");
    const answer = [{ service_request_id: stored.get(key), service_notice: "Thank you", account_id: null }];
    return new Response(JSON.stringify(answer), { status: 201, headers: { "Content-Type": "application/json" } });
  }
  return { fetch, stored, calls };
}

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms) => (now += ms) };
}

function makeOutbox(server, time = clock(), extra = {}) {
  return outbox.createOutbox({
    store: outbox.memoryStore(),
    fetch: server.fetch,
    now: time.now,
    locks: null,
    announce: () => {},
    hint: () => {},
    ...extra,
  });
}

function report(key, fields = []) {
  return {
    key,
    endpoint: ENDPOINT,
    fields: [["service_code", "toilet_dirty"], ["description", "wet floor"], ["idempotency_key", key], ...fields],
    photos: [{ blob: new Blob([new Uint8Array([0xff, 0xd8, 0xff])], { type: "image/jpeg" }), name: "photo-1.jpg" }],
    summary: { serviceName: "Toilet is dirty" },
  };
}

describe("state machine", () => {
  const entry = outbox.newEntry({ ...report("k1"), now: 100 });

  it("sorts answers into sent, retry and failed", () => {
    assert.equal(outbox.verdict(201), "sent");
    for (const status of [408, 429, 500, 502, 503]) assert.equal(outbox.verdict(status), "retry", status);
    for (const status of [400, 403, 404, 413, 415, 422]) assert.equal(outbox.verdict(status), "failed", status);
    assert.equal(outbox.verdict(302), "retry");
  });

  it("lets one sender claim an entry, and frees a claim whose lease ran out", () => {
    const claimed = outbox.claim(entry, 200, "tab-a");
    assert.equal(claimed.state, "sending");
    assert.equal(claimed.attempts, 1);
    assert.equal(outbox.claim(claimed, 300, "tab-b"), null);
    const later = claimed.leaseUntil;
    assert.equal(outbox.claim(claimed, later, "worker").owner, "worker");
  });

  it("keeps the ticket and drops the photos and the contact once delivered", () => {
    const claimed = outbox.claim(entry, 200, "tab-a");
    const body = [{ service_request_id: "SZ-2501-ABCDEF", service_notice: "Thanks" }];
    const sent = outbox.settle(claimed, { status: 201, body }, 300);
    assert.deepEqual([sent.state, sent.ticket, sent.notice, sent.sentAt], ["sent", "SZ-2501-ABCDEF", "Thanks", 300]);
    assert.deepEqual([sent.fields, sent.photos, sent.owner], [[], [], null]);
    assert.equal(sent.summary.serviceName, "Toilet is dirty");
  });

  it("retries a 2xx without a readable ticket: the same key will get the ticket", () => {
    const claimed = outbox.claim(entry, 200, "tab-a");
    const after = outbox.settle(claimed, { status: 201, body: null }, 300);
    assert.equal(after.state, "queued");
    assert.equal(after.fields, entry.fields);
  });

  it("waits as Retry-After says, else backs off", () => {
    const claimed = outbox.claim(entry, 200, "tab-a");
    assert.equal(outbox.settle(claimed, { status: 429, body: [], retryAfter: "7" }, 1000).retryAt, 8000);
    assert.equal(outbox.settle(claimed, { status: 503, body: [] }, 1000).retryAt, 6000);
    assert.equal(outbox.retryDelay("Wed, 22 Jan 2025 10:00:10 GMT", Date.parse("2025-01-22T10:00:00Z")), 10000);
    assert.equal(outbox.retryDelay("soon", 0), null);
    const network = outbox.settle(claimed, { network: true }, 1000);
    assert.deepEqual([network.state, network.retryAt, network.error], ["queued", 0, { network: true }]);
  });

  it("marks a refusal failed with the server's messages, keeping what is needed to correct it", () => {
    const claimed = outbox.claim(entry, 200, "tab-a");
    const body = [{ code: 400, description: "email is not an email address" }];
    const failed = outbox.settle(claimed, { status: 400, body }, 300);
    assert.equal(failed.state, "failed");
    assert.deepEqual(failed.error, { status: 400, errors: body });
    assert.equal(failed.photos.length, 1);
    assert.equal(outbox.claimable(failed, 10 ** 12, true), false); // never sent again as it is
    const opaque = outbox.settle(claimed, { status: 403, body: "<html>" }, 300);
    assert.deepEqual(opaque.error.errors, [{ code: 403, description: "HTTP 403" }]);
  });

  it("makes random UUIDs, also without crypto.randomUUID", () => {
    const pattern = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    assert.match(outbox.newKey(), pattern);
    const original = crypto.randomUUID;
    try {
      crypto.randomUUID = undefined;
      const keys = new Set(Array.from({ length: 50 }, () => outbox.newKey()));
      assert.equal(keys.size, 50);
      for (const key of keys) assert.match(key, pattern);
    } finally {
      crypto.randomUUID = original;
    }
  });

  it("shortens descriptions for the list", () => {
    assert.equal(outbox.excerpt("  wet\n floor "), "wet floor");
    const long = outbox.excerpt("x".repeat(500));
    assert.equal([...long].length, 140);
    assert.ok(long.endsWith("…"));
  });
});

describe("delivery", () => {
  it("sends the stored fields and photos, with the idempotency key in the form", async () => {
    const server = fakeServer();
    const box = makeOutbox(server);
    await box.add(report("k1", [["email", "mei@example.org"]]));
    const after = await box.send("k1");
    assert.equal(after.state, "sent");
    assert.deepEqual(server.calls, [
      {
        url: `${ENDPOINT}requests.json`,
        key: "k1",
        photos: 1,
        fields: ["service_code", "description", "idempotency_key", "email", "media"],
      },
    ]);
  });

  it("delivers exactly once when the answer is lost: the same key again gets the first ticket", async () => {
    const server = fakeServer(["lost"]);
    const box = makeOutbox(server);
    await box.add(report("k1"));
    const first = await box.send("k1");
    assert.equal(first.state, "queued");
    assert.equal(server.stored.size, 1); // stored already, the phone does not know
    const again = await box.flush();
    assert.deepEqual(again, { sent: 1, failed: 0, waiting: 0, offline: false, nextRetry: null });
    assert.deepEqual(server.calls.map((c) => c.key), ["k1", "k1"]);
    assert.equal(server.stored.size, 1);
    assert.equal((await box.get("k1")).ticket, server.stored.get("k1"));
  });

  it("keeps reports while offline, stops at the first network error and sends them in order later", async () => {
    const server = fakeServer(["network"]);
    const time = clock();
    const box = makeOutbox(server, time);
    for (const key of ["a", "b", "c"]) {
      await box.add(report(key));
      time.advance(1000);
    }
    const offline = await box.flush();
    assert.deepEqual([offline.sent, offline.waiting, offline.offline], [0, 3, true]);
    assert.equal(server.calls.length, 1); // not three failures in a row
    const online = await box.flush();
    assert.deepEqual([online.sent, online.waiting], [3, 0]);
    assert.deepEqual(server.calls.map((c) => c.key), ["a", "a", "b", "c"]);
  });

  it("respects Retry-After unless a person asks, and never resends a refused report", async () => {
    const server = fakeServer([429, 400]);
    const time = clock();
    const box = makeOutbox(server, time);
    await box.add(report("slow"));
    const first = await box.flush();
    assert.equal(first.nextRetry, time.now() + 7000);
    time.advance(1000);
    assert.equal((await box.flush()).sent, 0); // not due yet
    assert.equal(server.calls.length, 1);
    const refused = await box.send("slow"); // "Send now" (the second answer: 400)
    assert.equal(refused.state, "failed");
    time.advance(10 ** 9);
    await box.flush();
    assert.equal(server.calls.length, 2);
  });

  it("lets only one of two flushers send an entry, without locks", async () => {
    // Two tabs (or a tab and the worker) flushing at once over the same store.
    const server = fakeServer();
    let release;
    const gate = new Promise((resolve) => (release = resolve));
    const slowFetch = async (...args) => {
      await gate;
      return server.fetch(...args);
    };
    const store = outbox.memoryStore();
    const options = { store, now: () => 5, locks: null, announce: () => {}, hint: () => {} };
    const tab = outbox.createOutbox({ ...options, fetch: slowFetch });
    const worker = outbox.createOutbox({ ...options, fetch: slowFetch });
    await tab.add(report("k1"));
    const both = Promise.all([tab.flush(), worker.flush()]);
    release();
    const results = await both;
    assert.deepEqual(results.map((r) => r.sent).sort(), [0, 1]);
    assert.equal(server.calls.length, 1);
  });

  it("holds the lock around a flush where there are Web Locks", async () => {
    const taken = [];
    const locks = {
      request: async (name, work) => {
        taken.push(name);
        return work();
      },
    };
    const box = makeOutbox(fakeServer(), clock(), { locks });
    await box.add(report("k1"));
    await box.flush();
    await box.send("k1");
    assert.deepEqual(taken, ["sitegen-reports-send", "sitegen-reports-send"]);
  });

  it("does not bring back a report deleted while it was being sent", async () => {
    const server = fakeServer();
    const store = outbox.memoryStore();
    let box;
    const fetch = async (...args) => {
      await box.remove("k1");
      return server.fetch(...args);
    };
    box = outbox.createOutbox({ store, fetch, now: () => 1, locks: null, announce: () => {}, hint: () => {} });
    await box.add(report("k1"));
    await box.send("k1");
    assert.deepEqual(await box.list(), []);
  });

  it("counts what waits for the pages' hint and announces every change", async () => {
    const hints = [];
    const messages = [];
    const box = makeOutbox(fakeServer(["network"]), clock(), {
      hint: (count) => hints.push(count),
      announce: (message) => messages.push(message.type),
    });
    await box.add(report("k1"));
    await box.flush();
    await box.flush();
    assert.deepEqual(hints, [1, 1, 1, 0, 0]);
    assert.deepEqual(messages, ["changed", "sending", "changed", "sending", "changed"]);
    await box.noteStatus("k1", { status: "closed", checked: 9 });
    assert.equal((await box.get("k1")).status.status, "closed");
  });
});
