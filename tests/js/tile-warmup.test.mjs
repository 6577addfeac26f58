// Tests of the home page's start (themes/default/static/js/tile-warmup.js, tasks.js): the app
// waits for the first tiles, and never longer than its limit. `node --test tests/js/`.
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { idle } from "../../themes/default/static/js/tasks.js";
import { firstTiles, initialTiles, tilesShown, visibleCentre } from "../../themes/default/static/js/tile-warmup.js";

/** An image stand-in whose decode() settles when the test says so. */
function tile() {
  let settle;
  const decoded = new Promise((resolve, reject) => {
    settle = { load: resolve, fail: () => reject(new Error("EncodingError")) };
  });
  return { decode: () => decoded, ...settle };
}

const settled = async (promise) => {
  let done = false;
  promise.then(() => (done = true));
  await new Promise((resolve) => setTimeout(resolve, 10));
  return done;
};

describe("firstTiles", () => {
  const layer = { url: "https://tiles.example/{z}/{x}/{y}.png" };

  it("are the tiles wholly in the map: the largest paint of the first screen", () => {
    const tiles = initialTiles(layer, { lat: 22.5535, lng: 114.0572, zoom: 13 }, 412, 823, false);
    const first = firstTiles(tiles, 412, 823);
    const whole = tiles.filter((_, n) => first[n]);
    assert.ok(whole.length >= 1 && whole.length < tiles.length);
    for (const { left, top } of whole) assert.ok(left >= 0 && top >= 0 && left + 256 <= 412 && top + 256 <= 823);
    for (const { left, top } of tiles.filter((_, n) => !first[n])) {
      assert.ok(left < 0 || top < 0 || left + 256 > 412 || top + 256 > 823);
    }
  });

  it("are the tile nearest the centre when the map is smaller than a tile", () => {
    const tiles = initialTiles(layer, { lat: 22.5535, lng: 114.0572, zoom: 13 }, 200, 200, false);
    assert.deepEqual(firstTiles(tiles, 200, 200), tiles.map((_, n) => n === 0));
  });

  it("are none of no tiles", () => {
    assert.deepEqual(firstTiles([], 412, 823), []);
  });
});

describe("tilesShown", () => {
  it("settles once every tile is decoded or has failed", async () => {
    const tiles = [tile(), tile(), tile()];
    const shown = tilesShown(tiles, 60_000);
    tiles[0].load();
    tiles[1].fail(); // a tile the server did not give: nothing to wait for
    assert.equal(await settled(shown), false);
    tiles[2].load();
    assert.equal(await settled(shown), true);
  });

  it("settles after the time limit while a tile is still loading", async () => {
    const started = Date.now();
    await tilesShown([tile(), tile()], 50);
    assert.ok(Date.now() - started >= 45);
  });

  it("settles at once with no tiles", async () => {
    assert.equal(await settled(tilesShown([], 60_000)), true);
  });
});

describe("idle", () => {
  it("waits for the browser's idle callback, with the time limit passed on", async () => {
    const asked = [];
    globalThis.requestIdleCallback = (callback, options) => asked.push({ callback, options });
    try {
      const waiting = idle(500);
      assert.equal(await settled(waiting), false);
      assert.deepEqual(asked.map(({ options }) => options), [{ timeout: 500 }]);
      asked[0].callback();
      assert.equal(await settled(waiting), true);
    } finally {
      delete globalThis.requestIdleCallback;
    }
  });

  it("settles in the next task where there are no idle callbacks (Safari)", async () => {
    assert.equal(await settled(idle(60_000)), true);
  });
});

describe("visibleCentre", () => {
  const config = { map: { center: [114.0572, 22.5535], zoom: 15 }, tiles: [{ id: "osm", url: "https://t/{z}/{x}/{y}.png" }] };
  const metresPerPixel = (zoom) => (40075016.686 * Math.cos((22.5535 * Math.PI) / 180)) / (256 * 2 ** zoom);

  it("is the view's centre when nothing covers the map (to Leaflet's rounding of the origin)", () => {
    const centre = visibleCentre(config, null, 390, 700, {});
    const pixel = 360 / (256 * 2 ** 15); // of longitude: the rounding is at most half of one
    assert.ok(Math.abs(centre.lng - 114.0572) < pixel && Math.abs(centre.lat - 22.5535) < pixel);
  });

  it("moves north by half of what the sheet covers, and east by half of a side panel", () => {
    const below = visibleCentre(config, null, 390, 700, { top: 60, bottom: 360 });
    const degreesPerPixel = metresPerPixel(15) / 110574; // of latitude, near the centre
    assert.ok(Math.abs((below.lat - 22.5535) / degreesPerPixel - 150) < 2, String(below.lat));
    const beside = visibleCentre(config, null, 1200, 700, { left: 400 });
    assert.ok(beside.lng > 114.0572 + 0.001 && Math.abs(beside.lat - 22.5535) < 1e-4);
  });

  it("uses the whole map when the sheet leaves almost none of it, and the view of the address", () => {
    const whole = visibleCentre(config, null, 390, 700, { top: 60, bottom: 600 });
    assert.ok(Math.abs(whole.lat - 22.5535) < 1e-4);
    const there = visibleCentre(config, { lat: 25.03, lng: 121.56, zoom: 14, layer: "osm" }, 390, 700, {});
    assert.ok(Math.abs(there.lat - 25.03) < 1e-4 && Math.abs(there.lng - 121.56) < 1e-4);
  });

  it("is unknown for a GCJ-02 layer or a map without a size", () => {
    assert.equal(visibleCentre({ ...config, tiles: [{ ...config.tiles[0], crs: "gcj02" }] }, null, 390, 700), null);
    assert.equal(visibleCentre(config, null, 0, 0), null);
  });
});
