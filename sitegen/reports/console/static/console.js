// The console's only script on every page: asks before a step that needs a second thought,
// and draws the maps where a page has one. Everything works without it.

document.addEventListener("submit", (event) => {
  const button = event.submitter;
  const question = button?.dataset.confirm;
  if (question && !window.confirm(question)) event.preventDefault();
});

if (document.querySelector("[data-map]")) {
  import("./console-map.js").then(({ drawMaps }) => drawMaps(document));
}
