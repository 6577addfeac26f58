// Which places are shown: the kinds of place (category picker), each category's attribute
// filters and "open now".
//
// The controls are built from config.categories[] and write into the app's state object;
// compileFilter turns that state into a per-point test for one category's points.

function element(tag, attributes = {}, text = "") {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text) node.textContent = text;
  return node;
}

/** The picker's button text: the kind shown, or how many. */
function kindsSummary(t, categories, shown) {
  const names = categories.filter((c) => shown.has(c.id)).map((c) => c.name);
  if (!names.length) return t("no_kinds");
  if (names.length === categories.length && names.length > 1) return t("all_kinds");
  return names.length === 1 ? names[0] : t("kinds_more", { name: names[0], count: names.length - 1 });
}

function filterGroup(category, state, t, onChange, inputs) {
  const group = element("fieldset", { class: "filter-group", "data-category": category.id });
  group.append(element("legend", {}, category.name));
  for (const filter of category.filters) {
    const key = `${category.id}.${filter.field}`;
    if (filter.kind === "bool") {
      const toggle = element("button", { type: "button", class: "chip toggle", "aria-pressed": "false" }, filter.label);
      toggle.addEventListener("click", () => {
        if (state.filters.get(key) === true) state.filters.delete(key);
        else state.filters.set(key, true);
        onChange("filters");
      });
      group.append(toggle);
      inputs.push([key, toggle, "bool"]);
    } else if (filter.kind === "enum") {
      const id = `filter-${category.id}-${filter.field}`;
      const label = element("label", { class: "select-field", for: id }, filter.label);
      const select = element("select", { id });
      select.append(element("option", { value: "" }, t("filter_any")));
      for (const [value, text] of filter.values) select.append(element("option", { value }, text));
      select.addEventListener("change", () => {
        if (select.value) state.filters.set(key, select.value);
        else state.filters.delete(key);
        onChange("filters");
      });
      label.append(select);
      group.append(label);
      inputs.push([key, select, "enum"]);
    }
  }
  return group;
}

/**
 * Builds the kinds (into the `chips` list) and the filter fields (into `fields`) and wires them
 * and the "open now" toggle to `state`; `onChange(kind)` is told "cats", "filters" or "open".
 */
export function createFilterControls({ chips, kindsSummaryEl, fields, summary, openNow, categories, state, t, onChange }) {
  const kindButtons = new Map();
  const groups = new Map();
  const inputs = []; // [key, element, kind]

  for (const category of categories) {
    const kind = element("button", { type: "button", class: "kind", "data-category": category.id, "aria-pressed": "false" });
    kind.append(element("span", { class: "swatch", "aria-hidden": "true" }), category.name);
    kind.addEventListener("click", () => {
      const shown = new Set(state.cats);
      if (shown.has(category.id)) shown.delete(category.id);
      else shown.add(category.id);
      state.cats = categories.map((c) => c.id).filter((id) => shown.has(id));
      state.chosen = true; // from now on a search stays within the chosen kinds
      onChange("cats");
    });
    const item = element("li");
    item.append(kind);
    chips.append(item);
    kindButtons.set(category.id, kind);
    if (category.filters.length) {
      const group = filterGroup(category, state, t, onChange, inputs);
      fields.append(group);
      groups.set(category.id, group);
    }
  }

  openNow.addEventListener("click", () => {
    state.open = !state.open;
    onChange("open");
  });

  /** Shows `state` in the controls. */
  function render() {
    const shown = new Set(state.cats);
    for (const [id, kind] of kindButtons) kind.setAttribute("aria-pressed", String(shown.has(id)));
    kindsSummaryEl.textContent = kindsSummary(t, categories, shown);
    for (const [id, group] of groups) group.hidden = !shown.has(id);
    for (const [key, input, kind] of inputs) {
      if (kind === "bool") input.setAttribute("aria-pressed", String(state.filters.get(key) === true));
      else input.value = state.filters.get(key) ?? "";
    }
    openNow.setAttribute("aria-pressed", String(state.open));
    const active = [...state.filters.keys()].filter((key) => shown.has(key.split(".")[0])).length;
    summary.textContent = active ? t("filters_active", { count: active }) : t("filters");
    summary.parentElement.hidden = ![...groups.keys()].some((id) => shown.has(id));
  }

  render();
  return { render };
}

/**
 * A test `(i) => boolean` for the points of one category under `state`, or null when every
 * point passes. `hours` (hours.js) answers "open now"; categories without opening hours at all
 * (no `h` in their points: litter bins) are not limited by it.
 */
export function compileFilter(points, state, hours) {
  const cat = points.category.id;
  const tests = [];
  for (const filter of points.category.filters) {
    const wanted = state.filters.get(`${cat}.${filter.field}`);
    if (wanted === undefined) continue;
    if (filter.kind === "bool") {
      const flags = points.bool[filter.field];
      tests.push(flags ? (i) => flags[i] === 1 : () => false);
    } else if (filter.kind === "enum") {
      const column = points.enums[filter.field];
      const code = column ? column.values.indexOf(wanted) : -1;
      tests.push(code >= 0 ? (i) => column.codes[i] === code : () => false);
    }
  }
  if (state.open && points.h) {
    const rows = points.h;
    tests.push(hours ? (i) => hours.state(rows[i]) === 1 : () => false);
  }
  if (!tests.length) return null;
  if (tests.length === 1) return tests[0];
  return (i) => tests.every((test) => test(i));
}

/**
 * What "open now" can honestly say for the shown categories: `[{category, kind, count, total}]`
 * with kind "none" (no place publishes hours) or "some" (only `count` of `total` do).
 */
export function openNowGaps(pointsList) {
  const gaps = [];
  for (const points of pointsList) {
    if (!points.h) continue; // no hours field at all: "open now" does not apply
    if (points.withHours === undefined) {
      points.withHours = 0;
      for (let i = 0; i < points.n; i++) if (points.h[i] >= 0) points.withHours++;
    }
    const count = points.withHours;
    if (count === 0) gaps.push({ category: points.category, kind: "none", count, total: points.n });
    else if (count < points.n) gaps.push({ category: points.category, kind: "some", count, total: points.n });
  }
  return gaps;
}
