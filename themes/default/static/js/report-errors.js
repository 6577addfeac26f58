// The report form's problems (docs/reports.md, "The report form and the offline queue"): each
// one at its control (its message, aria-invalid) and all of them in the summary at the top,
// linked to their controls, focused and announced. The server's refusals are shown the same way.

import { el } from "app/dom.js";
import { fieldOfServerError } from "app/report-fields.js";

/** The id of a field's message element: "attribute:CODE" -> "error-attribute-CODE", "place" -> "error-place". */
export function errorId(field) {
  return field.startsWith("attribute:") ? `error-attribute-${field.slice(10)}` : `error-${field}`;
}

/** A refusal of the server ({errors: [{description}]}) as problems [{field, text}], never none. */
export function serverProblems(error, t) {
  const problems = (error?.errors ?? []).map((e) => ({ field: fieldOfServerError(e.description), text: e.description }));
  return problems.length ? problems : [{ field: null, text: t("report_refused_unknown") }];
}

/**
 * The problems of `form`. `controls` are the controls of the fields that are not questions:
 * {description, address, email, photos, locate}; `summary` is {box, list, lead} of the list at
 * the top; `progress` the line that says the report is being sent.
 */
export function createErrors({ form, t, controls, summary, progress }) {
  const doc = form.ownerDocument;

  /** The control to focus for a field, and the controls marked invalid with it. */
  function controlsOf(field) {
    if (field.startsWith("attribute:")) {
      const box = form.querySelector(`[data-attribute="${CSS.escape(field.slice(10))}"]`);
      return box ? [...box.querySelectorAll("input, textarea, select")] : [];
    }
    switch (field) {
      case "service":
        return [...form.querySelectorAll('input[name="service_code"]:not(:disabled)')];
      case "description":
      case "address":
      case "email":
      case "photos":
        return [controls[field]];
      case "place":
        // The location button is hidden where scripts do not run; then the address is the place.
        return [controls.locate.closest("[hidden]") ? controls.address : controls.locate, controls.address];
      default:
        return [];
    }
  }

  /** Shows `text` at the field (after a message already there). */
  function show(field, text) {
    const message = doc.getElementById(errorId(field));
    if (!message) return;
    message.textContent = message.hidden || !message.textContent ? text : `${message.textContent} ${text}`;
    message.hidden = false;
    for (const control of controlsOf(field)) {
      if (control.type !== "button") control.setAttribute("aria-invalid", "true");
    }
  }

  /** Takes the field's message and marks away. */
  function hide(field) {
    const message = doc.getElementById(errorId(field));
    if (message) {
      message.hidden = true;
      message.textContent = "";
    }
    for (const control of controlsOf(field)) control.removeAttribute("aria-invalid");
  }

  /** Takes every message, mark and the summary away. */
  function clear() {
    for (const message of doc.querySelectorAll(".field-error")) {
      message.hidden = true;
      message.textContent = "";
    }
    for (const control of form.querySelectorAll("[aria-invalid]")) control.removeAttribute("aria-invalid");
    summary.box.hidden = true;
  }

  /** Lists `problems` [{field, text}] in the summary (focused, announced) and at their controls. */
  function list(problems, { server = false } = {}) {
    clear();
    progress.textContent = "";
    const items = problems.map(({ field, text }) => {
      const target = field ? controlsOf(field)[0] : null;
      if (!target) return el("li", {}, text);
      show(field, text);
      const link = el("a", { href: `#${target.id}` }, text);
      link.addEventListener("click", (event) => {
        event.preventDefault();
        target.focus();
      });
      return el("li", {}, link);
    });
    summary.list.replaceChildren(...items);
    summary.lead.hidden = !server;
    summary.box.hidden = false;
    summary.box.focus();
  }

  /** The server's refusal `error`, listed with the lead line that says the server refused. */
  function server(error) {
    list(serverProblems(error, t), { server: true });
  }

  return { show, hide, clear, list, server };
}
