// "All details" of a name card: every attribute, as the card's own page lists them, from the card
// data (data/cards/CATEGORY.HASH.json, saved for offline use with the rest of the app), with
// the opening-hours rule and the next days. What the data cannot carry offline (photos) is
// named, so nobody is left wondering.

import { formatSpans } from "app/i18n.js";

const NEXT_DAYS = 7;

function el(tag, text = "", attributes = {}) {
  const node = document.createElement(tag);
  if (text) node.textContent = text;
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  return node;
}

/** The text a column holds for point `i` (with its language if it is a stand-in), or null. */
function cell(cards, column, i) {
  const code = column?.[i] ?? -1;
  if (code < 0) return null;
  let lang = "";
  for (const [language, codes] of Object.entries(cards.langs ?? {})) if (codes.includes(code)) lang = language;
  return { text: cards.table[code], lang };
}

/** Point `i`'s [lng, lat] as the card page writes them (the deltas decoded once per file). */
function position(cards, i) {
  if (!cards.positions) {
    const out = [];
    let x = 0;
    let y = 0;
    for (let k = 0; k < cards.xy.length; k += 2) {
      x += cards.xy[k];
      y += cards.xy[k + 1];
      out.push([micro(x), micro(y)]);
    }
    cards.positions = out;
  }
  return cards.positions[i];
}

/** Millionths of a degree as Python writes the float: "121.5", "25.037523", "-0.5". */
function micro(n) {
  const sign = n < 0 ? "-" : "";
  const abs = Math.abs(n);
  const whole = Math.floor(abs / 1e6);
  const fraction = String(abs % 1e6).padStart(6, "0").replace(/0+$/, "");
  return `${sign}${whole}.${fraction || "0"}`;
}

function valueNode(kind, { text, lang }) {
  if (kind === "phone") return el("a", text, { href: `tel:${text.replaceAll(" ", "")}` });
  if (kind === "url") return el("a", text, { href: text, rel: "noopener" });
  return el("span", text, lang ? { lang, class: "fallback" } : {});
}

/**
 * `element` is the details section of the card; `store` (data.js) loads the card data;
 * `hours()` gives hours.js once loaded; `online()` tells whether the network is there.
 */
export function createCardDetails({ element, store, hours, t, online }) {
  const body = element.querySelector('[data-part="details-body"]');
  const offline = element.querySelector('[data-part="offline"]');
  const page = element.querySelector('[data-part="page"]');
  let token = 0;

  function hoursPart(points, i, cards) {
    const nodes = [];
    const rule = cell(cards, cards.rule, i);
    const row = points.h?.[i] ?? -1;
    if (!points.h) return nodes;
    nodes.push(el("h4", t("opening_hours")));
    nodes.push(el("p", rule ? rule.text : t("hours_unknown")));
    const days = hours() && row >= 0 ? hours().days(row, NEXT_DAYS) : [];
    if (days.length) {
      const names = t("weekday_names").split(",");
      const table = el("table");
      table.append(el("caption", t("next_days")));
      const tbody = el("tbody");
      for (const day of days) {
        const tr = el("tr");
        tr.append(el("th", `${day.date} ${names[day.weekday]}`, { scope: "row" }), el("td", formatSpans(t, day.spans)));
        tbody.append(tr);
      }
      table.append(tbody);
      nodes.push(table);
    }
    return nodes;
  }

  function list(points, i, cards) {
    const dl = el("dl");
    for (const field of cards.fields) {
      const value = cell(cards, cards.values[field.field], i);
      if (!value) continue;
      dl.append(el("dt", field.label));
      const dd = el("dd");
      dd.append(valueNode(field.kind, value));
      dl.append(dd);
    }
    const [lng, lat] = position(cards, i);
    dl.append(el("dt", t("coordinates")));
    const dd = el("dd");
    dd.append(el("data", `${lat}, ${lng}`, { value: `${lng},${lat}` }));
    dl.append(dd);
    const verified = cell(cards, cards.verified, i);
    if (verified) {
      dl.append(el("dt", t("last_verified")));
      const when = el("dd");
      when.append(el("time", verified.text, { datetime: verified.text }));
      dl.append(when);
    }
    return dl;
  }

  return {
    /** Shows every attribute of point `i`; says so when the card data cannot be had. */
    async show(points, i) {
      const mine = ++token;
      element.hidden = false;
      page.href = `${points.category.pages}${encodeURIComponent(points.ids[i])}/`;
      body.replaceChildren(el("p", t("loading")));
      offline.hidden = true;
      let cards;
      try {
        cards = await store.cards(points.category);
      } catch {
        if (mine !== token) return;
        body.replaceChildren(el("p", online() ? t("details_failed") : t("details_offline_missing")));
        return;
      }
      if (mine !== token) return;
      const description = cell(cards, cards.desc, i);
      const nodes = [];
      if (description) nodes.push(el("p", description.text, description.lang ? { lang: description.lang } : {}));
      nodes.push(...hoursPart(points, i, cards), list(points, i, cards));
      body.replaceChildren(...nodes);
      const hasPhotos = cards.photos?.includes(i);
      if (!online()) {
        offline.textContent = hasPhotos ? t("details_offline_photos") : t("details_offline");
        offline.hidden = false;
      } else if (hasPhotos) {
        offline.textContent = t("details_photos_online");
        offline.hidden = false;
      }
    },
    close() {
      token++;
      element.hidden = true;
    },
  };
}
