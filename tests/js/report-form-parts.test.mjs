// Tests of the report form's parts that need no page (themes/default/static/js/report-*.js):
// the description's counter, the place and its words, the facility lookup in the published
// data, the problems of a refusal, the services a category shows, and the summary "My reports"
// keeps. The form on a page is tested in tests/e2e/test_report_form.py. `node --test tests/js/`.
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import "./app-modules.mjs";

const { translator } = await import("app/i18n.js");
const { charactersLeft, createDescriptionCounter, limitStep } = await import("app/report-description.js");
const { createPlace, describePlace, inBounds } = await import("app/report-place.js");
const { findFacility } = await import("app/report-facility.js");
const { errorId, serverProblems } = await import("app/report-errors.js");
const { attributeName, shownServices } = await import("app/report-questions.js");
const { reportSummary } = await import("app/report-send.js");

const t = translator({
  report_chars_left: "{count} characters left.",
  report_place_facility: "At {name}.",
  report_location_found: "Your location is set (to about {m} m).",
  report_pin_set: "Pin at {lat}, {lng}.",
  report_refused_unknown: "The report was not accepted. Please try again later.",
});

/** An element as far as the parts use it: text, and listeners to fire by hand. */
function fakeElement(value = "") {
  const listeners = {};
  const element = {
    value,
    textContent: "",
    addEventListener: (type, listener) => {
      listeners[type] = listener;
    },
    fire: (type) => listeners[type]({ type, target: element }),
  };
  return element;
}

describe("the description's counter", () => {
  it("counts code points, as the server does", () => {
    assert.equal(charactersLeft("", 4000), 4000);
    assert.equal(charactersLeft("冲水坏了", 10), 6);
    assert.equal(charactersLeft("𠀀🚽", 10), 8); // one character each, two UTF-16 units each
    assert.equal(charactersLeft("abcdef", 4), -2);
  });

  it("has steps only near the limit", () => {
    const steps = [4000, 101, 100, 51, 50, 11, 10, 1, 0, -3].map(limitStep);
    assert.deepEqual(steps, [null, null, 100, 100, 50, 50, 10, 10, 0, 0]);
  });

  it("shows the count on every key and speaks it once per step", () => {
    const textarea = fakeElement();
    const count = fakeElement();
    const live = fakeElement();
    const counter = createDescriptionCounter({ textarea, count, live, t, max: 100 });
    counter.update();
    assert.equal(count.textContent, "100 characters left.");
    assert.equal(live.textContent, "100 characters left."); // 100 is a step already
    live.textContent = "(spoken)";
    textarea.value = "x".repeat(30); // 70 left: still the step of 100
    textarea.fire("input");
    assert.equal(count.textContent, "70 characters left.");
    assert.equal(live.textContent, "(spoken)");
    textarea.value = "x".repeat(91); // 9 left
    textarea.fire("input");
    assert.equal(live.textContent, "9 characters left.");
    const far = createDescriptionCounter({ textarea: fakeElement("short"), count, live, t, max: 4000 });
    far.update();
    assert.equal(count.textContent, "3995 characters left.");
    assert.equal(live.textContent, "9 characters left."); // far from the limit: nothing new to say
  });
});

describe("the place", () => {
  const BOUNDS = [
    [113.75, 22.44],
    [114.65, 22.87],
  ];

  it("is in bounds on the edges and not outside them", () => {
    assert.equal(inBounds(BOUNDS, 22.5535, 114.0572), true);
    assert.equal(inBounds(BOUNDS, 22.44, 113.75), true);
    assert.equal(inBounds(BOUNDS, 22.87, 114.65), true);
    assert.equal(inBounds(BOUNDS, 22.43, 114.0), false);
    assert.equal(inBounds(BOUNDS, 22.5, 114.66), false);
    assert.equal(inBounds(BOUNDS, 114.0572, 22.5535), false); // lat and lng swapped
  });

  it("says what is known of it", () => {
    assert.equal(describePlace({ facility: null, source: null }, t), "");
    assert.equal(describePlace({ facility: "ft-1", name: null, source: "facility" }, t), "At ft-1.");
    assert.equal(describePlace({ facility: "ft-1", name: "Lianhua South", source: "facility" }, t), "At Lianhua South.");
    assert.equal(describePlace({ source: "device", accuracy: 23.6 }, t), "Your location is set (to about 24 m).");
    assert.equal(describePlace({ source: "device", accuracy: 0.2 }, t), "Your location is set (to about 1 m).");
    assert.equal(describePlace({ source: "device", accuracy: null }, t), "Your location is set (to about 1 m).");
    assert.equal(describePlace({ facility: "ft-1", source: "pin", lat: 22.553512345, lng: 114.0572 }, t), "At ft-1. Pin at 22.55351, 114.05720.");
  });

  it("tells the status and the form when a position is set", () => {
    const status = fakeElement();
    let told = 0;
    const place = createPlace({ bounds: BOUNDS, t, status, onPosition: () => told++ });
    place.say("Finding…");
    assert.equal(status.textContent, "Finding…");
    place.setPosition(22.5535, 114.0572, "device", 12);
    assert.equal(told, 1);
    assert.equal(status.textContent, "Your location is set (to about 12 m).");
    assert.deepEqual([place.current.lat, place.current.lng, place.current.source], [22.5535, 114.0572, "device"]);
    assert.equal(place.inside(22.5535, 114.0572), true);
    assert.equal(place.inside(0, 0), false);
  });

  it("changes only the facility facts given", () => {
    const place = createPlace({ bounds: BOUNDS, t, status: fakeElement() });
    place.setFacility({ facility: "ft-1", name: "ft-1", category: "toilet" });
    place.setFacility({ name: "Lianhua South", url: "/en/toilet/ft-1/" });
    assert.deepEqual(
      { ...place.current },
      { facility: "ft-1", name: "Lianhua South", url: "/en/toilet/ft-1/", category: "toilet", lat: null, lng: null, source: null, accuracy: null },
    );
    place.setFacility({ facility: null, name: null, category: null, lat: 1 }); // not a facility fact: ignored
    assert.deepEqual([place.current.facility, place.current.url, place.current.lat], [null, "/en/toilet/ft-1/", null]);
  });
});

describe("findFacility", () => {
  const CATEGORIES = [
    { id: "park", pages: "/en/park/" },
    { id: "toilet", pages: "/en/toilet/" },
  ];
  const POINTS = {
    park: { ids: ["pk-1"], coords: [114.05, 22.54], text: { name: ["Lianhua Hill"] } },
    toilet: { ids: ["ft-1", "ft 2"], coords: [114.0572, 22.5535, 114.06, 22.55], text: null },
  };

  /** A store that gives copies of POINTS and notes which categories it was asked for. */
  function fakeStore() {
    const asked = [];
    return {
      asked,
      withText: async (category) => {
        asked.push(category.id);
        return { ...POINTS[category.id] };
      },
    };
  }

  it("looks in the given category first and stops when found", async () => {
    const store = fakeStore();
    const found = await findFacility(store, CATEGORIES, "ft-1", "toilet");
    assert.deepEqual(store.asked, ["toilet"]);
    assert.deepEqual(found, { category: CATEGORIES[1], lng: 114.0572, lat: 22.5535, name: "ft-1", url: "/en/toilet/ft-1/" });
  });

  it("finds a facility in another category than the one given, with its name and page", async () => {
    const store = fakeStore();
    const found = await findFacility(store, CATEGORIES, "pk-1", "toilet");
    assert.deepEqual(store.asked, ["toilet", "park"]);
    assert.equal(found.name, "Lianhua Hill");
    assert.equal(found.category.id, "park");
    assert.deepEqual([found.lat, found.lng], [22.54, 114.05]);
  });

  it("escapes the id in the page address, and is null for an unknown id", async () => {
    assert.equal((await findFacility(fakeStore(), CATEGORIES, "ft 2", null)).url, "/en/toilet/ft%202/");
    const store = fakeStore();
    assert.equal(await findFacility(store, CATEGORIES, "gone", "park"), null);
    assert.deepEqual(store.asked, ["park", "toilet"]);
  });
});

describe("the form's problems", () => {
  it("names each field's message element", () => {
    assert.equal(errorId("description"), "error-description");
    assert.equal(errorId("place"), "error-place");
    assert.equal(errorId("attribute:what"), "error-attribute-what");
  });

  it("puts the server's messages at their fields, and says something when there are none", () => {
    const refusal = {
      status: 400,
      errors: [
        { code: 400, description: "description is longer than 4000 characters" },
        { code: 400, description: "attribute[what] is required" },
        { code: 400, description: 'unknown facility "x"' },
        { code: 400, description: "requests from https://evil.example are not allowed" },
      ],
    };
    assert.deepEqual(serverProblems(refusal, t), [
      { field: "description", text: "description is longer than 4000 characters" },
      { field: "attribute:what", text: "attribute[what] is required" },
      { field: "place", text: 'unknown facility "x"' },
      { field: null, text: "requests from https://evil.example are not allowed" },
    ]);
    const unknown = [{ field: null, text: "The report was not accepted. Please try again later." }];
    assert.deepEqual(serverProblems({ status: 400, errors: [] }, t), unknown);
    assert.deepEqual(serverProblems(undefined, t), unknown);
  });
});

describe("the problems a facility shows", () => {
  const SERVICES = [
    { code: "toilet_broken", categories: ["toilet"] },
    { code: "park_damage", categories: ["park"] },
    { code: "wrong_information", categories: [] },
  ];

  it("are those of its category, with the ones for every category", () => {
    assert.deepEqual([...shownServices(SERVICES, "toilet")], ["toilet_broken", "wrong_information"]);
  });

  it("are all of them without a category, or when none fits it", () => {
    assert.deepEqual([...shownServices(SERVICES, null)], ["toilet_broken", "park_damage", "wrong_information"]);
    const special = SERVICES.slice(0, 2);
    assert.deepEqual([...shownServices(special, "gas")], ["toilet_broken", "park_damage"]);
  });

  it("name their questions' controls as Open311 does", () => {
    assert.equal(attributeName({ code: "what", datatype: "singlevaluelist" }), "attribute[what]");
    assert.equal(attributeName({ code: "also", datatype: "multivaluelist" }), "attribute[also][]");
    assert.equal(attributeName({ code: "count", datatype: "number" }), "attribute[count]");
  });
});

describe("reportSummary", () => {
  const excerpt = (text) => `«${text.trim()}»`;
  const report = { description: " The flush is broken. ", place: { address: "  " } };
  const service = { code: "toilet_broken", name: "Something is broken" };

  it("keeps the facility, not the typed address, when there is one", () => {
    const place = { facility: "ft-1", name: "Lianhua South", url: "/en/toilet/ft-1/", category: "toilet", lat: 22.5 };
    assert.deepEqual(reportSummary({ report, service, place, thumb: "data:image/jpeg;base64,AA", locale: "en", excerpt }), {
      serviceCode: "toilet_broken",
      serviceName: "Something is broken",
      excerpt: "«The flush is broken.»",
      facility: { id: "ft-1", name: "Lianhua South", url: "/en/toilet/ft-1/", category: "toilet" },
      address: null,
      thumb: "data:image/jpeg;base64,AA",
      locale: "en",
    });
  });

  it("keeps the address without a facility, and no thumbnail without photos", () => {
    const summary = reportSummary({
      report: { ...report, place: { address: " Civic Square " } },
      service,
      place: { facility: null },
      thumb: undefined,
      locale: "zh-Hans",
      excerpt,
    });
    assert.deepEqual([summary.facility, summary.address, summary.thumb, summary.locale], [null, "Civic Square", null, "zh-Hans"]);
  });
});
