// The results list: the same places as the map, as buttons that open their name cards. It is
// the way in for keyboards and screen readers, and what remains when the map cannot load.

import { formatOpenState, formatWay } from "app/i18n.js";

function span(className, text) {
  const node = document.createElement("span");
  node.className = className;
  node.textContent = text;
  return node;
}

/**
 * `heading`, `list` (an <ol>) and `more` (a button) are the list's elements; `openState(points,
 * i)` gives 1/0/-1, or null for a category without hours; `onOpen(points, i, button)`.
 */
export function createList({ heading, list, more, t, openState, onOpen, onMore }) {
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
    button.append(span("result-name", points.text?.name[i] ?? points.ids[i]));
    const address = points.text?.addr[i];
    if (address) button.append(span("result-address", address));
    const parts = [points.category.name];
    if (dist !== undefined) parts.push(formatWay(t, dist, bearing));
    const meta = span("result-meta", parts.join(" · "));
    const state = openState(points, i);
    if (state !== null) {
      const kind = state === 1 ? "open" : state === 0 ? "closed" : "unknown";
      meta.append(" · ", span(`open-state open-state-${kind}`, formatOpenState(t, state)));
    }
    button.append(meta);
    const item = document.createElement("li");
    item.append(button);
    return item;
  }

  /** Shows `items` ([{points, i, dist?, bearing?}]) under `title`; `empty` when there are none. */
  function show({ title, items, canMore = false, empty = "" }) {
    // Redrawing must not drop the focus of someone going down the list with a keyboard.
    const focused = list.contains(document.activeElement) ? Number(document.activeElement.dataset.row) : -1;
    entries = items;
    heading.textContent = title;
    const rows = items.map(row);
    if (!rows.length && empty) {
      const note = document.createElement("li");
      note.className = "result-empty";
      note.textContent = empty;
      rows.push(note);
    }
    list.replaceChildren(...rows);
    more.hidden = !canMore;
    if (focused >= 0) (rowButton(Math.min(focused, items.length - 1)) ?? heading).focus();
  }

  return { show, count: () => entries.length };
}
