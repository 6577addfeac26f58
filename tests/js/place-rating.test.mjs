// The place rating's summary lines (place-rating.js): what a card says of a place's ratings,
// the same words as the build bakes in (templates/_place-rating.html). `node --test tests/js/`.
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { summaryLines } from "../../themes/default/static/js/place-rating.js";

const STRINGS = {
  summary: "Cleanliness {average} of 5 ({count} ratings)",
  information_summary: "{right} say the information is right, {wrong} say something is wrong",
  none: "Not rated yet.",
};

describe("summaryLines", () => {
  it("says the average to one decimal and the information counts", () => {
    const aggregate = { ratings: 12, cleanliness: { count: 10, average: 4.3 }, information: { right: 7, wrong: 2 } };
    assert.deepEqual(summaryLines(aggregate, STRINGS), [
      "Cleanliness 4.3 of 5 (10 ratings)",
      "7 say the information is right, 2 say something is wrong",
    ]);
  });
  it("leaves out what nobody answered", () => {
    const onlyInformation = { ratings: 1, cleanliness: { count: 0, average: null }, information: { right: 0, wrong: 1 } };
    assert.deepEqual(summaryLines(onlyInformation, STRINGS), ["0 say the information is right, 1 say something is wrong"]);
    assert.deepEqual(summaryLines({ cleanliness: { count: 2, average: 2 }, information: { right: 0, wrong: 0 } }, STRINGS), [
      "Cleanliness 2.0 of 5 (2 ratings)",
    ]);
  });
  it("says so when a place is not rated", () => {
    const zero = { ratings: 0, cleanliness: { count: 0, average: null }, information: { right: 0, wrong: 0 } };
    assert.deepEqual(summaryLines(zero, STRINGS), ["Not rated yet."]);
    assert.deepEqual(summaryLines(null, STRINGS), ["Not rated yet."]);
  });
});
