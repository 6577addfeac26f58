// The search box's engine room: on first use it loads search.js, the fold map and the texts and
// pinyin of the shown categories, and keeps one search (app/search.js) over every text loaded so far.

/** `store` is data.js's; `categories` is config.categories. */
export function createFinder(store, categories) {
  let engine = null;
  let engineKey = "";

  /** A search over the texts of at least `shown` (config categories); loads what is missing. */
  async function prepare(shown) {
    const [{ createSearch }, fold] = await Promise.all([
      import("app/search.js"),
      store.fold(),
      ...shown.map((category) => store.withPinyin(category)),
    ]);
    const loaded = categories.map((c) => store.loaded(c.id)).filter((points) => points?.text?.py);
    const key = loaded.map((points) => points.category.id).join(",");
    if (key !== engineKey) {
      engine = createSearch({
        fold,
        categories: loaded.map((points) => ({ id: points.category.id, text: points.text })),
      });
      engineKey = key;
    }
    return engine;
  }

  return { prepare };
}
