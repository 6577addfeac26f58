// Lets node import the theme's modules as the pages do: a page resolves `app/NAME.js` through
// its import map (sitegen/render/assets.py), here it is the theme's js/NAME.js. Import this
// first, then the modules under test with import() (static imports are resolved before it runs).
import { register } from "node:module";

const JS = new URL("../../themes/default/static/js/", import.meta.url).href;
const hooks = `export async function resolve(specifier, context, next) {
  if (specifier.startsWith("app/")) return { url: new URL(specifier.slice(4), ${JSON.stringify(JS)}).href, shortCircuit: true };
  return next(specifier, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`);
