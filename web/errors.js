import { blockId, clear, fieldId, fill, h } from "./dom.js";

/**
 * Errors and warnings of the answers, as the server's validator words them: next to the field (tied to its
 * control by aria-describedby and aria-invalid), and in a summary at the top linking to each field.
 */

/** @typedef {{path: string, code: string, message: string}} AnswerError */

/** The visible block an answer's message goes to: the field, else its closest shown group. @param {string} path */
function targetBlock(path) {
  let p = path;
  for (;;) {
    const block = p === "" ? null : document.getElementById(blockId(p));
    if (block && !block.closest("[hidden]")) return { block, path: p };
    if (p === "") return undefined;
    p = p.includes(".") ? p.slice(0, p.lastIndexOf(".")) : "";
  }
}

/** The controls of a block that describe themselves with its messages. @param {HTMLElement} block */
function describedControls(block) {
  if (block.matches("fieldset")) return [block];
  return [...block.querySelectorAll(":scope > input, :scope > select, :scope > textarea")];
}

/** @param {HTMLElement} block */
function invalidControls(block) {
  if (!block.classList.contains("field")) return [];
  return [...block.querySelectorAll(":scope input, :scope select, :scope textarea")].filter(
    (el) => !el.closest(".why"),
  );
}

/** @param {Element} el @param {string[]} remove @param {string[]} add */
function updateDescribedBy(el, remove, add) {
  const tokens = (el.getAttribute("aria-describedby") ?? "")
    .split(/\s+/)
    .filter((t) => t && !remove.includes(t));
  tokens.push(...add);
  if (tokens.length > 0) el.setAttribute("aria-describedby", tokens.join(" "));
  else el.removeAttribute("aria-describedby");
}

/** The element a summary link leads to: the text box, or the first choice. @param {HTMLElement} block @param {string} path */
export function focusTarget(block, path) {
  return (
    document.getElementById(fieldId(path)) ??
    block.querySelector("input:not([type=hidden]), select, textarea, button") ??
    block
  );
}

/** @param {HTMLElement} root the form */
function clearAll(root) {
  for (const slot of root.querySelectorAll(".error-message, .warning-message")) {
    const el = /** @type {HTMLElement} */ (slot);
    clear(el);
    el.hidden = true;
  }
  const ids = [...root.querySelectorAll(".error-message, .warning-message")].map((el) => el.id);
  for (const el of root.querySelectorAll("[aria-describedby]")) updateDescribedBy(el, ids, []);
  for (const el of root.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
  for (const el of root.querySelectorAll(".has-error")) el.classList.remove("has-error");
}

/** @typedef {{path: string, message: string, block: HTMLElement | undefined}} Listed */

/** Errors in the order of the page: by their block's place in the document, those without a block last. @param {Listed[]} listed */
function inPageOrder(listed) {
  return listed
    .map((item, i) => ({ item, i }))
    .sort((a, b) => {
      const x = a.item.block;
      const y = b.item.block;
      if (x && y && x !== y) return x.compareDocumentPosition(y) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1;
      if (x && !y) return -1;
      if (!x && y) return 1;
      return a.i - b.i;
    })
    .map(({ item }) => item);
}

/**
 * The messages next to their fields. The summary is not touched: it is drawn by {@link renderSummary}, only
 * when the user asks for the dossier or leaves a section, so that it never appears nor moves under their hands.
 * @param {{
 *   form: HTMLElement, texts: any,
 *   errors: AnswerError[], warnings: AnswerError[],
 *   shown: (e: AnswerError) => boolean,
 * }} o
 * @returns {Listed[]} the errors shown, in the order of the page
 */
export function showMessages(o) {
  clearAll(o.form);
  /** @type {{path: string, message: string, block: HTMLElement | undefined}[]} */
  const listed = [];
  for (const [kind, list] of /** @type {const} */ ([
    ["error", o.errors],
    ["warning", o.warnings],
  ])) {
    for (const e of list) {
      if (kind === "error" && !o.shown(e)) continue;
      const target = targetBlock(e.path);
      if (kind === "error")
        listed.push({ path: target?.path ?? "", message: e.message, block: target?.block });
      if (!target) continue;
      const slot = document.getElementById(`${fieldId(target.path)}-${kind}`);
      if (!slot) continue;
      const prefix = kind === "error" ? o.texts.errors.fieldPrefix : o.texts.errors.warningPrefix;
      slot.append(
        h(
          "span",
          {},
          h("span", { class: kind === "error" ? "visually-hidden" : "warning-prefix" }, `${prefix} `),
          e.message,
        ),
      );
      slot.hidden = false;
      for (const control of describedControls(target.block)) updateDescribedBy(control, [slot.id], [slot.id]);
      if (kind === "error") {
        target.block.classList.add("has-error");
        for (const control of invalidControls(target.block)) control.setAttribute("aria-invalid", "true");
      }
    }
  }
  return inPageOrder(listed);
}

/**
 * The summary above the questionnaire: the errors shown, each linking to its field.
 * @param {HTMLElement} summary @param {Listed[]} listed @param {any} texts
 */
export function renderSummary(summary, listed, texts) {
  const title = /** @type {HTMLElement} */ (summary.querySelector("h2"));
  const list = /** @type {HTMLElement} */ (summary.querySelector("ul"));
  // Unchanged: keep the links as they are, so that a keyboard user's focus on one is not lost.
  const signature = JSON.stringify(listed.map((e) => [e.path, e.message, e.block?.id]));
  if (summary.dataset.signature === signature && list.isConnected) return;
  summary.dataset.signature = signature;
  clear(list);
  if (listed.length === 0) {
    summary.hidden = true;
    return;
  }
  title.textContent =
    listed.length === 1
      ? texts.errors.summaryTitleOne
      : fill(texts.errors.summaryTitle, { count: listed.length });
  for (const item of listed) {
    const block = item.block;
    if (!block) {
      list.append(h("li", {}, item.message));
      continue;
    }
    const targetId = focusTarget(block, item.path).id || block.id;
    const blockElementId = block.id;
    const link = h("a", { href: `#${targetId}` }, item.message);
    // Looked up when followed: the questionnaire may have been rendered again since.
    link.addEventListener("click", (event) => {
      event.preventDefault();
      document.getElementById(targetId)?.focus();
      document.getElementById(blockElementId)?.scrollIntoView({ block: "center" });
    });
    list.append(h("li", {}, link));
  }
  summary.hidden = false;
}
