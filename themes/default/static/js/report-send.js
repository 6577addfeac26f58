// Sending a checked report: stored in the outbox first (report-outbox.js), then posted. Offline,
// or when the server asks to wait, it stays queued and is delivered later (report-delivery.js);
// a refusal removes it again and shows the server's messages at the form's controls.

import { reportFields } from "app/report-fields.js";

/**
 * What "My reports" shows of a report (my-reports.js): the problem, an excerpt, the facility
 * or the address, the first photo's thumbnail. `excerpt` is the outbox's.
 */
export function reportSummary({ report, service, place, thumb, locale, excerpt }) {
  return {
    serviceCode: service.code,
    serviceName: service.name,
    excerpt: excerpt(report.description),
    facility: place.facility ? { id: place.facility, name: place.name, url: place.url, category: place.category } : null,
    address: report.place.address.trim() || null,
    thumb: thumb ?? null,
    locale,
  };
}

/**
 * `send(report, service)` for the form. `outboxApi` is globalThis.sitegenOutbox, `outbox` and
 * `deliverLater` report-delivery.js's; `photos`, `place`, `result`, `errors` and `editing` the
 * form's parts; `honeypot` the field people never see.
 */
export function createSender({ reportConfig, outboxApi, outbox, deliverLater, photos, place, honeypot, result, errors, editing }) {
  const { createOutbox, excerpt, memoryStore, newKey } = outboxApi;

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
    if (honeypot.value) fields.push(["website", honeypot.value]); // a robot that runs scripts is refused too
    const chosen = photos.all();
    const { box, durable, entry } = await store({
      key,
      endpoint: reportConfig.endpoint,
      fields,
      photos: chosen.map((photo, n) => ({ blob: photo.blob, name: `photo-${n + 1}.jpg`, thumb: photo.thumb })),
      summary: reportSummary({ report, service, place: place.current, thumb: chosen[0]?.thumb, locale: reportConfig.locale, excerpt }),
    });
    if (!navigator.onLine) {
      await editing.finish(box);
      result.waiting(entry, durable);
      deliverLater();
      return;
    }
    const after = (await box.send(key)) ?? entry;
    if (after.state === "failed") {
      // Nothing was stored by the server: the citizen corrects the form and sends again.
      await box.remove(key);
      errors.server(after.error);
      return;
    }
    await editing.finish(box);
    if (after.state === "sent") result.sent(after);
    else {
      result.waiting(after, durable);
      deliverLater({ waiting: 1, offline: Boolean(after.error?.network), nextRetry: after.retryAt || null });
    }
  }

  return { send };
}
