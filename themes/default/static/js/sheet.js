// The bottom sheet: one panel over the map for the results and the name card, as phone map
// apps have it. Three heights (peek, half, full): dragged by its grip, tapped, or moved with
// the keyboard (the grip is a window splitter in WAI-ARIA's terms: arrow keys, Home, End,
// Enter). On wide screens it is a side panel and keeps its size.
//
// The sheet tells the page how much of the map it covers (--sheet-h, and occluded() for
// fitting the map), so that the map's own controls and the places it shows stay in view.

const STATES = ["peek", "half", "full"];
const PEEK_PX = 128; // the grip, the heading with "Nearest to me", the status line
const FLICK_PX_PER_MS = 0.45; // faster than this, a drag goes on to the next height
const TAP_PX = 6;

/** `element` the sheet, `grip` its handle, `topbar` what it must never cover. */
export function createSheet({ element, grip, topbar, map, t, onChange }) {
  const root = document.documentElement;
  const wide = matchMedia("(min-width: 48rem)");
  let state = "half";
  let px = 0;
  // Geometry read once per resize, never while the map asks for it: a read after a write
  // would lay the page out again each time.
  let topBottom = 0;
  let topbarHeight = -1;
  let viewport = 0;

  function measure() {
    viewport = window.visualViewport?.height ?? window.innerHeight;
    const rect = topbar.getBoundingClientRect();
    topBottom = rect.bottom;
    topbarHeight = rect.height;
    root.style.setProperty("--top-h", `${Math.round(topBottom + 8)}px`);
  }

  function limits() {
    const full = Math.max(PEEK_PX + 40, Math.round(viewport - topBottom - 8));
    const half = Math.min(full, Math.max(PEEK_PX + 120, Math.round(viewport * 0.5)));
    return { peek: Math.min(PEEK_PX, full), half, full };
  }

  function apply(height) {
    px = Math.round(height);
    // On the sheet and the map only: a change on the root would restyle the whole page.
    for (const node of [element, map]) node.style.setProperty("--sheet-h", `${px}px`);
  }

  function describe() {
    grip.setAttribute("aria-valuenow", String(STATES.indexOf(state) * 50));
    grip.setAttribute("aria-valuetext", t(`sheet_${state}`));
    element.dataset.state = state;
  }

  /** Moves the sheet to `next` ("peek", "half" or "full"). */
  function set(next) {
    state = next;
    describe();
    if (wide.matches) for (const node of [element, map]) node.style.removeProperty("--sheet-h");
    else apply(limits()[next]);
    onChange?.(state);
  }

  function step(delta) {
    const index = Math.min(STATES.length - 1, Math.max(0, STATES.indexOf(state) + delta));
    set(STATES[index]);
  }

  // -- dragging ---------------------------------------------------------------------------

  let drag = null; // {y, px, time, moved}
  grip.addEventListener("pointerdown", (event) => {
    if (wide.matches || event.button > 0) return;
    drag = { y: event.clientY, px, time: event.timeStamp, lastY: event.clientY, lastTime: event.timeStamp, moved: false };
    grip.setPointerCapture(event.pointerId);
    element.classList.add("dragging");
  });
  grip.addEventListener("pointermove", (event) => {
    if (!drag) return;
    const dy = drag.y - event.clientY;
    if (Math.abs(dy) > TAP_PX) drag.moved = true;
    const { peek, full } = limits();
    apply(Math.min(full, Math.max(peek * 0.6, drag.px + dy)));
    drag.velocity = (drag.lastY - event.clientY) / Math.max(1, event.timeStamp - drag.lastTime);
    drag.lastY = event.clientY;
    drag.lastTime = event.timeStamp;
  });
  function release() {
    if (!drag) return;
    const { moved, velocity = 0 } = drag;
    drag = null;
    element.classList.remove("dragging");
    if (!moved) {
      set(state === "full" ? "half" : state === "half" ? "full" : "half"); // a tap
      return;
    }
    if (Math.abs(velocity) > FLICK_PX_PER_MS) {
      // A flick goes on to the next height in its direction from where the sheet is now.
      const heights = limits();
      if (velocity > 0) set(STATES.find((name) => heights[name] > px + 1) ?? "full");
      else set([...STATES].reverse().find((name) => heights[name] < px - 1) ?? "peek");
      return;
    }
    set(nearest());
  }
  function nearest() {
    const heights = limits();
    return STATES.reduce((best, name) => (Math.abs(heights[name] - px) < Math.abs(heights[best] - px) ? name : best));
  }
  grip.addEventListener("pointerup", release);
  grip.addEventListener("pointercancel", release);
  grip.addEventListener("keydown", (event) => {
    const moves = { ArrowUp: 1, ArrowRight: 1, ArrowDown: -1, ArrowLeft: -1, PageUp: 1, PageDown: -1 };
    if (event.key in moves) step(moves[event.key]);
    else if (event.key === "Home") set("peek");
    else if (event.key === "End") set("full");
    else if (event.key === "Enter" || event.key === " ") set(state === "full" ? "half" : "full");
    else return;
    event.preventDefault();
  });

  const refit = () => {
    measure();
    set(state);
  };
  window.addEventListener("resize", refit);
  window.visualViewport?.addEventListener("resize", refit);
  wide.addEventListener("change", refit);
  // The chips may wrap onto a second row. The observer also reports the first size, which
  // measure() below has already read: only a change of height refits (a refit restyles).
  new ResizeObserver(([entry]) => {
    const height = entry.borderBoxSize?.[0]?.blockSize ?? entry.contentRect.height;
    if (Math.abs(height - topbarHeight) > 0.5) refit();
  }).observe(topbar);
  measure();
  describe();
  if (!wide.matches) apply(limits()[state]);

  return {
    set,
    state: () => state,
    /** At least `name` tall ("half" after nearest or a search, so the first rows show). */
    atLeast(name) {
      if (!wide.matches && STATES.indexOf(state) < STATES.indexOf(name)) set(name);
    },
    /** What the topbar and the sheet cover of the map, in px: {top, bottom, left}. */
    occluded() {
      if (wide.matches) return { top: topBottom, bottom: 0, left: element.offsetLeft + element.offsetWidth };
      return { top: topBottom, bottom: px, left: 0 };
    },
    isWide: () => wide.matches,
  };
}
