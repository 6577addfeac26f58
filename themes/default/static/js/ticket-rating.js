// The citizen's rating of a closed case in "My reports" (my-reports.js): 满意 / 基本满意 /
// 不满意 and a comment, once per closing. The device proves the report is its own with the
// report's idempotency key, which it kept (the outbox's `key`) and only the server also knows;
// the form is urlencoded, so the cross-origin POST needs no preflight (docs/reports.md).

import { el } from "app/dom.js";

export const SATISFACTION = ["satisfied", "basically_satisfied", "dissatisfied"];
const MAX_COMMENT = 500;

/** The rating form of a delivered report whose case may be rated now. */
export function ratingForm(entry, t, index) {
  const id = `rate-${index}`;
  const choices = SATISFACTION.map((value) => {
    const input = el("input", { type: "radio", name: "satisfaction", value, id: `${id}-${value}`, required: true });
    return el("label", { className: "rating-choice", htmlFor: input.id }, input, " ", t(`rating_${value}`));
  });
  const comment = el("textarea", { id: `${id}-comment`, name: "comment", rows: 2, maxLength: MAX_COMMENT });
  const form = el(
    "form",
    { className: "ticket-rating" },
    el("fieldset", {}, el("legend", {}, t("rating_legend")), ...choices),
    el("label", { htmlFor: comment.id }, t("rating_comment")),
    comment,
    el("p", { className: "rating-error", id: `${id}-error`, role: "alert" }),
    el("button", { type: "submit", className: "action" }, t("rating_send")),
  );
  form.dataset.key = entry.key;
  return form;
}

/**
 * Sends a rating. Resolves to "rated" (taken, or taken before), "closed-no-more" (the case is
 * open again: nothing to rate now) or throws with the server's message for the form.
 */
export async function sendRating(config, entry, satisfaction, comment) {
  const url = new URL(`requests/${encodeURIComponent(entry.ticket)}/satisfaction.json`, entry.endpoint ?? config.endpoint);
  const body = new URLSearchParams({ idempotency_key: entry.key, satisfaction, comment: comment.slice(0, MAX_COMMENT) });
  if (config.jurisdiction) body.set("jurisdiction_id", config.jurisdiction);
  body.set("locale", config.locale);
  const response = await fetch(url, { method: "POST", body, credentials: "omit", cache: "no-store" });
  if (response.status === 201) return "rated";
  let message = `HTTP ${response.status}`;
  try {
    const [error] = await response.json();
    message = error?.description ?? message;
  } catch {
    // not JSON: keep the status
  }
  if (response.status === 409) return message.includes("rated already") ? "rated" : "not-open";
  throw new Error(message);
}
