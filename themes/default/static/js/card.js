// The name card in the sheet: what a person decides on first (open now and today's hours, how
// far and which way, the key facts such as wheelchair access, baby changing and fee, the
// address), directions in five map apps, share and report; "All details" shows every
// attribute from the card data saved for offline use (card-details.js).
//
// Other modules add parts to every card with addCardPart (a rating widget, say): each part is
// called with the place on every open and may fill its own element.

import { formatOpenState, formatSpans, formatWay } from "app/i18n.js";
import { openKind } from "app/list.js";
import { navLinks } from "app/navlinks.js";

const parts = [];

/**
 * Adds a part to every name card: `render({element, category, id, name, locale, t})` is called
 * each time a card opens, with an empty element of its own inside the card.
 */
export function addCardPart(render) {
  parts.push(render);
}

function part(root, name) {
  return root.querySelector(`[data-part="${name}"]`);
}

function factItems(points, i, t) {
  const items = [];
  for (const fact of points.category.facts) {
    if (fact.kind === "bool") {
      const flag = points.bool[fact.field]?.[i];
      if (flag !== 0 && flag !== 1) continue; // not given: say nothing rather than "no"
      const li = document.createElement("li");
      li.textContent = flag === 1 ? `✓ ${fact.label}` : `${fact.label}: ${t("no")}`;
      if (flag === 0) li.className = "fact-no";
      items.push(li);
    } else if (fact.kind === "enum") {
      const column = points.enums[fact.field];
      const code = column?.codes[i] ?? -1;
      if (code < 0) continue;
      const value = column.values[code];
      const label = fact.values.find(([raw]) => raw === value)?.[1] ?? value;
      const li = document.createElement("li");
      li.textContent = `${fact.label}: ${label}`;
      items.push(li);
    }
  }
  return items;
}

/**
 * `element` is the card (templates/_card.html); `place(points, i)` gives
 * `{openState, today, way}`: 1/0/-1 or null, today's spans or null, and
 * `{dist, bearing}` or null; `details` (card-details.js) shows every attribute.
 */
export function createCard({ element, t, locale, report, place, details, onClose, onFull, onShare }) {
  const title = part(element, "title");
  const romanized = part(element, "romanized");
  const category = part(element, "category");
  const way = part(element, "way");
  const hours = part(element, "hours");
  const facts = part(element, "facts");
  const address = part(element, "address");
  const links = part(element, "links");
  const note = part(element, "note");
  const more = part(element, "more");
  const reportLink = part(element, "report");
  const extra = part(element, "parts");
  let shown = null; // {points, i}

  part(element, "close").addEventListener("click", () => onClose());
  part(element, "back").addEventListener("click", () => onClose());
  element.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !event.defaultPrevented) onClose();
  });
  part(element, "share").addEventListener("click", () => shown && onShare(shown, note));
  more.addEventListener("click", () => {
    if (!shown) return;
    const open = more.getAttribute("aria-expanded") !== "true";
    onFull(open);
  });

  function fillState(points, i) {
    const { openState, today, way: towards } = place(points, i);
    way.textContent = towards ? formatWay(t, towards.dist, towards.bearing) : "";
    way.hidden = !towards;
    hours.hidden = openState === null;
    if (openState === null) return;
    const status = document.createElement("span");
    status.className = `open-state open-state-${openKind(openState)}`;
    status.textContent = formatOpenState(t, openState);
    if (today) hours.replaceChildren(status, " · ", t("today_hours", { hours: formatSpans(t, today) }));
    else hours.replaceChildren(status);
  }

  function fillLinks(points, i, name) {
    links.replaceChildren(
      ...navLinks(points.coords[2 * i], points.coords[2 * i + 1], name).map(({ provider, url }) => {
        const label = t(`provider_${provider}`);
        const link = Object.assign(document.createElement("a"), { href: url, rel: "noopener", className: `nav-${provider}` });
        link.textContent = label;
        link.setAttribute("aria-label", t("navigate_with", { provider: label }));
        const item = document.createElement("li");
        item.append(link);
        return item;
      }),
    );
  }

  /** Shows the card of point `i` of `points`. */
  function open(points, i) {
    const cat = points.category;
    const name = points.text?.name[i] ?? points.ids[i];
    shown = { points, i };
    element.dataset.id = `${cat.id}/${points.ids[i]}`;
    title.textContent = name;
    const rom = points.text?.rom?.[i];
    romanized.textContent = rom ?? "";
    romanized.hidden = !rom;
    category.textContent = cat.name;
    category.dataset.category = cat.id;
    fillState(points, i);
    const items = factItems(points, i, t);
    facts.replaceChildren(...items);
    facts.hidden = !items.length;
    const addr = points.text?.addr[i];
    address.textContent = addr ? `${t("address")}: ${addr}` : "";
    address.hidden = !addr;
    fillLinks(points, i, name);
    const page = `${cat.pages}${encodeURIComponent(points.ids[i])}/`;
    reportLink.hidden = !report;
    // The report form of the theme (report/?facility=ID&category=ID) where the build made one,
    // else the name card's own report section.
    const form = reportLink.dataset.form;
    const query = `facility=${encodeURIComponent(points.ids[i])}&category=${encodeURIComponent(cat.id)}`;
    reportLink.href = form ? `${form}?${query}` : `${page}#report`;
    note.textContent = "";
    details.close();
    more.setAttribute("aria-expanded", "false");
    extra.replaceChildren();
    for (const render of parts) {
      const slot = document.createElement("div");
      extra.append(slot);
      render({ element: slot, category: cat.id, id: points.ids[i], name, locale, t });
    }
    element.hidden = false;
    title.focus();
  }

  return {
    open,
    /** Hides the card (the list shows again). */
    hide() {
      element.hidden = true;
      shown = null;
      details.close();
    },
    /** Shows or hides every attribute. */
    async full(on) {
      more.setAttribute("aria-expanded", String(on));
      if (!shown) return;
      if (on) await details.show(shown.points, shown.i);
      else details.close();
    },
    current: () => shown,
    /** Redraws what changes with the clock or the person's position. */
    refresh() {
      if (shown) fillState(shown.points, shown.i);
    },
    pageUrl: () => (shown ? `${shown.points.category.pages}${encodeURIComponent(shown.points.ids[shown.i])}/` : ""),
  };
}
