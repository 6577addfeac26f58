// A name card in the sheet: opening one from a row, a pin or the URL (a history entry of its
// own, so Back closes it; the map marks the place), and closing it back to the list with the
// focus on the row it came from. card.js draws the card; this module moves between the two.

import { indexOfId } from "app/data.js";

/**
 * `card` is card.js's, `sheet` sheet.js's; `writeUrl({push})` records the state;
 * `getMap()` gives map.js once it is up; `say(text)` tells the live region.
 */
export function createCardSheet({ card, sheet, body, state, store, categories, writeUrl, getMap, say, t }) {
  const byId = new Map(categories.map((category) => [category.id, category]));
  let opener = null; // the row that opened the card: the focus goes back to it (or to its
  // successor with the same place: the list may have been redrawn while the card was open)

  async function open(points, i, from, { push = true } = {}) {
    if (!points.text) await store.withText(points.category).catch(() => {});
    const wasOpen = Boolean(state.card);
    opener = from ?? (wasOpen ? opener : null);
    body.classList.add("card-open");
    card.open(points, i);
    body.scrollTop = 0;
    sheet.atLeast("half");
    state.card = `${points.category.id}/${points.ids[i]}`;
    // The new entry first: moving the map rewrites the current entry's URL, which must stay
    // the one without the card for Back to close it.
    writeUrl({ push: push && !wasOpen });
    getMap()?.select(points.coords[2 * i], points.coords[2 * i + 1]);
    if (state.full) {
      sheet.set("full");
      await card.full(true);
    }
  }

  /** Back to the list, without touching the history (Back did it, or a search). */
  function hide() {
    if (!card.current() && !state.card) return;
    card.hide();
    body.classList.remove("card-open");
    getMap()?.unselect();
    state.card = "";
    state.full = false;
    const key = opener?.dataset.id;
    const row = key ? body.querySelector(`.result[data-id="${CSS.escape(key)}"]`) : null;
    (row ?? (opener?.isConnected ? opener : null))?.focus();
    opener = null;
  }

  /** The person closed the card: back to the list and to the history entry before it. */
  function close() {
    const pushed = history.state?.card;
    hide();
    if (pushed) history.back();
    else writeUrl();
  }

  /** Opens the card named in the URL: "CATEGORY/ID", or a bare ID looked up in every category. */
  async function openById(ref, options) {
    const slash = ref.indexOf("/");
    const id = slash < 0 ? ref : ref.slice(slash + 1);
    const candidates = slash < 0 ? categories : [byId.get(ref.slice(0, slash))].filter(Boolean);
    for (const category of candidates) {
      const points = await store.points(category).catch(() => null);
      const i = points ? indexOfId(points, id) : -1;
      if (i >= 0) return open(points, i, null, options);
    }
    state.card = "";
    state.full = false;
    writeUrl();
    say(t("card_not_found"));
  }

  /** "All details" on or off: the sheet goes up to show them, the URL keeps it. */
  async function full(on) {
    state.full = on;
    writeUrl();
    if (on) sheet.set("full");
    await card.full(on);
  }

  return { open, openById, hide, close, full, current: () => card.current() };
}

/** Shares a card's page (the phone's share sheet, else the clipboard, else the link shown). */
export function sharePage(url, name, note, t) {
  if (navigator.share) {
    navigator.share({ title: name, url }).catch(() => {});
  } else if (navigator.clipboard?.writeText) {
    navigator.clipboard.writeText(url).then(
      () => { note.textContent = t("link_copied"); },
      () => { note.textContent = t("copy_this_link", { url }); },
    );
  } else {
    note.textContent = t("copy_this_link", { url });
  }
}
