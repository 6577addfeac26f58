// Loading the map after the first paint: the list and the search bar are on the screen and
// usable first; Leaflet's stylesheet and module come next, and the map is made in a task of
// its own, so no single task holds the phone for long.

import { afterPaint } from "app/tasks.js";

/** Adds a stylesheet before the page's own, so that the theme's rules still win over it. */
function loadStylesheet(href) {
  return new Promise((resolve, reject) => {
    const link = Object.assign(document.createElement("link"), { rel: "stylesheet", href });
    link.onload = resolve;
    link.onerror = reject;
    document.head.insertBefore(link, document.head.querySelector('link[rel="stylesheet"]'));
  });
}

/**
 * map.js's map, made with `options` (see createMap there) once Leaflet is in; null when
 * Leaflet or its stylesheet could not be loaded.
 */
export async function loadMap(config, options) {
  await afterPaint();
  try {
    const [{ createMap }] = await Promise.all([
      import("app/map.js"),
      loadStylesheet(config.assets["vendor/leaflet-1.9.4/leaflet.css"]),
    ]);
    await afterPaint(); // Leaflet's module ran in a task of its own; the map gets the next
    return await createMap({ config, ...options });
  } catch {
    options.element.querySelector(".map-preview")?.remove(); // map-preview.js's
    return null;
  }
}
