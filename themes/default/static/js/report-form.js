// The report form (templates/report.html; docs/reports.md, "The report form and the offline
// queue"). The page works as a plain form without JavaScript; this module makes it the form a
// phone needs:
//
// - ?facility=ID&category=ID (from a name card or the map's sheet): the place is that facility,
//   its position comes from the published data, and only the problems of its category show;
// - the chosen problem's questions (Open311 attributes), a description with a counter, up to
//   three photos made smaller on the phone, the place by facility, the phone's location, a
//   pin on a small map or a typed address;
// - checks before sending, every problem listed in a summary linked to its control;
// - the report goes through the outbox (report-outbox.js): stored first, then sent; offline or
//   on a temporary failure it waits and is sent once later; the ticket is shown when it is in.
// - ?edit=KEY: a queued report the server refused, filled in again to be corrected.

import "app/report-outbox.js";
import { deliverLater, outbox } from "app/report-delivery.js";
import { createStore, indexOfId } from "app/data.js";
import { el } from "app/dom.js";
import { translator } from "app/i18n.js";
import { resizePhoto } from "app/photo-resize.js";
import {
  MAX_DESCRIPTION,
  MAX_PHOTOS,
  applies,
  checkReport,
  fieldOfServerError,
  fieldsToReport,
  reportFields,
} from "app/report-fields.js";

const $ = (id) => document.getElementById(id);
const config = JSON.parse($("sitegen-config").textContent);
const reportConfig = JSON.parse($("report-config").textContent);
const t = translator(config.strings);
const { createOutbox, excerpt, listen, memoryStore, newKey } = globalThis.sitegenOutbox;
const services = new Map(reportConfig.services.map((service) => [service.code, service]));
const params = new URLSearchParams(location.search);

const form = $("report-form");
const description = $("report-description");
const address = $("report-address");
const email = $("report-email");

// Where the problem is: a facility, a position (with where it came from), or a typed address.
const place = { facility: null, name: null, url: null, category: null, lat: null, lng: null, source: null, accuracy: null };
let photos = []; // [{blob, thumb, width, height}], made smaller already
let photoWork = Promise.resolve(); // photos still being made smaller
let editing = null; // the refused entry being corrected
let waitingKey = null; // the report shown as waiting to be sent
let busy = false;
let pinMap = null;

// -- problems (services) and their questions -------------------------------------------

function selectedService() {
  const input = form.querySelector('input[name="service_code"]:checked');
  return input ? services.get(input.value) ?? null : null;
}

/** Shows only the problems of a facility category (all of them for none, or when none fits). */
function filterServices(category) {
  const fits = reportConfig.services.some((service) => applies(service, category));
  for (const choice of form.querySelectorAll(".choice[data-service]")) {
    const ok = !fits || applies(services.get(choice.dataset.service), category);
    const input = choice.querySelector("input");
    choice.hidden = !ok;
    input.disabled = !ok;
    if (!ok) input.checked = false;
  }
  for (const group of form.querySelectorAll("[data-group]")) {
    group.hidden = !group.querySelector(".choice:not([hidden])");
  }
  showAttributes();
}

function requiredMark(required) {
  return el("span", { className: required ? "required" : "optional" }, t(required ? "report_required" : "report_optional"));
}

/** The control of one question (Open311 attribute), filled with `value`. */
function attributeControl(attribute, value) {
  const code = attribute.code;
  const id = `attr-${code}`;
  const errorId = `error-attribute-${code}`;
  const error = el("p", { className: "field-error", id: errorId, hidden: true });
  const title = [attribute.description, " ", requiredMark(attribute.required)];
  if (attribute.datatype === "singlevaluelist" || attribute.datatype === "multivaluelist") {
    const multi = attribute.datatype === "multivaluelist";
    const fieldset = el("fieldset", { className: "attribute", id }, el("legend", {}, ...title));
    fieldset.dataset.attribute = code;
    fieldset.setAttribute("aria-describedby", errorId);
    attribute.values.forEach(([key, name], n) => {
      const input = el("input", {
        type: multi ? "checkbox" : "radio",
        name: multi ? `attribute[${code}][]` : `attribute[${code}]`,
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
  control.name = `attribute[${code}]`;
  control.required = attribute.required;
  control.value = value ?? "";
  control.setAttribute("aria-describedby", errorId);
  const field = el("div", { className: "field attribute" }, el("label", { htmlFor: id }, ...title), control, error);
  field.dataset.attribute = code;
  return field;
}

/** The questions of the chosen problem; `values` fills them in (editing). */
function showAttributes(values = {}) {
  const box = $("report-attributes");
  const service = selectedService();
  const attributes = service?.attributes ?? [];
  box.replaceChildren(...attributes.map((attribute) => attributeControl(attribute, values[attribute.code])));
  box.hidden = !attributes.length;
}

function readAttributes(service) {
  const values = {};
  for (const { code, datatype } of service?.attributes ?? []) {
    const name = CSS.escape(code);
    if (datatype === "multivaluelist") {
      values[code] = [...form.querySelectorAll(`input[name="attribute[${name}][]"]:checked`)].map((input) => input.value);
    } else if (datatype === "singlevaluelist") {
      values[code] = form.querySelector(`input[name="attribute[${name}]"]:checked`)?.value ?? "";
    } else {
      values[code] = $(`attr-${code}`)?.value ?? "";
    }
  }
  return values;
}

form.addEventListener("change", (event) => {
  if (event.target.name === "service_code") showAttributes();
});

// -- description -----------------------------------------------------------------------

let lastBucket = null;
function countCharacters() {
  const left = MAX_DESCRIPTION - [...description.value].length;
  $("report-description-count").textContent = t("report_chars_left", { count: left, max: MAX_DESCRIPTION });
  // Told to screen readers only near the limit, and not on every key.
  const bucket = left <= 0 ? 0 : left <= 10 ? 10 : left <= 50 ? 50 : left <= 100 ? 100 : null;
  if (bucket !== lastBucket) {
    lastBucket = bucket;
    $("report-description-live").textContent = bucket === null ? "" : t("report_chars_left", { count: left, max: MAX_DESCRIPTION });
  }
}
description.addEventListener("input", countCharacters);

// -- photos ----------------------------------------------------------------------------

function photoStatus(message) {
  $("report-photos-live").textContent = message;
}

function renderPhotos() {
  const list = $("report-photo-list");
  list.replaceChildren(
    ...photos.map((photo, n) => {
      const remove = el("button", { type: "button", className: "secondary photo-remove" }, t("report_photo_remove_short"));
      remove.setAttribute("aria-label", t("report_photo_remove", { n: n + 1 }));
      remove.addEventListener("click", () => {
        photos.splice(n, 1);
        renderPhotos();
        photoStatus(t("report_photo_removed", { n: n + 1 }));
        const next = list.querySelectorAll(".photo-remove")[Math.min(n, photos.length - 1)];
        (next ?? $("report-photos")).focus();
      });
      const image = el("img", { src: photo.thumb, alt: t("report_photo_alt", { n: n + 1 }) });
      return el("li", {}, image, remove);
    }),
  );
  list.hidden = !photos.length;
  $("report-photos").disabled = photos.length >= MAX_PHOTOS;
}

async function addPhotos(files) {
  const room = MAX_PHOTOS - photos.length;
  if (files.length > room) photoStatus(t("report_photos_too_many", { max: MAX_PHOTOS }));
  for (const file of files.slice(0, Math.max(0, room))) {
    photoStatus(t("report_photo_preparing"));
    try {
      photos.push(await resizePhoto(file));
      photoStatus(t("report_photo_added", { count: photos.length, max: MAX_PHOTOS }));
    } catch {
      photoStatus(t("report_photo_failed"));
      showFieldError("photos", t("report_photo_failed"));
    }
    renderPhotos();
  }
}

$("report-photos").addEventListener("change", (event) => {
  const files = [...event.target.files];
  event.target.value = ""; // the same photo can be chosen again after removing it
  hideFieldError("photos");
  photoWork = photoWork.then(() => addPhotos(files)).catch(() => {});
});

// -- place -------------------------------------------------------------------------------

function inBounds(lat, lng) {
  const [[west, south], [east, north]] = config.map.bounds;
  return lng >= west && lng <= east && lat >= south && lat <= north;
}

function describePlace() {
  const parts = [];
  if (place.facility) parts.push(t("report_place_facility", { name: place.name ?? place.facility }));
  if (place.source === "device") parts.push(t("report_location_found", { m: Math.max(1, Math.round(place.accuracy ?? 0)) }));
  if (place.source === "pin") parts.push(t("report_pin_set", { lat: place.lat.toFixed(5), lng: place.lng.toFixed(5) }));
  return parts.join(" ");
}

function placeStatus(message = "") {
  $("report-place-status").textContent = [message, describePlace()].filter(Boolean).join(" ");
}

function setPosition(lat, lng, source, accuracy = null) {
  Object.assign(place, { lat, lng, source, accuracy });
  hideFieldError("place");
  placeStatus();
}

$("report-locate").addEventListener("click", () => {
  if (!navigator.geolocation) {
    placeStatus(t("report_location_unsupported"));
    return;
  }
  placeStatus(t("report_locating"));
  navigator.geolocation.getCurrentPosition(
    ({ coords }) => {
      if (!inBounds(coords.latitude, coords.longitude)) {
        placeStatus(t("report_location_outside"));
        return;
      }
      setPosition(coords.latitude, coords.longitude, "device", coords.accuracy);
      pinMap?.show(coords.latitude, coords.longitude);
    },
    (error) => {
      const key = { 1: "report_location_denied", 2: "report_location_unavailable", 3: "report_location_timeout" }[error.code];
      placeStatus(t(key ?? "report_location_unavailable"));
    },
    { enableHighAccuracy: true, timeout: 15000, maximumAge: 30000 },
  );
});

function mapUnavailable() {
  pinMap?.stop();
  pinMap = null;
  $("report-map-shell").hidden = true;
  $("report-map-notice").hidden = false;
}

async function startMap() {
  try {
    const { createPinMap } = await import("app/report-map.js");
    $("report-map-shell").hidden = false;
    const known = place.lat != null;
    pinMap = createPinMap({
      element: $("report-map"),
      config,
      t,
      start: known
        ? { lat: place.lat, lng: place.lng, zoom: 17 }
        : { lat: config.map.center[1], lng: config.map.center[0], zoom: config.map.zoom },
      onPin: ({ lat, lng }) => {
        if (inBounds(lat, lng)) setPosition(lat, lng, "pin");
        else placeStatus(t("report_location_outside"));
      },
      onUnavailable: mapUnavailable,
    });
    if (known) pinMap.show(place.lat, place.lng);
  } catch {
    mapUnavailable(); // Leaflet blocked or failing: the form works without the map
  }
}
$("report-pin-centre").addEventListener("click", () => pinMap?.pinCentre());

/** The facility `id` in the published data: {category, lat, lng, name, url}, null if absent. */
async function findFacility(id, categoryId) {
  const store = createStore(config);
  const first = config.categories.filter((category) => category.id === categoryId);
  for (const category of [...first, ...config.categories.filter((c) => c.id !== categoryId)]) {
    const points = await store.withText(category);
    const i = indexOfId(points, id);
    if (i >= 0) {
      return {
        category,
        lng: points.coords[2 * i],
        lat: points.coords[2 * i + 1],
        name: points.text?.name[i] ?? id,
        url: `${category.pages}${encodeURIComponent(id)}/`,
      };
    }
  }
  return null;
}

function showAbout() {
  const about = $("report-about");
  const [before, after = ""] = t("report_about").split("{name}");
  const name = place.url ? el("a", { href: place.url }, place.name) : el("strong", {}, place.name ?? place.facility);
  about.replaceChildren(before, name, after);
  about.hidden = false;
}

async function useFacility(id, categoryId) {
  Object.assign(place, { facility: id, name: id, category: categoryId });
  filterServices(categoryId);
  let found;
  try {
    found = await findFacility(id, categoryId);
  } catch {
    found = undefined; // the data files are not at hand (offline, never saved): keep the id
  }
  if (found === null) {
    Object.assign(place, { facility: null, name: null, category: null });
    filterServices(null);
    placeStatus(t("card_not_found"));
    return;
  }
  if (found) {
    Object.assign(place, { name: found.name, url: found.url, category: found.category.id });
    filterServices(found.category.id);
    setPosition(found.lat, found.lng, "facility");
  }
  showAbout();
  placeStatus();
}

// -- errors ------------------------------------------------------------------------------

const errorId = (field) => (field.startsWith("attribute:") ? `error-attribute-${field.slice(10)}` : `error-${field}`);

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
      return [description];
    case "address":
      return [address];
    case "email":
      return [email];
    case "photos":
      return [$("report-photos")];
    case "place":
      return [$("report-locate").closest("[hidden]") ? address : $("report-locate"), address];
    default:
      return [];
  }
}

function showFieldError(field, text) {
  const message = $(errorId(field));
  if (!message) return;
  message.textContent = message.hidden || !message.textContent ? text : `${message.textContent} ${text}`;
  message.hidden = false;
  for (const control of controlsOf(field)) {
    if (control.type !== "button") control.setAttribute("aria-invalid", "true");
  }
}

function hideFieldError(field) {
  const message = $(errorId(field));
  if (message) {
    message.hidden = true;
    message.textContent = "";
  }
  for (const control of controlsOf(field)) control.removeAttribute("aria-invalid");
}

function clearErrors() {
  for (const message of document.querySelectorAll(".field-error")) {
    message.hidden = true;
    message.textContent = "";
  }
  for (const control of form.querySelectorAll("[aria-invalid]")) control.removeAttribute("aria-invalid");
  $("report-errors").hidden = true;
}

/** Lists `problems` [{field, text}] in the summary (focused, announced) and at their controls. */
function showErrors(problems, { server = false } = {}) {
  clearErrors();
  $("report-progress").textContent = "";
  const items = problems.map(({ field, text }) => {
    const target = field ? controlsOf(field)[0] : null;
    if (!target) return el("li", {}, text);
    showFieldError(field, text);
    const link = el("a", { href: `#${target.id}` }, text);
    link.addEventListener("click", (event) => {
      event.preventDefault();
      target.focus();
    });
    return el("li", {}, link);
  });
  $("report-errors-list").replaceChildren(...items);
  $("report-errors-lead").hidden = !server;
  const summary = $("report-errors");
  summary.hidden = false;
  summary.focus();
}

function showServerErrors(error) {
  const problems = (error?.errors ?? []).map((e) => ({ field: fieldOfServerError(e.description), text: e.description }));
  showErrors(problems.length ? problems : [{ field: null, text: t("report_refused_unknown") }], { server: true });
}

// -- results -----------------------------------------------------------------------------

function showResult(title, text, ticket) {
  form.hidden = true;
  $("report-errors").hidden = true;
  $("report-edit-note").hidden = true;
  $("report-progress").textContent = "";
  $("report-result-title").textContent = title;
  $("report-result-text").textContent = text;
  const ticketLine = $("report-result-ticket");
  ticketLine.hidden = !ticket;
  ticketLine.querySelector("strong").textContent = ticket ?? "";
  $("report-result").hidden = false;
  $("report-result-title").focus();
}

function showSent(entry) {
  waitingKey = null;
  showResult(t("report_sent_title"), entry.notice ?? "", entry.ticket);
}

function showWaiting(entry, durable) {
  waitingKey = entry.key;
  showResult(t("report_queued_title"), t(durable ? "report_queued_text" : "report_queued_memory"), null);
}

// A waiting report delivered by another sender (the service worker, the "online" event), or
// refused by the server: then the form comes back with the server's messages to correct it.
listen(async (message) => {
  if (!waitingKey || message.key !== waitingKey) return;
  const { box } = await outbox();
  const entry = await box.get(waitingKey);
  if (entry?.state === "sent") showSent(entry);
  else if (entry?.state === "failed") {
    waitingKey = null;
    $("report-result").hidden = true;
    form.hidden = false;
    await loadForEditing(entry.key);
  }
});

// -- sending -----------------------------------------------------------------------------

function currentReport() {
  const service = selectedService();
  return {
    service: service?.code ?? "",
    attributes: readAttributes(service),
    description: description.value,
    place: { facility: place.facility, lat: place.lat, lng: place.lng, address: address.value },
    email: email.value,
    locale: reportConfig.locale,
    jurisdiction: reportConfig.jurisdiction,
  };
}

function summaryOf(report, service) {
  return {
    serviceCode: service.code,
    serviceName: service.name,
    excerpt: excerpt(report.description),
    facility: place.facility ? { id: place.facility, name: place.name, url: place.url, category: place.category } : null,
    address: report.place.address.trim() || null,
    thumb: photos[0]?.thumb ?? null,
    locale: reportConfig.locale,
  };
}

/** Stores the report in the outbox (in memory when the device refuses to keep it). */
async function store(entry) {
  const opened = await outbox();
  try {
    return { ...opened, entry: await opened.box.add(entry) };
  } catch {
    const box = createOutbox({ store: memoryStore() }); // storage full or refused
    return { box, durable: false, entry: await box.add(entry) };
  }
}

async function send(report, service) {
  const key = newKey();
  const fields = reportFields({ ...report, key });
  const honeypot = $("report-website").value;
  if (honeypot) fields.push(["website", honeypot]); // a robot that runs scripts is refused too
  const { box, durable, entry } = await store({
    key,
    endpoint: reportConfig.endpoint,
    fields,
    photos: photos.map((photo, n) => ({ blob: photo.blob, name: `photo-${n + 1}.jpg`, thumb: photo.thumb })),
    summary: summaryOf(report, service),
  });
  if (!navigator.onLine) {
    await finishEditing(box);
    showWaiting(entry, durable);
    deliverLater();
    return;
  }
  const after = (await box.send(key)) ?? entry;
  if (after.state === "failed") {
    // Nothing was stored by the server: the citizen corrects the form and sends again.
    await box.remove(key);
    showServerErrors(after.error);
    return;
  }
  await finishEditing(box);
  if (after.state === "sent") showSent(after);
  else {
    showWaiting(after, durable);
    deliverLater({ waiting: 1, offline: Boolean(after.error?.network), nextRetry: after.retryAt || null });
  }
}

/** The corrected report replaces the refused one. */
async function finishEditing(box) {
  if (!editing) return;
  await box.remove(editing.key);
  editing = null;
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  if (busy) return;
  busy = true;
  try {
    await photoWork;
    const report = currentReport();
    const service = selectedService();
    const problems = checkReport(report, service, { emailValid: !email.validity.typeMismatch, photos: photos.length });
    if (problems.length) {
      showErrors(problems.map((problem) => ({ field: problem.field, text: t(problem.message, problem.vars) })));
      return;
    }
    clearErrors();
    $("report-progress").textContent = t("report_sending");
    await send(report, service);
  } catch {
    $("report-progress").textContent = "";
    showErrors([{ field: null, text: t("report_not_saved") }]);
  } finally {
    busy = false;
  }
});

// -- editing a refused report ------------------------------------------------------------

async function loadForEditing(key) {
  const { box } = await outbox();
  const entry = await box.get(key);
  if (!entry || entry.state !== "failed") return false;
  editing = entry;
  const report = fieldsToReport(entry.fields);
  const facility = entry.summary?.facility;
  if (facility) Object.assign(place, { facility: facility.id, name: facility.name, url: facility.url, category: facility.category });
  filterServices(place.category);
  const radio = form.querySelector(`input[name="service_code"][value="${CSS.escape(report.service)}"]:not(:disabled)`);
  if (radio) radio.checked = true;
  showAttributes(report.attributes);
  description.value = report.description;
  address.value = report.place.address ?? "";
  email.value = report.email;
  if (Number.isFinite(report.place.lat)) setPosition(report.place.lat, report.place.lng, place.facility ? "facility" : "pin");
  if (place.facility) showAbout();
  photos = entry.photos.map(({ blob, thumb }) => ({ blob, thumb }));
  renderPhotos();
  countCharacters();
  placeStatus();
  const note = $("report-edit-note");
  note.textContent = t("report_edit_note");
  note.hidden = false;
  showServerErrors(entry.error);
  return true;
}

// -- start -------------------------------------------------------------------------------

async function start() {
  form.noValidate = true; // checked here, with messages in the page's language
  address.required = false; // a facility or a position will do as well (without scripts only the address can)
  for (const part of form.querySelectorAll("[data-js]")) part.hidden = false;
  countCharacters();
  const edit = params.get("edit");
  if (!(edit && (await loadForEditing(edit).catch(() => false)))) {
    const facility = params.get("facility");
    if (facility) await useFacility(facility, params.get("category"));
  }
  // Another language keeps the facility (the form's text is not carried over).
  for (const link of document.querySelectorAll(".language-switch a[hreflang]")) link.search = location.search;
  if (place.facility) {
    const again = $("report-again");
    again.href = `${again.pathname}?facility=${encodeURIComponent(place.facility)}&category=${encodeURIComponent(place.category ?? "")}`;
  }
  await startMap();
}

start();
