/**
 * Building DOM nodes without HTML strings: every text goes through a text node, so what a user typed or
 * uploaded can never become markup.
 */

/**
 * @param {string} tag
 * @param {Record<string, string | boolean | undefined>} [attrs] attribute values; false or undefined: absent
 * @param {...(Node | string | undefined | null | false)} children strings become text nodes
 * @returns {HTMLElement}
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    el.setAttribute(name, value === true ? "" : value);
  }
  append(el, ...children);
  return el;
}

/**
 * @param {Element} el
 * @param {...(Node | string | undefined | null | false)} children
 */
export function append(el, ...children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    el.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
}

/** @param {Element} el */
export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
}

/**
 * Fills {{placeholders}} of a text; the result is plain text, to be shown with textContent.
 * @param {string} template
 * @param {Record<string, string | number>} params
 */
export function fill(template, params) {
  return template.replace(/\{\{\s*([a-zA-Z0-9_]+)\s*\}\}/g, (_m, key) => String(params[key] ?? ""));
}

/** Id of the control of an answer: `designees.0.email` → `f-designees-0-email`. @param {string} path */
export function fieldId(path) {
  return `f-${path.replace(/\./g, "-")}`;
}

/** Id of the block (field or group) of an answer. @param {string} path */
export function blockId(path) {
  return `q-${path.replace(/\./g, "-")}`;
}
