// Distance and bearing between WGS-84 points on a sphere: good to ~0.5%, plenty for walking.

const EARTH_RADIUS_M = 6371008.8; // IUGG mean radius, as sitegen/geo/distance.py
const RAD = Math.PI / 180;

/** Great-circle distance in metres (haversine). */
export function distance(lng1, lat1, lng2, lat2) {
  const dLat = (lat2 - lat1) * RAD;
  const dLng = (lng2 - lng1) * RAD;
  const h =
    Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Initial bearing from the first point to the second, degrees clockwise from north [0, 360). */
export function bearing(lng1, lat1, lng2, lat2) {
  const phi1 = lat1 * RAD;
  const phi2 = lat2 * RAD;
  const dLng = (lng2 - lng1) * RAD;
  const y = Math.sin(dLng) * Math.cos(phi2);
  const x = Math.cos(phi1) * Math.sin(phi2) - Math.sin(phi1) * Math.cos(phi2) * Math.cos(dLng);
  return ((Math.atan2(y, x) / RAD) + 360) % 360;
}
