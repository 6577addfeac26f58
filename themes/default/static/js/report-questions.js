// The problems a citizen can choose (Open311 services) and the questions of the chosen one
// (its attributes). A facility's category narrows the problems to its own; the questions are
// made anew whenever the choice changes, and filled in again when a refused report is edited.

import { el } from "app/dom.js";
import { MAX_DESCRIPTION, applies } from "app/report-fields.js";

/** The codes of the services shown for a facility category: those that apply, or all when none does. */
export function shownServices(services, category) {
  const fits = services.some((service) => applies(service, category));
  return new Set(services.filter((service) => !fits || applies(service, category)).map((service) => service.code));
}

/** The name of the form control of an attribute (Open311's `attribute[CODE]`, `[]` for lists). */
export function attributeName(attribute) {
  return attribute.datatype === "multivaluelist" ? `attribute[${attribute.code}][]` : `attribute[${attribute.code}]`;
}

function requiredMark(t, required) {
  return el("span", { className: required ? "required" : "optional" }, t(required ? "report_required" : "report_optional"));
}

/** The control of one question (Open311 attribute), filled with `value`. */
function attributeControl(t, attribute, value) {
  const code = attribute.code;
  const id = `attr-${code}`;
  const errorId = `error-attribute-${code}`;
  const error = el("p", { className: "field-error", id: errorId, hidden: true });
  const title = [attribute.description, " ", requiredMark(t, attribute.required)];
  if (attribute.datatype === "singlevaluelist" || attribute.datatype === "multivaluelist") {
    const multi = attribute.datatype === "multivaluelist";
    const fieldset = el("fieldset", { className: "attribute", id }, el("legend", {}, ...title));
    fieldset.dataset.attribute = code;
    fieldset.setAttribute("aria-describedby", errorId);
    attribute.values.forEach(([key, name], n) => {
      const input = el("input", {
        type: multi ? "checkbox" : "radio",
        name: attributeName(attribute),
        id: `${id}-${n}`,
        value: key,
        checked: multi ? (value ?? []).includes(key) : value === key,
      });
      fieldset.append(el("div", { className: "choice" }, input, el("label", { htmlFor: input.id }, name)));
    });
    fieldset.append(error);
    return fieldset;
  }
  const control =
    attribute.datatype === "text"
      ? el("textarea", { id, rows: 3, maxLength: MAX_DESCRIPTION })
      : el("input", { id, type: attribute.datatype === "datetime" ? "datetime-local" : "text", maxLength: 500 });
  if (attribute.datatype === "number") control.inputMode = "decimal";
  control.name = attributeName(attribute);
  control.required = attribute.required;
  control.value = value ?? "";
  control.setAttribute("aria-describedby", errorId);
  const field = el("div", { className: "field attribute" }, el("label", { htmlFor: id }, ...title), control, error);
  field.dataset.attribute = code;
  return field;
}

/**
 * The problem choice of `form` (radios named service_code, in `.choice[data-service]` boxes,
 * grouped in `[data-group]`) and the questions in `box`. `services` is the report config's list.
 */
export function createQuestions({ form, box, services, t }) {
  const byCode = new Map(services.map((service) => [service.code, service]));

  /** The chosen service, or null. */
  function selected() {
    const input = form.querySelector('input[name="service_code"]:checked');
    return input ? byCode.get(input.value) ?? null : null;
  }

  /** Chooses the service `code` if it is shown. */
  function choose(code) {
    const radio = form.querySelector(`input[name="service_code"][value="${CSS.escape(code)}"]:not(:disabled)`);
    if (radio) radio.checked = true;
  }

  /** The questions of the chosen problem; `values` fills them in (editing). */
  function show(values = {}) {
    const attributes = selected()?.attributes ?? [];
    box.replaceChildren(...attributes.map((attribute) => attributeControl(t, attribute, values[attribute.code])));
    box.hidden = !attributes.length;
  }

  /** Shows only the problems of a facility category (all of them for none, or when none fits). */
  function filter(category) {
    const shown = shownServices(services, category);
    for (const choice of form.querySelectorAll(".choice[data-service]")) {
      const ok = shown.has(choice.dataset.service);
      const input = choice.querySelector("input");
      choice.hidden = !ok;
      input.disabled = !ok;
      if (!ok) input.checked = false;
    }
    for (const group of form.querySelectorAll("[data-group]")) {
      group.hidden = !group.querySelector(".choice:not([hidden])");
    }
    show();
  }

  /** The answers to the questions of `service`: {code: value | [values]}. */
  function read(service) {
    const values = {};
    for (const { code, datatype } of service?.attributes ?? []) {
      const name = CSS.escape(code);
      if (datatype === "multivaluelist") {
        values[code] = [...form.querySelectorAll(`input[name="attribute[${name}][]"]:checked`)].map((input) => input.value);
      } else if (datatype === "singlevaluelist") {
        values[code] = form.querySelector(`input[name="attribute[${name}]"]:checked`)?.value ?? "";
      } else {
        values[code] = form.ownerDocument.getElementById(`attr-${code}`)?.value ?? "";
      }
    }
    return values;
  }

  form.addEventListener("change", (event) => {
    if (event.target.name === "service_code") show();
  });

  return { selected, choose, show, filter, read };
}
