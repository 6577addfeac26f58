// Which places are shown: the category chips, each category's attribute filters and "open now".
//
// The controls are built from config.categories[].filters and write into the app's state
// object; compileFilter turns that state into a per-point test for one category's points.

function element(tag, attributes = {}, text = "") {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text) node.textContent = text;
  return node;
}

/**
 * Builds the chips (into `chips`) and the filter fields (into `fields`) and wires them and
 * the "open now" toggle to `state`; `onChange(kind)` is told "cats", "filters" or "open".
 */
export function createFilterControls({ chips, fields, summary, openNow, categories, state, t, onChange }) {
  const chipButtons = new Map();
  const groups = new Map();
  const inputs = []; // [key, element, kind]

  for (const category of categories) {
    const chip = element("button", { type: "button", class: "chip", "data-category": category.id, "aria-pressed": "false" });
    chip.append(element("span", { class: "chip-swatch", "aria-hidden": "true" }), category.name);
    chip.addEventListener("click", () => {
      const shown = new Set(state.cats);
      if (shown.has(category.id)) shown.delete(category.id);
      else shown.add(category.id);
      state.cats = categories.map((c) => c.id).filter((id) => shown.has(id));
      onChange("cats");
    });
    const item = element("li");
    item.append(chip);
    chips.append(item);
    chipButtons.set(category.id, chip);

    if (!category.filters.length) continue;
    const group = element("fieldset", { class: "filter-group", "data-category": category.id });
    group.append(element("legend", {}, category.name));
    for (const filter of category.filters) {
      const key = `${category.id}.${filter.field}`;
      if (filter.kind === "bool") {
        const toggle = element("button", { type: "button", class: "toggle", "aria-pressed": "false" }, filter.label);
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
    fields.append(group);
    groups.set(category.id, group);
  }

  openNow.addEventListener("click", () => {
    state.open = !state.open;
    onChange("open");
  });

  /** Shows `state` in the controls. */
  function render() {
    const shown = new Set(state.cats);
    for (const [id, chip] of chipButtons) chip.setAttribute("aria-pressed", String(shown.has(id)));
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
