// The place by position: the phone's location, or a pin on the small map (report-map.js). The
// map module is imported only when the form starts, and when Leaflet or the tiles fail the form
// carries on without it.

const LOCATION_ERRORS = { 1: "report_location_denied", 2: "report_location_unavailable", 3: "report_location_timeout" };

/**
 * The location button `locate` and the map (`shell` holding `map` and the `centre` button;
 * `notice` says when it is unavailable) setting the position of `place` (report-place.js).
 * `startMap()` shows the map.
 */
export function createPosition({ config, t, place, locate, centre, shell, map, notice }) {
  let pinMap = null;

  locate.addEventListener("click", () => {
    if (!navigator.geolocation) {
      place.say(t("report_location_unsupported"));
      return;
    }
    place.say(t("report_locating"));
    navigator.geolocation.getCurrentPosition(
      ({ coords }) => {
        if (!place.inside(coords.latitude, coords.longitude)) {
          place.say(t("report_location_outside"));
          return;
        }
        place.setPosition(coords.latitude, coords.longitude, "device", coords.accuracy);
        pinMap?.show(coords.latitude, coords.longitude);
      },
      (error) => place.say(t(LOCATION_ERRORS[error.code] ?? "report_location_unavailable")),
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 30000 },
    );
  });

  function unavailable() {
    pinMap?.stop();
    pinMap = null;
    shell.hidden = true;
    notice.hidden = false;
  }

  /** Shows the map, at the place's position when it has one, else at the site's centre. */
  async function startMap() {
    try {
      const { createPinMap } = await import("app/report-map.js");
      shell.hidden = false;
      const { lat, lng } = place.current;
      const known = lat != null;
      pinMap = createPinMap({
        element: map,
        config,
        t,
        start: known ? { lat, lng, zoom: 17 } : { lat: config.map.center[1], lng: config.map.center[0], zoom: config.map.zoom },
        onPin: (pin) => {
          if (place.inside(pin.lat, pin.lng)) place.setPosition(pin.lat, pin.lng, "pin");
          else place.say(t("report_location_outside"));
        },
        onUnavailable: unavailable,
      });
      if (known) pinMap.show(lat, lng);
    } catch {
      unavailable(); // Leaflet blocked or failing: the form works without the map
    }
  }

  centre.addEventListener("click", () => pinMap?.pinCentre());

  return { startMap };
}
