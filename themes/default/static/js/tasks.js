// Work in small tasks: a phone's main thread must stay free for taps and scrolling, so long
// jobs (making the map, drawing hundreds of markers) give way between their parts.

/** Settles in a new task (the browser may paint and handle input in between). */
export function nextTask() {
  return globalThis.scheduler?.yield ? globalThis.scheduler.yield() : new Promise((resolve) => setTimeout(resolve, 0));
}

/** Settles after the next frame has been painted. */
export function afterPaint() {
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
}

/** Settles once the main thread is idle, or after `timeout` ms (at once where the browser has no idle callbacks). */
export function idle(timeout) {
  return new Promise((resolve) => (globalThis.requestIdleCallback ? requestIdleCallback(resolve, { timeout }) : setTimeout(resolve, 0)));
}
