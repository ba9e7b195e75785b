/**
 * The answers being filled in, kept as plain data by dotted path, and their conversion to and from the
 * answers format, following the questionnaire derived from the schema (served by /api/schema).
 */

/** @typedef {{field: string, equals?: unknown, answeredAndNot?: unknown}} Condition */
/** @typedef {{list: string, field: string, equals: unknown}} Requirement */
/**
 * @typedef {{key: string, path: string, title: string, description: string, required: boolean,
 *   showWhen: Condition[], kind: string, choices?: {value: string, title: string, requires?: Requirement}[],
 *   children?: QNode[], item?: QNode, minItems?: number, maxItems?: number, value?: unknown}} QNode
 */

/** @param {unknown} v @returns {v is Record<string, unknown>} */
export function isRecord(v) {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** @param {unknown} data @param {string} path */
export function valueAt(data, path) {
  let current = data;
  for (const segment of path === "" ? [] : path.split(".")) {
    if (Array.isArray(current)) current = current[Number(segment)];
    else if (isRecord(current)) current = current[segment];
    else return undefined;
  }
  return current;
}

/** Sets, or with undefined removes, the value at a path. @param {Record<string, unknown>} data @param {string} path @param {unknown} value */
export function setValueAt(data, path, value) {
  const segments = path.split(".");
  /** @type {any} */
  let current = data;
  for (let i = 0; i < segments.length - 1; i++) {
    const segment = segments[i];
    if (typeof current[segment] !== "object" || current[segment] === null) {
      if (value === undefined) return;
      current[segment] = /^[0-9]+$/.test(segments[i + 1]) ? [] : {};
    }
    current = current[segment];
  }
  const last = segments[segments.length - 1];
  if (value === undefined) delete current[last];
  else current[last] = value;
}

/** `designees.2.email` → `designees.*.email`. @param {string} path */
export function templatePath(path) {
  return path.replace(/(^|\.)[0-9]+(?=\.|$)/g, "$1*");
}

/** @param {string} parent @param {string} key */
export function join(parent, key) {
  return parent === "" ? key : `${parent}.${key}`;
}

/** @param {Condition[]} conditions @param {unknown} holder */
export function isShown(conditions, holder) {
  return conditions.every((c) => {
    const value = isRecord(holder) ? holder[c.field] : undefined;
    if ("equals" in c) return value === c.equals;
    return value !== undefined && value !== c.answeredAndNot;
  });
}

/** The value sent for one question, from what the page holds. @param {QNode} node @param {unknown} raw */
function questionValue(node, raw) {
  if (raw === undefined || raw === null) return undefined;
  if (node.kind === "text") return raw === "" ? undefined : raw;
  if (node.kind === "integer") {
    if (typeof raw !== "string") return raw;
    if (raw.trim() === "") return undefined;
    return /^\s*-?[0-9]+\s*$/.test(raw) ? Number(raw.trim()) : raw;
  }
  return raw;
}

/**
 * The answers to send: only the questions that matter, empty answers left out, optional groups left out when
 * empty (required groups stay, so that a missing answer is reported on its own field).
 * @param {QNode} group @param {unknown} data @returns {Record<string, unknown>}
 */
export function toAnswers(group, data) {
  /** @type {Record<string, unknown>} */
  const out = {};
  for (const child of group.children ?? []) {
    if (!isShown(child.showWhen, data)) continue;
    const raw = isRecord(data) ? data[child.key] : undefined;
    let value;
    if (child.kind === "fixed") value = child.value;
    else if (child.kind === "group") {
      const inner = toAnswers(child, raw);
      value = child.required || Object.keys(inner).length > 0 ? inner : undefined;
    } else if (child.kind === "list") {
      const item = /** @type {QNode} */ (child.item);
      value = Array.isArray(raw) ? raw.map((entry) => toAnswers(item, entry)) : [];
    } else value = questionValue(child, raw);
    if (value !== undefined) out[child.key] = value;
  }
  return out;
}

/**
 * What the page holds for answers read from a file: known questions only, texts as typed text.
 * @param {QNode} group @param {unknown} data @returns {Record<string, unknown>}
 */
export function fromAnswers(group, data) {
  /** @type {Record<string, unknown>} */
  const out = {};
  if (!isRecord(data)) return out;
  for (const child of group.children ?? []) {
    const raw = data[child.key];
    if (raw === undefined || child.kind === "fixed") continue;
    if (child.kind === "group") out[child.key] = fromAnswers(child, raw);
    else if (child.kind === "list") {
      const item = /** @type {QNode} */ (child.item);
      out[child.key] = Array.isArray(raw) ? raw.map((entry) => fromAnswers(item, entry)) : [];
    } else if (child.kind === "text" || child.kind === "integer") {
      if (typeof raw === "string" || typeof raw === "number") out[child.key] = String(raw);
    } else if (child.kind === "boolean") {
      if (typeof raw === "boolean") out[child.key] = raw;
    } else if (typeof raw === "string" && (child.choices ?? []).some((c) => c.value === raw)) {
      out[child.key] = raw;
    }
  }
  return out;
}

/**
 * Removes what the page holds for questions that no longer matter (e.g. `signedAt` once there is no contract).
 * @param {QNode} group @param {Record<string, unknown>} data @param {string} [path] @returns {string[]} cleared paths
 */
export function pruneHidden(group, data, path = "") {
  /** @type {string[]} */
  const cleared = [];
  const holder = path === "" ? data : valueAt(data, path);
  if (!isRecord(holder)) return cleared;
  for (const child of group.children ?? []) {
    const childPath = join(path, child.key);
    if (!isShown(child.showWhen, holder)) {
      if (holder[child.key] !== undefined) {
        delete holder[child.key];
        cleared.push(childPath);
      }
      continue;
    }
    if (child.kind === "group") cleared.push(...pruneHidden(child, data, childPath));
    if (child.kind === "list" && Array.isArray(holder[child.key])) {
      const item = /** @type {QNode} */ (child.item);
      /** @type {unknown[]} */ (holder[child.key]).forEach((_v, i) => {
        cleared.push(...pruneHidden(item, data, `${childPath}.${i}`));
      });
    }
  }
  return cleared;
}
