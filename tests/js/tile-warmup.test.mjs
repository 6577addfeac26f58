// Tests of the home page's start (themes/default/static/js/tile-warmup.js, tasks.js): the app
// waits for the first tiles, and never longer than its limit. `node --test tests/js/`.
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { idle } from "../../themes/default/static/js/tasks.js";
import { firstTiles, initialTiles, tilesShown } from "../../themes/default/static/js/tile-warmup.js";

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
