// What the citizen sees once the report is in: its ticket when it was delivered, or that it
// waits on this phone to be sent. A waiting report delivered later by another sender (the
// service worker, the "online" event) turns into its ticket; one the server refused brings the
// form back to be corrected.

/**
 * The result section `elements.result` ({result, title, text, ticket}) in place of `form`
 * (whose `errors`, `editNote` and `progress` it hides). `listen` and `outbox` are the outbox's
 * (report-outbox.js, report-delivery.js); `onRefused(key)` fills the form with a refused report.
 */
export function createResult({ form, t, elements, listen, outbox, onRefused }) {
  const { result, title, text, ticket, errors, editNote, progress } = elements;
  let waitingKey = null; // the report shown as waiting to be sent

  function show(heading, words, ticketNumber) {
    form.hidden = true;
    errors.hidden = true;
    editNote.hidden = true;
    progress.textContent = "";
    title.textContent = heading;
    text.textContent = words;
    ticket.hidden = !ticketNumber;
    ticket.querySelector("strong").textContent = ticketNumber ?? "";
    result.hidden = false;
    title.focus();
  }

  /** The report was delivered: its ticket and the city's notice. */
  function sent(entry) {
    waitingKey = null;
    show(t("report_sent_title"), entry.notice ?? "", entry.ticket);
  }

  /** The report waits on the phone (`durable`: in IndexedDB, else only while the page is open). */
  function waiting(entry, durable) {
    waitingKey = entry.key;
    show(t("report_queued_title"), t(durable ? "report_queued_text" : "report_queued_memory"), null);
  }

  listen(async (message) => {
    if (!waitingKey || message.key !== waitingKey) return;
    const { box } = await outbox();
    const entry = await box.get(waitingKey);
    if (entry?.state === "sent") sent(entry);
    else if (entry?.state === "failed") {
      waitingKey = null;
      result.hidden = true;
      form.hidden = false;
      await onRefused(entry.key);
    }
  });

  return { sent, waiting };
}
