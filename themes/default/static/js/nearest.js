// The nearest places to a position: a k-d tree per category (kdbush) searched outward on the
// sphere (geokdbush.around), never a scan of every point.

import KDBush from "kdbush";
import { around } from "geokdbush";
import { bearing, distance } from "app/geo.js";

/** The points' spatial index over their WGS-84 coordinates, built once. */
export function spatialIndex(points) {
  if (!points.kd) {
    const index = new KDBush(points.n, 64, Float64Array);
    for (let i = 0; i < points.n; i++) index.add(points.coords[2 * i], points.coords[2 * i + 1]);
    points.kd = index.finish();
  }
  return points.kd;
}

/**
 * The `limit` places nearest to (lng, lat) over several categories, nearest first:
 * `sets` is `[{points, pass}]` (pass: a filter test or null); gives `[{points, i, dist, bearing}]`.
 */
export function nearest(sets, lng, lat, limit) {
  const found = [];
  for (const { points, pass } of sets) {
    if (!points.n) continue;
    const ids = around(spatialIndex(points), lng, lat, limit, Infinity, pass ?? undefined);
    for (const i of ids) {
      const x = points.coords[2 * i];
      const y = points.coords[2 * i + 1];
      found.push({ points, i, dist: distance(lng, lat, x, y), bearing: bearing(lng, lat, x, y) });
    }
  }
  return found.sort((a, b) => a.dist - b.dist).slice(0, limit);
}
