// Tests of the status look-up of "My reports" (themes/default/static/js/report-status.js): which
// tickets are looked up, their Open311 address, a few at a time, and what is saved in the outbox
// (a store in memory, a fake server). `node --test tests/js/`.
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import "./app-modules.mjs";

await import("app/report-outbox.js");
const { createOutbox, memoryStore } = globalThis.sitegenOutbox;
const { deliveredEntries, lookUpStatuses, pool, statusUrl } = await import("app/report-status.js");

const ENDPOINT = "https://reports.example.org/open311/v2/";
const CONFIG = { endpoint: ENDPOINT, locale: "zh-Hant", jurisdiction: "sz" };
const sent = (n, more = {}) => ({ key: `k${n}`, state: "sent", ticket: `SZ-2501-${n}`, ...more });

describe("deliveredEntries", () => {
  it("keeps delivered entries with a ticket, the newest 50", () => {
    const entries = [sent(1), { key: "q", state: "queued" }, { key: "f", state: "failed" }, sent(2, { ticket: null })];
    assert.deepEqual(deliveredEntries(entries).map((e) => e.key), ["k1"]);
    const many = Array.from({ length: 60 }, (_, n) => sent(n));
    assert.deepEqual(deliveredEntries(many).map((e) => e.key), many.slice(0, 50).map((e) => e.key));
  });
});

describe("statusUrl", () => {
  it("asks the endpoint the report went to, in the page's locale and jurisdiction", () => {
    const url = statusUrl(sent(7, { endpoint: "https://old.example.org/v2/" }), CONFIG);
    assert.equal(url.href, "https://old.example.org/v2/requests/SZ-2501-7.json?jurisdiction_id=sz&locale=zh-Hant&extensions=true");
  });

  it("falls back to the page's endpoint, escapes the ticket and leaves out no jurisdiction", () => {
    const url = statusUrl(sent(1, { ticket: "A/B 1" }), { endpoint: ENDPOINT, locale: "en" });
    assert.equal(url.href, `${ENDPOINT}requests/A%2FB%201.json?locale=en&extensions=true`);
  });
});

describe("pool", () => {
  it("runs every task, never more than the limit at once", async () => {
    let running = 0;
    let most = 0;
    const done = [];
    await pool([1, 2, 3, 4, 5, 6, 7], 3, async (item) => {
      most = Math.max(most, ++running);
      await new Promise((resolve) => setTimeout(resolve, item % 3));
      done.push(item);
      running--;
    });
    assert.deepEqual(done.sort(), [1, 2, 3, 4, 5, 6, 7]);
    assert.equal(most, 3);
    await pool([], 3, async () => assert.fail("no items, no task"));
  });
});

describe("lookUpStatuses", () => {
  /** The Open311 answer of GET requests/{ticket}.json, or an error status for some tickets. */
  function fakeServer(refused = new Set()) {
    const asked = [];
    let running = 0;
    let most = 0;
    async function fetch(url, init) {
      asked.push({ url: String(url), init });
      most = Math.max(most, ++running);
      await new Promise((resolve) => setTimeout(resolve, 1));
      running--;
      const ticket = decodeURIComponent(/requests\/(.*)\.json/.exec(url.pathname)[1]);
      if (refused.has(ticket)) return new Response("[]", { status: 404 });
      const extended_attributes = ticket.endsWith("1") ? { case_status: "closed", rating_open: true, rated: false } : undefined;
      const body = [{ service_request_id: ticket, status: "closed", status_notes: ticket.endsWith("1") ? "Fixed." : "", updated_datetime: "2025-01-23T08:00:00+08:00", extended_attributes }];
      return new Response(JSON.stringify(body), { status: 200 });
    }
    return { fetch, asked, most: () => most };
  }

  async function boxWith(entries) {
    const store = memoryStore();
    for (const entry of entries) await store.put(entry);
    return createOutbox({ store, announce: () => {}, hint: () => {}, locks: null });
  }

  it("saves each status with its notes, its date and when it was checked", async () => {
    const box = await boxWith([sent(1), sent(2)]);
    const server = fakeServer();
    const failed = await lookUpStatuses([sent(1), sent(2)], { box, reportConfig: CONFIG, fetch: server.fetch, now: () => 42 });
    assert.equal(failed, 0);
    const updated = Date.parse("2025-01-23T00:00:00Z");
    const unrated = { rated: false, ratedAs: null };
    assert.deepEqual((await box.get("k1")).status, { status: "closed", notes: "Fixed.", updated, checked: 42, caseStatus: "closed", ratingOpen: true, ...unrated });
    assert.deepEqual((await box.get("k2")).status, { status: "closed", notes: null, updated, checked: 42, caseStatus: null, ratingOpen: false, ...unrated });
    assert.deepEqual(server.asked[0].init, { credentials: "omit", cache: "no-store" });
    assert.equal(new URL(server.asked[0].url).searchParams.get("extensions"), "true"); // the case's step
  });

  it("counts the look-ups that failed and keeps the last known status of those", async () => {
    const before = { status: "open", notes: null, updated: 1, checked: 2 };
    const box = await boxWith([sent(1), sent(2, { status: before })]);
    const server = fakeServer(new Set(["SZ-2501-2"]));
    const failed = await lookUpStatuses([sent(1), sent(2)], { box, reportConfig: CONFIG, fetch: server.fetch, now: () => 42 });
    assert.equal(failed, 1);
    assert.deepEqual((await box.get("k2")).status, before);
    const broken = await lookUpStatuses([sent(1)], { box, reportConfig: CONFIG, fetch: async () => { throw new TypeError("Failed to fetch"); } });
    assert.equal(broken, 1);
  });

  it("asks four at a time", async () => {
    const entries = Array.from({ length: 9 }, (_, n) => sent(n));
    const box = await boxWith(entries);
    const server = fakeServer();
    assert.equal(await lookUpStatuses(entries, { box, reportConfig: CONFIG, fetch: server.fetch }), 0);
    assert.equal(server.asked.length, 9);
    assert.equal(server.most(), 4);
  });
});
