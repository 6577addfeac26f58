// Building DOM nodes in the report pages' modules.

/** A `tag` element with `props` set as properties, holding `children` (nulls skipped). */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  Object.assign(node, props);
  node.append(...children.filter((child) => child != null));
  return node;
}
