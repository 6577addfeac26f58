// Tests of the report form's pure parts: the Open311 fields of a report and the checks before
// sending (report-fields.js), and the photo size maths (photo-resize.js). `node --test tests/js/`.
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import {
  MAX_DESCRIPTION,
  applies,
  checkReport,
  fieldOfServerError,
  fieldsToReport,
  reportFields,
} from "../../themes/default/static/js/report-fields.js";
import { fitWithin } from "../../themes/default/static/js/photo-resize.js";

const BROKEN = {
  code: "toilet_broken",
  categories: ["toilet"],
  attributes: [
    { code: "what", datatype: "singlevaluelist", required: true, description: "What is broken?", values: [["flush", "Flush"]] },
    { code: "also", datatype: "multivaluelist", required: false, description: "Anything else?", values: [] },
    { code: "count", datatype: "number", required: false, description: "How many?", values: [] },
  ],
};

const REPORT = {
  service: "toilet_broken",
  attributes: { what: "flush", also: ["light", "soap"], count: "" },
  description: "  The flush is broken.  ",
  place: { facility: "ft-lianhua-south", lat: 22.5535, lng: 114.0572, address: "" },
  email: "",
  locale: "en",
  jurisdiction: "sz-test",
  key: "5b7c4a1e-0000-4000-8000-000000000000",
};

describe("reportFields", () => {
  it("lists the Open311 fields, empty ones left out", () => {
    assert.deepEqual(reportFields(REPORT), [
      ["service_code", "toilet_broken"],
      ["description", "The flush is broken."],
      ["lat", "22.553500"],
      ["long", "114.057200"],
      ["attribute[facility]", "ft-lianhua-south"],
      ["attribute[what]", "flush"],
      ["attribute[also][]", "light"],
      ["attribute[also][]", "soap"],
      ["locale", "en"],
      ["jurisdiction_id", "sz-test"],
      ["idempotency_key", "5b7c4a1e-0000-4000-8000-000000000000"],
    ]);
  });

  it("sends an address and contact without a position", () => {
    const fields = reportFields({ service: "wrong_information", description: "x", place: { address: "Civic Square" }, email: "mei@example.org" });
    assert.deepEqual(fields, [
      ["service_code", "wrong_information"],
      ["description", "x"],
      ["address_string", "Civic Square"],
      ["email", "mei@example.org"],
    ]);
  });

  it("reads back what it wrote (editing a refused report)", () => {
    const again = fieldsToReport(reportFields({ ...REPORT, email: "mei@example" }));
    assert.deepEqual(again, {
      service: "toilet_broken",
      attributes: { what: "flush", also: ["light", "soap"] },
      description: "The flush is broken.",
      place: { facility: "ft-lianhua-south", lat: 22.5535, lng: 114.0572 },
      email: "mei@example",
    });
  });
});

describe("checkReport", () => {
  const messages = (problems) => problems.map((p) => `${p.field} ${p.message}`);

  it("accepts a complete report", () => {
    assert.deepEqual(checkReport(REPORT, BROKEN), []);
  });

  it("tells every problem at once, each with its control", () => {
    const empty = { attributes: {}, description: "   ", place: {}, email: "x" };
    assert.deepEqual(messages(checkReport(empty, null, { emailValid: false, photos: 4 })), [
      "service error_service",
      "description error_description",
      "place error_place",
      "email error_email",
      "photos error_photos",
    ]);
  });

  it("asks the required questions and checks numbers", () => {
    const problems = checkReport({ ...REPORT, attributes: { count: "two" } }, BROKEN);
    assert.deepEqual(messages(problems), ["attribute:what error_attribute", "attribute:count error_number"]);
    assert.deepEqual(problems[0].vars, { question: "What is broken?" });
  });

  it("counts the description in characters as the server does, not UTF-16 units", () => {
    const emoji = "🚽".repeat(MAX_DESCRIPTION); // 8000 UTF-16 units, 4000 characters
    assert.deepEqual(checkReport({ ...REPORT, description: emoji }, BROKEN), []);
    const problems = checkReport({ ...REPORT, description: `${emoji}!` }, BROKEN);
    assert.deepEqual(messages(problems), ["description error_description_long"]);
  });

  it("takes a position, a facility or an address as the place", () => {
    for (const place of [{ lat: 22.5, lng: 114 }, { facility: "x" }, { address: "Civic Square" }]) {
      assert.deepEqual(checkReport({ ...REPORT, place }, BROKEN), [], JSON.stringify(place));
    }
    const long = checkReport({ ...REPORT, place: { address: "路".repeat(501) } }, BROKEN);
    assert.deepEqual(messages(long), ["address error_address_long"]);
  });
});

describe("services and server errors", () => {
  it("offers a facility's category's problems and those of every place", () => {
    assert.ok(applies(BROKEN, "toilet"));
    assert.ok(!applies(BROKEN, "drinking_water"));
    assert.ok(applies({ categories: [] }, "gas"));
    assert.ok(applies(BROKEN, null));
  });

  it("finds the control an error of the server is about", () => {
    const cases = {
      "email is not an email address": "email",
      "description is longer than 4000 characters": "description",
      "attribute[what] is required": "attribute:what",
      "attribute[facility] is given more than once": "place",
      'unknown facility "x"': "place",
      "lat and long go together: give both or neither": "place",
      "the place is outside the area this site covers": "place",
      "give the place: lat and long, address_string or attribute[facility]": "place",
      'service "toilet_dirty" does not apply to a gas': "service",
      "service_code is required": "service",
      "address_string is longer than 500 characters": "address",
      "a photo is larger than 10 MiB": "photos",
      'no service request "x"': null,
      "requests from https://evil.example are not allowed": null,
    };
    for (const [description, field] of Object.entries(cases)) {
      assert.equal(fieldOfServerError(description), field, description);
    }
  });
});

describe("fitWithin", () => {
  it("fits the long edge to the limit, keeping the proportions", () => {
    assert.deepEqual(fitWithin(4032, 3024), { width: 1600, height: 1200 });
    assert.deepEqual(fitWithin(2000, 3000), { width: 1067, height: 1600 });
    assert.deepEqual(fitWithin(1600, 10), { width: 1600, height: 10 });
  });

  it("never enlarges, and never rounds an edge to nothing", () => {
    assert.deepEqual(fitWithin(800, 600), { width: 800, height: 600 });
    assert.deepEqual(fitWithin(16000, 2), { width: 1600, height: 1 });
    assert.deepEqual(fitWithin(300, 200, 160), { width: 160, height: 107 });
  });

  it("refuses an image without a size", () => {
    assert.throws(() => fitWithin(0, 10), RangeError);
    assert.throws(() => fitWithin(Number.NaN, 10), RangeError);
  });
});
