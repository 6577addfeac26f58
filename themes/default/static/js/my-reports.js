// "My reports" (templates/my-reports.html): the reports made on this device, from the outbox
// in IndexedDB (report-outbox.js). Waiting ones can be sent now or deleted, refused ones
// corrected or deleted, delivered ones show their ticket and the city's latest status, looked
// up on every visit (report-status.js). Offline, the last status looked up is shown with its
// date. "Forget" removes a delivered report from this device only.

import "app/report-outbox.js";
import { outbox } from "app/report-delivery.js";
import { translator } from "app/i18n.js";
import { el } from "app/dom.js";
import { deliveredEntries, lookUpStatuses } from "app/report-status.js";
import { ratingForm, sendRating } from "app/ticket-rating.js";

const $ = (id) => document.getElementById(id);
const reportConfig = JSON.parse($("report-config").textContent);
const t = translator(JSON.parse($("report-strings").textContent));
const timezone = document.querySelector("script[data-timezone]")?.dataset.timezone;
const { listen } = globalThis.sitegenOutbox;
const list = $("mine-list");

function dateFormat() {
  const options = { dateStyle: "medium", timeStyle: "short" };
  try {
    return new Intl.DateTimeFormat(reportConfig.locale, { ...options, timeZone: timezone });
  } catch {
    return new Intl.DateTimeFormat(reportConfig.locale, options); // an unknown zone: the phone's
  }
}
const formatter = dateFormat();
const formatDate = (ms) => (Number.isFinite(ms) ? formatter.format(new Date(ms)) : "");

function say(message) {
  $("mine-status").textContent = message;
}

// -- one report --------------------------------------------------------------------------

function statusLine(entry) {
  const known = entry.status;
  if (!known?.status) return t("status_not_checked");
  // Open or closed, and the case's own step (accepted, dispatched, …) when the server told it.
  const step = known.caseStatus && known.caseStatus !== "closed" ? t(`status_case_${known.caseStatus}`) : "";
  const open = t(known.status === "closed" ? "status_closed" : "status_open");
  const word = step && !step.startsWith("status_case_") && step !== open ? `${open}: ${step}` : open;
  const parts = [word];
  if (known.updated) parts.push(t("status_updated", { date: formatDate(known.updated) }));
  return parts.join(" · ");
}

function stateLine(entry, now) {
  if (entry.state === "failed") return t("state_failed");
  if (entry.state === "sending" && entry.leaseUntil > now) return t("state_sending");
  return t("state_queued");
}

function button(label, action, entry, headingId) {
  const node = el("button", { type: "button", className: action === "send" ? "action" : "secondary" }, label);
  node.dataset.action = action;
  node.dataset.key = entry.key;
  node.setAttribute("aria-describedby", headingId);
  return node;
}

function item(entry, index, now) {
  const summary = entry.summary ?? {};
  const headingId = `mine-${index}`;
  const li = el("li", { className: `my-report state-${entry.state}` });
  li.dataset.key = entry.key;
  li.append(el("h2", { id: headingId }, summary.serviceName ?? summary.serviceCode ?? t("report_problem")));
  const facts = el("dl");
  const fact = (term, ...value) => facts.append(el("dt", {}, term), el("dd", {}, ...value));
  if (entry.state === "sent") {
    fact(t("report_ticket"), el("strong", { className: "ticket" }, entry.ticket));
    fact(t("mine_status"), el("span", { className: `status status-${entry.status?.status ?? "unknown"}` }, statusLine(entry)));
    if (entry.status?.notes) fact(t("mine_notes"), entry.status.notes);
    if (entry.status?.checked) fact(t("mine_checked"), formatDate(entry.status.checked));
    fact(t("mine_sent"), formatDate(entry.sentAt));
    if (entry.status?.rated) fact(t("rating_given"), t(entry.status.ratedAs ? `rating_${entry.status.ratedAs}` : "rating_thanks"));
  } else {
    fact(t("mine_state"), el("span", { className: `state state-${entry.state}` }, stateLine(entry, now)));
    fact(t("mine_saved"), formatDate(entry.created));
  }
  if (summary.facility) {
    const name = summary.facility.name ?? summary.facility.id;
    fact(t("mine_place"), summary.facility.url ? el("a", { href: summary.facility.url }, name) : name);
  } else if (summary.address) {
    fact(t("mine_place"), summary.address);
  }
  li.append(facts);
  if (summary.thumb) li.append(el("img", { className: "thumb", src: summary.thumb, alt: "" }));
  if (summary.excerpt) li.append(el("p", { className: "excerpt" }, summary.excerpt));
  if (entry.state === "sent" && entry.status?.ratingOpen) li.append(ratingForm(entry, t, index));
  if (entry.state === "failed") {
    const reasons = (entry.error?.errors ?? []).map((e) => el("li", {}, e.description));
    li.append(el("p", { className: "reason" }, t("report_server_refused")), el("ul", { className: "reasons" }, ...reasons));
  }
  const actions = el("p", { className: "mine-actions" });
  if (entry.state === "queued" || entry.state === "sending") {
    actions.append(button(t("mine_send_now"), "send", entry, headingId), button(t("mine_delete"), "delete", entry, headingId));
  } else if (entry.state === "failed") {
    const edit = el("a", { className: "action", href: `${$("mine-new").pathname}?edit=${encodeURIComponent(entry.key)}` }, t("mine_edit"));
    edit.setAttribute("aria-describedby", headingId);
    actions.append(edit, button(t("mine_delete"), "delete", entry, headingId));
  } else {
    actions.append(button(t("mine_forget"), "forget", entry, headingId));
  }
  li.append(actions);
  return li;
}

// -- the list ------------------------------------------------------------------------------

let rendering = null;
let again = false;

/** Redraws the list (at most one redraw at a time; changes meanwhile redraw once more). */
function render() {
  if (rendering) {
    again = true;
    return rendering;
  }
  rendering = (async () => {
    const { box, durable } = await outbox();
    const entries = await box.list();
    const focused = document.activeElement?.dataset ?? {};
    const now = Date.now();
    $("mine-needs-js").hidden = true;
    $("mine-not-kept").hidden = durable;
    list.replaceChildren(...entries.map((entry, n) => item(entry, n, now)));
    list.hidden = !entries.length;
    $("mine-empty").hidden = entries.length > 0;
    // Keep the focus on the same button of the same report across a redraw.
    if (focused.key && focused.action) {
      list.querySelector(`[data-key="${CSS.escape(focused.key)}"][data-action="${focused.action}"]`)?.focus();
    }
    return entries;
  })().finally(() => {
    rendering = null;
    if (again) {
      again = false;
      render();
    }
  });
  return rendering;
}

/** The city's latest status of every delivered report (online), saved with the date. */
async function lookUp(entries) {
  const sent = deliveredEntries(entries);
  if (!sent.length) return;
  if (!navigator.onLine) {
    say(t("status_offline"));
    return;
  }
  const { box } = await outbox();
  const failed = await lookUpStatuses(sent, { box, reportConfig });
  say(failed ? t("status_failed") : "");
  await render();
}

list.addEventListener("click", async (event) => {
  const target = event.target.closest("button[data-action]");
  if (!target) return;
  const { action, key } = target.dataset;
  const { box } = await outbox();
  if (action === "send") {
    say(t("state_sending"));
    const after = await box.send(key);
    say(after?.state === "sent" ? t("mine_delivered", { ticket: after.ticket }) : after?.state === "failed" ? t("state_failed") : t("mine_still_waiting"));
    await render();
    return;
  }
  const question = action === "forget" ? t("mine_confirm_forget") : t("mine_confirm_delete");
  if (!confirm(question)) return;
  await box.remove(key);
  await render();
  say(t("mine_removed"));
  $("mine-title").focus();
});

list.addEventListener("submit", async (event) => {
  const form = event.target.closest("form.ticket-rating");
  if (!form) return;
  event.preventDefault();
  const { box } = await outbox();
  const entry = await box.get(form.dataset.key);
  const choice = form.elements.satisfaction.value;
  if (!entry || !choice) return;
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  try {
    const outcome = await sendRating(reportConfig, entry, choice, form.elements.comment.value.trim());
    const rated = outcome === "rated";
    await box.noteStatus(entry.key, { ...entry.status, ratingOpen: false, rated, ratedAs: rated ? choice : null });
    say(rated ? t("rating_thanks") : t("rating_not_open"));
    await render();
  } catch (error) {
    form.querySelector(".rating-error").textContent = navigator.onLine ? error.message : t("rating_offline");
    button.disabled = false;
  }
});

listen(() => render());
addEventListener("online", async () => lookUp(await render()));

render().then(lookUp);
