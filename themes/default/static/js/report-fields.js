// A report as plain data: the Open311 form fields it sends (docs/reports.md, "Submitting"),
// the checks made before anything is sent, and which form control an error of the server
// is about. No DOM here, so all of it is tested in node (tests/js/report-fields.test.mjs).
//
// A report is {service, attributes: {code: value | [values]}, description,
// place: {facility, lat, lng, address}, email, locale, jurisdiction, key}.

export const MAX_DESCRIPTION = 4000; // the spec's limit, as the server counts: code points
export const MAX_ADDRESS = 500;
export const MAX_PHOTOS = 3;

/** Whether a service applies to a facility category (every service when there is none). */
export function applies(service, category) {
  return !category || !service.categories?.length || service.categories.includes(category);
}

const degrees = (value) => Number(value).toFixed(6); // about 0.1 m
const hasPosition = (place) => Number.isFinite(place?.lat) && Number.isFinite(place?.lng);
const length = (text) => [...String(text ?? "")].length;

/** The form fields as [name, value] pairs, empty ones left out, in a fixed order. */
export function reportFields(report) {
  const fields = [];
  const add = (name, value) => {
    const text = value == null ? "" : String(value).trim();
    if (text) fields.push([name, text]);
  };
  add("service_code", report.service);
  add("description", report.description);
  const place = report.place ?? {};
  if (hasPosition(place)) fields.push(["lat", degrees(place.lat)], ["long", degrees(place.lng)]);
  add("address_string", place.address);
  add("attribute[facility]", place.facility);
  for (const [code, value] of Object.entries(report.attributes ?? {})) {
    if (Array.isArray(value)) for (const item of value) add(`attribute[${code}][]`, item);
    else add(`attribute[${code}]`, value);
  }
  add("email", report.email);
  add("locale", report.locale);
  add("jurisdiction_id", report.jurisdiction);
  add("idempotency_key", report.key);
  return fields;
}

/** The report a list of fields describes (the inverse of reportFields, for editing). */
export function fieldsToReport(fields) {
  const report = { service: "", attributes: {}, description: "", place: {}, email: "" };
  let lat = null;
  let lng = null;
  for (const [name, value] of fields) {
    const attribute = /^attribute\[([^\]]+)\](\[\])?$/.exec(name);
    if (name === "service_code") report.service = value;
    else if (name === "description") report.description = value;
    else if (name === "lat") lat = Number(value);
    else if (name === "long") lng = Number(value);
    else if (name === "address_string") report.place.address = value;
    else if (name === "email") report.email = value;
    else if (attribute?.[1] === "facility") report.place.facility = value;
    else if (attribute?.[2]) (report.attributes[attribute[1]] ??= []).push(value);
    else if (attribute) report.attributes[attribute[1]] = value;
  }
  if (Number.isFinite(lat) && Number.isFinite(lng)) Object.assign(report.place, { lat, lng });
  return report;
}

function isEmpty(value) {
  if (value == null) return true;
  return Array.isArray(value) ? value.length === 0 : String(value).trim() === "";
}

/**
 * What is wrong with a report before it is sent, as [{field, message, vars}]: `message` is a
 * key of the theme's strings, `field` names the control ("service", "attribute:CODE",
 * "description", "place", "address", "email", "photos"). `emailValid` is the browser's own
 * check of the email control; `photos` the number of photos.
 */
export function checkReport(report, service, { emailValid = true, photos = 0 } = {}) {
  const problems = [];
  if (!service) problems.push({ field: "service", message: "error_service" });
  for (const attribute of service?.attributes ?? []) {
    const value = report.attributes?.[attribute.code];
    const field = `attribute:${attribute.code}`;
    const vars = { question: attribute.description };
    if (isEmpty(value)) {
      if (attribute.required) problems.push({ field, message: "error_attribute", vars });
    } else if (attribute.datatype === "number" && !Number.isFinite(Number(value))) {
      problems.push({ field, message: "error_number", vars });
    }
  }
  const description = String(report.description ?? "").trim();
  if (!description) problems.push({ field: "description", message: "error_description" });
  else if (length(description) > MAX_DESCRIPTION) {
    problems.push({ field: "description", message: "error_description_long", vars: { max: MAX_DESCRIPTION } });
  }
  const place = report.place ?? {};
  const address = String(place.address ?? "").trim();
  if (!place.facility && !hasPosition(place) && !address) problems.push({ field: "place", message: "error_place" });
  if (length(address) > MAX_ADDRESS) {
    problems.push({ field: "address", message: "error_address_long", vars: { max: MAX_ADDRESS } });
  }
  if (String(report.email ?? "").trim() && !emailValid) problems.push({ field: "email", message: "error_email" });
  if (photos > MAX_PHOTOS) problems.push({ field: "photos", message: "error_photos", vars: { max: MAX_PHOTOS } });
  return problems;
}

// The server names the field at the start of each message (sitegen/reports/submission.py).
const SERVER_FIELDS = [
  [/^(service_code\b|unknown service_code|service ")/, "service"],
  [/^description\b/, "description"],
  [/^address_string\b/, "address"],
  [/^email\b/, "email"],
  [/^(lat|long)\b|^the place\b|^give the place|^unknown facility/, "place"],
  [/photo|^only "media"|file that is not|^the request is larger/, "photos"],
];

/** The control an Open311 error description of the server is about, or null. */
export function fieldOfServerError(description) {
  const text = String(description ?? "");
  const attribute = /^attribute\[([^\]]+)\]/.exec(text);
  if (attribute) return attribute[1] === "facility" ? "place" : `attribute:${attribute[1]}`;
  for (const [pattern, field] of SERVER_FIELDS) if (pattern.test(text)) return field;
  return null;
}
