// The person's position: asked for when they tap "Nearest to me", or taken quietly at the start
// when they already allowed it on an earlier visit. Nothing else reads the phone's location.

const TIMEOUT_MS = 10000;
const MAX_AGE_MS = 60000;

/** `{lng, lat, accuracy}` (accuracy in metres); rejects when refused, unavailable or too slow. */
export function locate(timeout = TIMEOUT_MS) {
  return new Promise((resolve, reject) => {
    if (!navigator.geolocation) {
      reject(new Error("no geolocation"));
      return;
    }
    navigator.geolocation.getCurrentPosition(
      ({ coords }) => resolve({ lng: coords.longitude, lat: coords.latitude, accuracy: coords.accuracy }),
      reject,
      { enableHighAccuracy: true, timeout, maximumAge: MAX_AGE_MS },
    );
  });
}

/** The position if the person allowed this site to know it before, without asking; else null. */
export async function knownPosition() {
  try {
    const permission = await navigator.permissions?.query({ name: "geolocation" });
    if (permission?.state !== "granted") return null;
    return await locate();
  } catch {
    return null;
  }
}
