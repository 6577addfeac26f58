// Where the problem is: a facility, a position and where it came from (the facility's
// published position, the phone's location, a pin on the map), or only the address typed in
// the form. The place line of the form says what is known.

/** Whether a position is within the site's `bounds` [[west, south], [east, north]]. */
export function inBounds(bounds, lat, lng) {
  const [[west, south], [east, north]] = bounds;
  return lng >= west && lng <= east && lat >= south && lat <= north;
}

/** What is known of `place`, in words: the facility, the phone's accuracy or the pin. */
export function describePlace(place, t) {
  const parts = [];
  if (place.facility) parts.push(t("report_place_facility", { name: place.name ?? place.facility }));
  if (place.source === "device") parts.push(t("report_location_found", { m: Math.max(1, Math.round(place.accuracy ?? 0)) }));
  if (place.source === "pin") parts.push(t("report_pin_set", { lat: place.lat.toFixed(5), lng: place.lng.toFixed(5) }));
  return parts.join(" ");
}

/**
 * The place of one report, told in the `status` element. `onPosition()` is called when a
 * position is set (the form takes the "say where" error away).
 */
export function createPlace({ bounds, t, status, onPosition = () => {} }) {
  // Read by the other parts of the form; changed only through the functions below.
  const place = { facility: null, name: null, url: null, category: null, lat: null, lng: null, source: null, accuracy: null };

  /** Tells `message` (if any) and what is known of the place. */
  function say(message = "") {
    status.textContent = [message, describePlace(place, t)].filter(Boolean).join(" ");
  }

  return {
    current: place,
    say,
    inside: (lat, lng) => inBounds(bounds, lat, lng),
    /** Sets the facility's {facility, name, url, category} (null ones to forget it). */
    setFacility(facts) {
      const { facility, name, url, category } = { ...place, ...facts };
      Object.assign(place, { facility, name, url, category });
    },
    /** Sets the position and where it came from: "facility", "device" or "pin". */
    setPosition(lat, lng, source, accuracy = null) {
      Object.assign(place, { lat, lng, source, accuracy });
      onPosition();
      say();
    },
  };
}
