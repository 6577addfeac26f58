// "My reports" (templates/my-reports.html): the reports made on this device, from the outbox
// in IndexedDB (report-outbox.js). Waiting ones can be sent now or deleted, refused ones
// corrected or deleted, delivered ones show their ticket and the city's latest status, looked
// up with GET {endpoint}requests/{ticket}.json on every visit. Offline, the last status looked
// up is shown with its date. "Forget" removes a delivered report from this device only.

import "app/report-outbox.js";
import { outbox } from "app/report-delivery.js";
import { translator } from "app/i18n.js";
import { el } from "app/dom.js";

const $ = (id) => document.getElementById(id);
const reportConfig = JSON.parse($("report-config").textContent);
const t = translator(JSON.parse($("report-strings").textContent));
const timezone = document.querySelector("script[data-timezone]")?.dataset.timezone;
const { listen } = globalThis.sitegenOutbox;
const list = $("mine-list");
const LOOKUPS_AT_ONCE = 4;
const MAX_LOOKUPS = 50; // the newest tickets; older ones keep their last known status

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
  const word = t(known.status === "closed" ? "status_closed" : "status_open");
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

async function pool(items, limit, task) {
  let next = 0;
  const run = async () => {
    while (next < items.length) await task(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, run));
}

/** The city's latest status of every delivered report (online), saved with the date. */
async function lookUp(entries) {
  const sent = entries.filter((entry) => entry.state === "sent" && entry.ticket).slice(0, MAX_LOOKUPS);
  if (!sent.length) return;
  if (!navigator.onLine) {
    say(t("status_offline"));
    return;
  }
  const { box } = await outbox();
  let failed = 0;
  await pool(sent, LOOKUPS_AT_ONCE, async (entry) => {
    const url = new URL(`requests/${encodeURIComponent(entry.ticket)}.json`, entry.endpoint ?? reportConfig.endpoint);
    if (reportConfig.jurisdiction) url.searchParams.set("jurisdiction_id", reportConfig.jurisdiction);
    url.searchParams.set("locale", reportConfig.locale);
    try {
      const response = await fetch(url, { credentials: "omit", cache: "no-store" });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const [request] = await response.json();
      await box.noteStatus(entry.key, {
        status: request.status,
        notes: request.status_notes || null,
        updated: Date.parse(request.updated_datetime) || null,
        checked: Date.now(),
      });
    } catch {
      failed++;
    }
  });
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

listen(() => render());
addEventListener("online", async () => lookUp(await render()));

render().then(lookUp);
