// The app's live region: the one place where what happened is told, to the eyes and to
// screen readers alike. While the map is down every message says so too.

/** `element` is a role="status" paragraph; `t` the translator. */
export function createStatus(element, t) {
  let mapDown = false;
  let last = "";

  function show() {
    const parts = [last];
    if (mapDown && last !== t("map_unavailable")) parts.push(t("map_unavailable"));
    element.textContent = parts.filter(Boolean).join(" ");
  }

  return {
    /** Tells `message` ("" clears it). */
    say(message) {
      last = message;
      show();
    },
    /** The map's tiles or library failed (true) or came back (false). */
    mapDown(down) {
      const changed = down !== mapDown;
      mapDown = down;
      if (changed && down) last = t("map_unavailable");
      else if (changed) last = "";
      show();
    },
  };
}
