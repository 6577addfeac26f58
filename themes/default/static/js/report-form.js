// The report form (templates/report.html; docs/reports.md, "The report form and the offline
// queue"). The page works as a plain form without JavaScript; this module makes it the form a
// phone needs, by putting together its parts:
//
// - report-questions.js: the problems (services), narrowed to a facility's category, and the
//   chosen one's questions (Open311 attributes);
// - report-description.js: the description's counter;
// - report-photos.js: up to three photos made smaller on the phone;
// - report-place.js, report-position.js, report-facility.js: where the problem is (a facility
//   from ?facility=ID&category=ID, the phone's location, a pin on a small map, or an address);
// - report-errors.js: checks before sending, every problem listed in a summary linked to its control;
// - report-send.js, report-result.js: the report goes through the outbox (report-outbox.js),
//   stored first, then sent; offline or on a temporary failure it waits and is sent once later;
//   the ticket is shown when it is in;
// - report-edit.js: ?edit=KEY, a queued report the server refused, filled in again to be corrected.

import "app/report-outbox.js";
import { deliverLater, outbox } from "app/report-delivery.js";
import { translator } from "app/i18n.js";
import { MAX_DESCRIPTION, checkReport } from "app/report-fields.js";
import { createDescriptionCounter } from "app/report-description.js";
import { createEditing } from "app/report-edit.js";
import { createErrors } from "app/report-errors.js";
import { createFacility } from "app/report-facility.js";
import { createPhotos } from "app/report-photos.js";
import { createPlace } from "app/report-place.js";
import { createPosition } from "app/report-position.js";
import { createQuestions } from "app/report-questions.js";
import { createResult } from "app/report-result.js";
import { createSender } from "app/report-send.js";

const $ = (id) => document.getElementById(id);
const config = JSON.parse($("sitegen-config").textContent);
const reportConfig = JSON.parse($("report-config").textContent);
const t = translator(config.strings);
const outboxApi = globalThis.sitegenOutbox;
const params = new URLSearchParams(location.search);

const form = $("report-form");
const controls = { description: $("report-description"), address: $("report-address"), email: $("report-email") };
const progress = $("report-progress");

const errors = createErrors({
  form,
  t,
  controls: { ...controls, photos: $("report-photos"), locate: $("report-locate") },
  summary: { box: $("report-errors"), list: $("report-errors-list"), lead: $("report-errors-lead") },
  progress,
});
const questions = createQuestions({ form, box: $("report-attributes"), services: reportConfig.services, t });
const counter = createDescriptionCounter({
  textarea: controls.description,
  count: $("report-description-count"),
  live: $("report-description-live"),
  t,
  max: MAX_DESCRIPTION,
});
const photos = createPhotos({ input: $("report-photos"), list: $("report-photo-list"), live: $("report-photos-live"), t, errors });
const place = createPlace({ bounds: config.map.bounds, t, status: $("report-place-status"), onPosition: () => errors.hide("place") });
const position = createPosition({
  config,
  t,
  place,
  locate: $("report-locate"),
  centre: $("report-pin-centre"),
  shell: $("report-map-shell"),
  map: $("report-map"),
  notice: $("report-map-notice"),
});
const facility = createFacility({ config, t, place, questions, about: $("report-about") });
const editing = createEditing({ t, outbox, controls, note: $("report-edit-note"), questions, place, facility, photos, counter, errors });
const result = createResult({
  form,
  t,
  elements: {
    result: $("report-result"),
    title: $("report-result-title"),
    text: $("report-result-text"),
    ticket: $("report-result-ticket"),
    errors: $("report-errors"),
    editNote: $("report-edit-note"),
    progress,
  },
  listen: outboxApi.listen,
  outbox,
  onRefused: editing.load,
});
const sender = createSender({ reportConfig, outboxApi, outbox, deliverLater, photos, place, honeypot: $("report-website"), result, errors, editing });

/** The report as the form has it now (report-fields.js says its shape). */
function currentReport() {
  const service = questions.selected();
  const { facility: id, lat, lng } = place.current;
  return {
    service: service?.code ?? "",
    attributes: questions.read(service),
    description: controls.description.value,
    place: { facility: id, lat, lng, address: controls.address.value },
    email: controls.email.value,
    locale: reportConfig.locale,
    jurisdiction: reportConfig.jurisdiction,
  };
}

let busy = false;
form.addEventListener("submit", async (event) => {
  event.preventDefault();
  if (busy) return;
  busy = true;
  try {
    await photos.ready();
    const report = currentReport();
    const service = questions.selected();
    const problems = checkReport(report, service, { emailValid: !controls.email.validity.typeMismatch, photos: photos.all().length });
    if (problems.length) {
      errors.list(problems.map((problem) => ({ field: problem.field, text: t(problem.message, problem.vars) })));
      return;
    }
    errors.clear();
    progress.textContent = t("report_sending");
    await sender.send(report, service);
  } catch {
    progress.textContent = "";
    errors.list([{ field: null, text: t("report_not_saved") }]);
  } finally {
    busy = false;
  }
});

async function start() {
  form.noValidate = true; // checked here, with messages in the page's language
  controls.address.required = false; // a facility or a position will do as well (without scripts only the address can)
  for (const part of form.querySelectorAll("[data-js]")) part.hidden = false;
  counter.update();
  const edit = params.get("edit");
  if (!(edit && (await editing.load(edit).catch(() => false)))) {
    const id = params.get("facility");
    if (id) await facility.use(id, params.get("category"));
  }
  // Another language keeps the facility (the form's text is not carried over).
  for (const link of document.querySelectorAll(".language-switch a[hreflang]")) link.search = location.search;
  const { facility: id, category } = place.current;
  if (id) {
    const again = $("report-again");
    again.href = `${again.pathname}?facility=${encodeURIComponent(id)}&category=${encodeURIComponent(category ?? "")}`;
  }
  await position.startMap();
}

start();
