// Tests of "open now" (themes/default/static/js/hours.js): `node --test tests/js/`.
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { createHours } from "../../themes/default/static/js/hours.js";

// A table as sitegen/render/appdata.py writes it: London from 2025-03-29, over the change to
// summer time on 2025-03-30 at 01:00 UTC; one schedule open 09:00-17:00 every day.
const LONDON = {
  start: "2025-03-29",
  length: 3,
  timezone: "Europe/London",
  zone: [[1743120000, 0], [1743296400, 60]],
  days: [[[540, 1020]]],
  rows: [[0, 0, 0]],
};

function at(iso, table = LONDON) {
  return createHours(table, table.timezone, () => new Date(iso));
}

describe("createHours", () => {
  it("reads the site's local time from the zone offsets, across a change of offset", () => {
    assert.equal(at("2025-03-29T08:59:00Z").state(0), 0); // 08:59 GMT
    assert.equal(at("2025-03-29T09:00:00Z").state(0), 1); // 09:00 GMT
    assert.equal(at("2025-03-30T08:30:00Z").state(0), 1); // 09:30 BST
    assert.equal(at("2025-03-30T16:00:00Z").state(0), 0); // 17:00 BST: closed
  });

  it("gives the same answers as Intl for every quarter hour of the days", () => {
    const withoutZone = { ...LONDON, zone: undefined };
    for (let ms = Date.UTC(2025, 2, 29); ms < Date.UTC(2025, 3, 1); ms += 15 * 60000) {
      const iso = new Date(ms).toISOString();
      assert.equal(at(iso).state(0), at(iso, withoutZone).state(0), iso);
    }
  });

  it("does not know the hours outside the compiled days", () => {
    assert.equal(at("2025-04-02T10:00:00Z").state(0), -1);
    assert.equal(at("2025-03-28T10:00:00Z").state(0), -1);
  });

  it("lists the next days with their weekdays (0 = Monday)", () => {
    assert.deepEqual(
      at("2025-03-29T12:00:00Z").days(0, 7).map((d) => [d.date, d.weekday]),
      [["2025-03-29", 5], ["2025-03-30", 6], ["2025-03-31", 0]],
    );
  });
});
