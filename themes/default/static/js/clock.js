// The app's minute clock: "open now" and today's hours change on the minute, so the list, the
// map and the open card are brought up to date just after each minute turns, and at once when
// the page comes back into view (timers sleep in a hidden tab).

/** Calls `tick()` just after every minute and whenever the page becomes visible again. */
export function everyMinute(tick) {
  (function next() {
    setTimeout(() => {
      tick();
      next();
    }, 60000 - (Date.now() % 60000) + 100);
  })();
  document.addEventListener("visibilitychange", () => {
    if (!document.hidden) tick();
  });
}
