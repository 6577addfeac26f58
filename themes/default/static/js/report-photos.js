// Up to three photos of the problem, made smaller on the phone as they are chosen
// (photo-resize.js), each shown with a button to remove it; every change is announced.

import { el } from "app/dom.js";
import { resizePhoto } from "app/photo-resize.js";
import { MAX_PHOTOS } from "app/report-fields.js";

/**
 * The photos chosen with the file `input`, shown in `list`, announced in `live`; a photo that
 * cannot be read is told at the field through `errors` (report-errors.js).
 */
export function createPhotos({ input, list, live, t, errors }) {
  let photos = []; // [{blob, thumb, width, height}], made smaller already
  let work = Promise.resolve(); // photos still being made smaller

  function say(message) {
    live.textContent = message;
  }

  function render() {
    list.replaceChildren(
      ...photos.map((photo, n) => {
        const remove = el("button", { type: "button", className: "secondary photo-remove" }, t("report_photo_remove_short"));
        remove.setAttribute("aria-label", t("report_photo_remove", { n: n + 1 }));
        remove.addEventListener("click", () => {
          photos.splice(n, 1);
          render();
          say(t("report_photo_removed", { n: n + 1 }));
          // The focus stays at the list (the next photo's button), or goes back to the input.
          const next = list.querySelectorAll(".photo-remove")[Math.min(n, photos.length - 1)];
          (next ?? input).focus();
        });
        const image = el("img", { src: photo.thumb, alt: t("report_photo_alt", { n: n + 1 }) });
        return el("li", {}, image, remove);
      }),
    );
    list.hidden = !photos.length;
    input.disabled = photos.length >= MAX_PHOTOS;
  }

  async function add(files) {
    const room = MAX_PHOTOS - photos.length;
    if (files.length > room) say(t("report_photos_too_many", { max: MAX_PHOTOS }));
    for (const file of files.slice(0, Math.max(0, room))) {
      say(t("report_photo_preparing"));
      try {
        photos.push(await resizePhoto(file));
        say(t("report_photo_added", { count: photos.length, max: MAX_PHOTOS }));
      } catch {
        say(t("report_photo_failed"));
        errors.show("photos", t("report_photo_failed"));
      }
      render();
    }
  }

  input.addEventListener("change", (event) => {
    const files = [...event.target.files];
    event.target.value = ""; // the same photo can be chosen again after removing it
    errors.hide("photos");
    work = work.then(() => add(files)).catch(() => {});
  });

  return {
    /** The photos so far: [{blob, thumb}]. */
    all: () => photos,
    /** Resolves once every chosen photo is made smaller. */
    ready: () => work,
    /** Shows `list` instead (a refused report's photos, when it is edited). */
    replace(stored) {
      photos = stored;
      render();
    },
  };
}
