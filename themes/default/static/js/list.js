// The results list: the same places as the numbered pins on the map, as buttons that open
// their name cards. It is the way in for keyboards and screen readers, and what remains when
// the map cannot load. Each row says what a person picks by: name, kind, how far and which
// way (when their position is known), open now or not, and the address.

import { formatOpenState, formatWay } from "app/i18n.js";

function span(className, text) {
  const node = document.createElement("span");
  node.className = className;
  node.textContent = text;
  return node;
}

/** "open", "closed" or "unknown" for a state of 1, 0 or -1. */
export function openKind(state) {
  return state === 1 ? "open" : state === 0 ? "closed" : "unknown";
}

/**
 * `list` (an <ol>) and `more` (a button) are the list's elements; `openState(points, i)` gives
 * 1/0/-1, or null for a category without hours; `onOpen(points, i, button)`.
 */
export function createList({ list, more, t, openState, onOpen, onMore }) {
  let entries = [];
  const rowButton = (n) => list.querySelector(`button[data-row="${n}"]`);

  list.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-row]");
    const entry = button && entries[Number(button.dataset.row)];
    if (entry) onOpen(entry.points, entry.i, button);
  });
  more.addEventListener("click", () => {
    const before = entries.length;
    onMore();
    rowButton(before)?.focus(); // the first new row: the button may be gone now
  });

  function row({ points, i, dist, bearing }, index) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "result";
    button.dataset.row = String(index);
    button.dataset.category = points.category.id;
    button.dataset.id = `${points.category.id}/${points.ids[i]}`;
    // The number of its pin on the map.
    const head = span("result-head", "");
    head.append(span("result-rank", `${index + 1}`), span("result-name", points.text?.name[i] ?? points.ids[i]));
    button.append(head);
    const rom = points.text?.rom?.[i];
    if (rom) {
      const roman = span("romanized", rom);
      roman.lang = "zh-Latn-pinyin";
      button.append(roman);
    }
    const meta = span("result-meta", "");
    const swatch = span("swatch", "");
    swatch.setAttribute("aria-hidden", "true");
    meta.append(swatch, points.category.name);
    if (dist !== undefined) meta.append(" · ", span("way", formatWay(t, dist, bearing)));
    const state = openState(points, i);
    if (state !== null) meta.append(" · ", span(`open-state open-state-${openKind(state)}`, formatOpenState(t, state)));
    button.append(meta);
    const address = points.text?.addr[i];
    if (address) button.append(span("result-address", address));
    const item = document.createElement("li");
    item.append(button);
    return item;
  }

  /** Shows `items` ([{points, i, dist?, bearing?}]); `empty` when there are none. */
  function show({ items, canMore = false, empty = "" }) {
    // Redrawing must not drop the focus of someone going down the list with a keyboard.
    const focused = list.contains(document.activeElement) ? Number(document.activeElement.dataset.row) : -1;
    entries = items;
    const rows = items.map(row);
    if (!rows.length && empty) rows.push(Object.assign(document.createElement("li"), { className: "result-empty", textContent: empty }));
    list.replaceChildren(...rows);
    list.classList.remove("loading");
    more.hidden = !canMore;
    if (focused >= 0) rowButton(Math.min(focused, items.length - 1))?.focus();
  }

  return { show, count: () => entries.length, button: (index) => rowButton(index) };
}
