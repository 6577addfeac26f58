// The search bar: typing searches after a short pause, Enter searches at once and puts the
// keyboard away (so the results under it can be seen), × clears it. The search itself is
// places.js with finder.js; this module is only the input.

const PAUSE_MS = 200;

/** `onQuery(text, {submitted})` runs a search ("" ends it); `onFocus()` on the first focus. */
export function createSearchBox({ form, input, clear, onQuery, onFocus }) {
  let timer = 0;

  function showClear() {
    clear.hidden = !input.value;
  }

  input.addEventListener("focus", onFocus, { once: true });
  input.addEventListener("input", () => {
    showClear();
    clearTimeout(timer);
    timer = setTimeout(() => onQuery(input.value, { submitted: false }), PAUSE_MS);
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(timer);
    input.blur();
    onQuery(input.value, { submitted: true });
  });
  clear.addEventListener("click", () => {
    clearTimeout(timer);
    input.value = "";
    showClear();
    input.focus();
    onQuery("", { submitted: true });
  });

  return {
    /** Shows `text` in the box without searching (from the URL, or after "Nearest to me"). */
    set(text) {
      clearTimeout(timer);
      input.value = text;
      showClear();
    },
  };
}
