// Correcting a report the server refused (?edit=KEY from "My reports", or a waiting report
// refused while the page was open): the form filled in again from the outbox, with the
// server's messages at their controls; the corrected report replaces the refused one.

import { fieldsToReport } from "app/report-fields.js";

/**
 * `load(key)` fills the form with the refused entry `key` (false when there is none);
 * `finish(box)` removes it once its correction is stored. `controls` are {description,
 * address, email}; `note` the line that says the report is being corrected; the rest are the
 * form's parts (report-questions.js, report-place.js, report-facility.js, report-photos.js,
 * report-description.js, report-errors.js).
 */
export function createEditing({ t, outbox, controls, note, questions, place, facility, photos, counter, errors }) {
  let editing = null; // the refused entry being corrected

  async function load(key) {
    const { box } = await outbox();
    const entry = await box.get(key);
    if (!entry || entry.state !== "failed") return false;
    editing = entry;
    const report = fieldsToReport(entry.fields);
    const known = entry.summary?.facility;
    if (known) place.setFacility({ facility: known.id, name: known.name, url: known.url, category: known.category });
    const { facility: facilityId, category } = place.current;
    questions.filter(category);
    questions.choose(report.service);
    questions.show(report.attributes);
    controls.description.value = report.description;
    controls.address.value = report.place.address ?? "";
    controls.email.value = report.email;
    if (Number.isFinite(report.place.lat)) place.setPosition(report.place.lat, report.place.lng, facilityId ? "facility" : "pin");
    if (facilityId) facility.showAbout();
    photos.replace(entry.photos.map(({ blob, thumb }) => ({ blob, thumb })));
    counter.update();
    place.say();
    note.textContent = t("report_edit_note");
    note.hidden = false;
    errors.server(entry.error);
    return true;
  }

  /** The corrected report replaces the refused one. */
  async function finish(box) {
    if (!editing) return;
    await box.remove(editing.key);
    editing = null;
  }

  return { load, finish };
}
