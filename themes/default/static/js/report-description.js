// The description's counter: the characters left, counted as the server counts them (code
// points, so an emoji or a rare Chinese character is one), and told to screen readers only near
// the limit and not on every key.

/** The characters left of `max` after `text`, in code points. */
export function charactersLeft(text, max) {
  return max - [...text].length;
}

/** The step near the limit that `left` characters are at (100, 50, 10, 0), null far from it. */
export function limitStep(left) {
  return left <= 0 ? 0 : left <= 10 ? 10 : left <= 50 ? 50 : left <= 100 ? 100 : null;
}

/**
 * Counts `textarea` as the person types into `count` (seen) and `live` (a polite live region,
 * spoken once per step). `update()` counts again after the text was set by a script.
 */
export function createDescriptionCounter({ textarea, count, live, t, max }) {
  let lastStep = null;

  function update() {
    const left = charactersLeft(textarea.value, max);
    count.textContent = t("report_chars_left", { count: left, max });
    const step = limitStep(left);
    if (step !== lastStep) {
      lastStep = step;
      live.textContent = step === null ? "" : t("report_chars_left", { count: left, max });
    }
  }

  textarea.addEventListener("input", update);
  return { update };
}
