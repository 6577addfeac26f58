// Menus made of <details>: the language menu, the category picker, the filters. They open and
// close without JavaScript; here they also close when the person taps elsewhere or presses
// Escape (focus back on the menu's button), and only one is open at a time.

/** Wires every `details` element matching `selector`. */
export function wireMenus(selector = "details.language-menu, details.picker") {
  const menus = [...document.querySelectorAll(selector)];
  for (const menu of menus) {
    menu.addEventListener("toggle", () => {
      if (!menu.open) return;
      for (const other of menus) if (other !== menu && other.open) other.open = false;
    });
    menu.addEventListener("keydown", (event) => {
      if (event.key !== "Escape" || !menu.open) return;
      event.stopPropagation();
      menu.open = false;
      menu.querySelector("summary").focus();
    });
  }
  document.addEventListener("pointerdown", (event) => {
    for (const menu of menus) if (menu.open && !menu.contains(event.target)) menu.open = false;
  });
}

/** Points the language links at the other locales' home pages with the same state. */
export function syncLanguageLinks(suffix) {
  for (const link of document.querySelectorAll(".language-switch a[href]")) {
    if (!link.dataset.home) link.dataset.home = link.getAttribute("href").replace(/[?#].*$/, "");
    link.setAttribute("href", link.dataset.home + suffix);
  }
}
