// The facility a report is about (?facility=ID&category=ID, from a name card or the map's
// sheet): its name, page and position from the published data, only the problems of its
// category, and the line at the top of the form that names it.

import { createStore, indexOfId } from "app/data.js";
import { el } from "app/dom.js";

/**
 * The facility `id` in the published data of `store` (data.js): {category, lat, lng, name,
 * url}, or null when no category has it. The points of `categoryId` are looked at first.
 */
export async function findFacility(store, categories, id, categoryId) {
  const first = categories.filter((category) => category.id === categoryId);
  for (const category of [...first, ...categories.filter((c) => c.id !== categoryId)]) {
    const points = await store.withText(category);
    const i = indexOfId(points, id);
    if (i >= 0) {
      return {
        category,
        lng: points.coords[2 * i],
        lat: points.coords[2 * i + 1],
        name: points.text?.name[i] ?? id,
        url: `${category.pages}${encodeURIComponent(id)}/`,
      };
    }
  }
  return null;
}

/**
 * The facility of `place` (report-place.js): `use(id, categoryId)` looks it up and narrows the
 * problems of `questions` (report-questions.js) to its category; `showAbout()` names it in `about`.
 */
export function createFacility({ config, t, place, questions, about }) {
  function showAbout() {
    const { facility, name, url } = place.current;
    const [before, after = ""] = t("report_about").split("{name}");
    about.replaceChildren(before, url ? el("a", { href: url }, name) : el("strong", {}, name ?? facility), after);
    about.hidden = false;
  }

  async function use(id, categoryId) {
    place.setFacility({ facility: id, name: id, category: categoryId });
    questions.filter(categoryId);
    let found;
    try {
      found = await findFacility(createStore(config), config.categories, id, categoryId);
    } catch {
      found = undefined; // the data files are not at hand (offline, never saved): keep the id
    }
    if (found === null) {
      place.setFacility({ facility: null, name: null, category: null });
      questions.filter(null);
      place.say(t("card_not_found"));
      return;
    }
    if (found) {
      place.setFacility({ name: found.name, url: found.url, category: found.category.id });
      questions.filter(found.category.id);
      place.setPosition(found.lat, found.lng, "facility");
    }
    showAbout();
    place.say();
  }

  return { use, showAbout };
}
