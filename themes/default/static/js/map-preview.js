// The home page's first module: the first view's tiles (tile-warmup.js), then the app. The
// tiles wholly on the screen are the largest thing on it; on a slow link whatever is asked for
// beside them shares the line with them and they come late. So the other tiles and the app (its
// modules, then the list's data) are asked for once those are painted, or after WAIT ms when
// the tile server is slow or down. No preview when the map is about to go elsewhere (to the
// places near a point, a search's results, an open card): the app starts at once.

import { parseView } from "app/state.js";
import { afterPaint, idle } from "app/tasks.js";
import { previewTiles, showRest, tilesShown } from "app/tile-warmup.js";

const WAIT = 1000; // ms the app waits at most for the first tiles

/** Asks for what the app needs first, side by side: the script's data-modules and data-fetch. */
function preload(script) {
  const links = [
    ...script.dataset.modules.split(" ").map((href) => ({ rel: "modulepreload", href })),
    ...script.dataset.fetch.split(" ").map((href) => ({ rel: "preload", as: "fetch", crossOrigin: "anonymous", href })),
  ];
  const elements = links.filter(({ href }) => href).map((attrs) => Object.assign(document.createElement("link"), attrs));
  document.head.append(...elements);
}

/** The first view's tiles; settles when the app may start. */
async function preview() {
  const map = document.getElementById("map");
  const params = new URLSearchParams(location.search);
  if (!map || ["near", "q", "id"].some((key) => params.has(key))) return;
  const config = JSON.parse(document.getElementById("sitegen-config").textContent);
  const { first, rest } = previewTiles(config, parseView(location.hash), map);
  map.dataset.previewTiles = String(first.length + rest.length);
  if (first.length) {
    await tilesShown(first, WAIT);
    await afterPaint();
  }
  showRest(rest);
  if (first.length) await idle(WAIT / 2); // the app's first tasks after the tiles' frame, not in it
}

async function start() {
  try {
    await preview();
  } catch (error) {
    console.error(error); // a preview that fails must not keep the app from starting
  }
  const script = document.querySelector("script[data-modules]");
  if (script) preload(script);
  await import("app/app.js");
}

start();
