// The name card sheet: a modal <dialog> with a place's name, address, today's hours, the
// navigation links, share and report. Focus moves into it on open and back to the opener on
// close; Escape closes it (the dialog's own cancel).

import { formatOpenState, formatSpans } from "app/i18n.js";
import { navLinks } from "app/navlinks.js";

function part(dialog, name) {
  return dialog.querySelector(`[data-part="${name}"]`);
}

/**
 * `openState(points, i)` gives 1/0/-1 (null without hours), `todaySpans(points, i)` the day's
 * intervals or null; `onClose()` is called when the person closed the sheet.
 */
export function createSheet({ dialog, t, report, openState, todaySpans, onClose }) {
  const title = part(dialog, "title");
  const category = part(dialog, "category");
  const address = part(dialog, "address");
  const hours = part(dialog, "hours");
  const links = part(dialog, "links");
  const note = part(dialog, "note");
  const share = part(dialog, "share");
  const reportLink = part(dialog, "report");
  const page = part(dialog, "page");
  let shown = null; // {points, i}
  let opener = null;
  let quiet = false; // closing from code: do not report it as the person's doing

  dialog.addEventListener("close", () => {
    shown = null;
    if (opener?.isConnected) opener.focus();
    opener = null;
    if (!quiet) onClose();
    quiet = false;
  });
  part(dialog, "close").addEventListener("click", () => dialog.close());
  // A click on the backdrop (outside the dialog box) closes it, as on most phone sheets.
  dialog.addEventListener("click", (event) => {
    if (event.target === dialog) {
      const box = dialog.getBoundingClientRect();
      const inside =
        event.clientX >= box.left && event.clientX <= box.right &&
        event.clientY >= box.top && event.clientY <= box.bottom;
      if (!inside) dialog.close();
    }
  });
  share.addEventListener("click", () => {
    if (!shown) return;
    const url = page.href;
    const name = title.textContent;
    if (navigator.share) {
      navigator.share({ title: name, url }).catch(() => {});
    } else if (navigator.clipboard?.writeText) {
      navigator.clipboard.writeText(url).then(
        () => { note.textContent = t("link_copied"); },
        () => { note.textContent = t("copy_this_link", { url }); },
      );
    } else {
      note.textContent = t("copy_this_link", { url });
    }
  });

  function fillHours(points, i) {
    const state = openState(points, i);
    hours.hidden = state === null;
    if (state === null) return;
    const spans = todaySpans(points, i);
    const status = document.createElement("span");
    status.className = `open-state open-state-${state === 1 ? "open" : state === 0 ? "closed" : "unknown"}`;
    status.textContent = formatOpenState(t, state);
    if (spans) hours.replaceChildren(t("today_hours", { hours: formatSpans(t, spans) }), " · ", status);
    else hours.replaceChildren(status);
  }

  /** Shows the card of point `i` of `points`; `from` gets the focus back on close. */
  function open(points, i, from) {
    const cat = points.category;
    const name = points.text?.name[i] ?? points.ids[i];
    shown = { points, i };
    title.textContent = name;
    category.textContent = cat.name;
    category.dataset.category = cat.id;
    const addr = points.text?.addr[i];
    address.textContent = addr ? `${t("address")}: ${addr}` : "";
    address.hidden = !addr;
    fillHours(points, i);
    links.replaceChildren(
      ...navLinks(points.coords[2 * i], points.coords[2 * i + 1], name).map(({ provider, url }) => {
        const label = t(`provider_${provider}`);
        const link = document.createElement("a");
        link.href = url;
        link.rel = "noopener";
        link.className = `nav-${provider}`;
        link.textContent = label;
        link.setAttribute("aria-label", t("navigate_with", { provider: label }));
        const item = document.createElement("li");
        item.append(link);
        return item;
      }),
    );
    page.href = `${cat.pages}${encodeURIComponent(points.ids[i])}/`;
    reportLink.hidden = !report;
    // The report form of the theme (report/?facility=ID&category=ID) where the build made one,
    // else the name card's own report section.
    const form = reportLink.dataset.form;
    const query = `facility=${encodeURIComponent(points.ids[i])}&category=${encodeURIComponent(cat.id)}`;
    reportLink.href = form ? `${form}?${query}` : `${page.href}#report`;
    note.textContent = "";
    if (!dialog.open) {
      opener = from ?? (document.activeElement !== document.body ? document.activeElement : null);
      dialog.showModal();
    }
    title.focus();
  }

  return {
    open,
    /** Closes the sheet without calling onClose (Back did it, say). */
    close() {
      if (!dialog.open) return;
      quiet = true;
      dialog.close();
    },
    /** The point on the card: {points, i} or null. */
    current: () => shown,
    /** Redraws the hours line (the minute changed). */
    refresh() {
      if (shown) fillHours(shown.points, shown.i);
    },
  };
}
