import { isShown, join, templatePath, valueAt } from "./answers.js";
import { blockId, fieldId, fill, h } from "./dom.js";

/**
 * The questionnaire's controls, built from the questionnaire model (itself derived from the answers schema):
 * label = title, help = description, choices = x-enumTitles. Every control has a label, a help text and an
 * error slot tied to it by aria-describedby.
 */

/** @typedef {import("./answers.js").QNode} QNode */
/**
 * @typedef {{
 *   texts: any,
 *   why: Record<string, {decisions: {text: string, sections: string[]}[], references: {section: string, quote: string}[]}>,
 *   data: Record<string, unknown>,
 *   onValue: (path: string, value: unknown, chosen: boolean) => void,
 *   onTouched: (path: string) => void,
 *   onAdd: (listPath: string) => void,
 *   onRemove: (listPath: string, index: number) => void,
 * }} FormContext
 */

/** Choices offered only when the answers allow them (`x-enumRequires`): the choice's element → its requirement. */
/** @type {Map<HTMLElement, import("./answers.js").Requirement>} */
const requiring = new Map();

/**
 * Whether a choice may be offered: an item of the list has the field's value (« Le mandataire désigné » once a
 * designee is a mandataire); a choice already made stays offered.
 * @param {import("./answers.js").Requirement} r @param {Record<string, unknown>} data @param {boolean} chosen
 */
function choiceOffered(r, data, chosen) {
  const items = valueAt(data, r.list);
  return chosen || (Array.isArray(items) && items.some((item) => valueAt(item, r.field) === r.equals));
}

/** Blocks shown only under a condition: block id → [node, path of the object holding it]. */
/** @type {Map<string, [QNode, string]>} */
const conditional = new Map();

/** @param {QNode} node @param {any} texts */
function titleWithOptional(node, texts) {
  return node.required
    ? [node.title]
    : [node.title, " ", h("span", { class: "optional" }, `(${texts.optional})`)];
}

/**
 * The « Pourquoi cette question ? » disclosure, only for an answer that decides something (a rule reads it):
 * the others are only copied onto the forms, which their help text says.
 * @param {string} path @param {FormContext} ctx
 */
function whyBlock(path, ctx) {
  const { texts } = ctx;
  const why = ctx.why[templatePath(path)];
  if (!why) return undefined;
  const body = h("div", { class: "why-body" });
  body.append(
    h("p", { class: "why-heading" }, texts.why.decides),
    h("ul", {}, ...why.decisions.map((d) => h("li", {}, `${d.text} (${d.sections.join(" ; ")})`))),
    h("p", { class: "why-heading" }, texts.why.reference),
    h(
      "ul",
      { class: "why-quotes" },
      ...why.references.map((r) =>
        h(
          "li",
          {},
          h("span", { class: "section" }, r.section),
          " : ",
          fill(texts.why.quote, { quote: r.quote }),
        ),
      ),
    ),
  );
  return h("details", { class: "why" }, h("summary", {}, texts.why.toggle), body);
}

/** @param {string} path */
function slots(path) {
  const id = fieldId(path);
  return {
    hint: `${id}-hint`,
    error: h("p", { class: "error-message", id: `${id}-error`, hidden: true }),
    warning: h("p", { class: "warning-message", id: `${id}-warning`, hidden: true }),
  };
}

/** @param {QNode} node @param {string} path @param {FormContext} ctx */
function textQuestion(node, path, ctx) {
  const id = fieldId(path);
  const s = slots(path);
  const hints = ctx.texts.inputHints?.[node.key] ?? {};
  const value = valueAt(ctx.data, path);
  const input = h("input", {
    id,
    name: path,
    type: hints.type ?? "text",
    class: node.kind === "integer" ? "input-short" : "input",
    inputmode: hints.inputmode ?? (node.kind === "integer" ? "numeric" : undefined),
    autocomplete: hints.autocomplete ?? "off",
    spellcheck: hints.spellcheck,
    autocapitalize: hints.autocapitalize,
    "aria-required": node.required ? "true" : undefined,
    "aria-describedby": node.description ? s.hint : undefined,
  });
  /** @type {HTMLInputElement} */ (input).value =
    typeof value === "string" || typeof value === "number" ? String(value) : "";
  input.addEventListener("input", () =>
    ctx.onValue(path, /** @type {HTMLInputElement} */ (input).value, false),
  );
  input.addEventListener("blur", () => ctx.onTouched(path));
  return h(
    "div",
    { class: "field", id: blockId(path), "data-path": path },
    h("label", { for: id, class: "label" }, ...titleWithOptional(node, ctx.texts)),
    node.description ? h("p", { class: "hint", id: s.hint }, node.description) : undefined,
    s.error,
    s.warning,
    input,
    whyBlock(path, ctx),
  );
}

/** @param {QNode} node @param {string} path @param {FormContext} ctx */
function choiceQuestion(node, path, ctx) {
  const id = fieldId(path);
  const s = slots(path);
  const { texts } = ctx;
  /** @type {{value: unknown, title: string, requires?: import("./answers.js").Requirement}[]} */
  const options =
    node.kind === "boolean"
      ? [
          { value: true, title: texts.yes },
          { value: false, title: texts.no },
        ]
      : (node.choices ?? []).map((c) => ({ value: c.value, title: c.title, requires: c.requires }));
  if (!node.required) options.push({ value: undefined, title: texts.noAnswer });
  const current = valueAt(ctx.data, path);
  const radios = options.map((option, i) => {
    const radioId = `${id}-${i}`;
    const input = h("input", {
      type: "radio",
      id: radioId,
      name: path,
      value: option.value === undefined ? "" : String(option.value),
      checked: option.value === current,
    });
    input.addEventListener("change", () => {
      if (/** @type {HTMLInputElement} */ (input).checked) {
        ctx.onValue(path, option.value, true);
        ctx.onTouched(path);
      }
    });
    const choice = h("div", { class: "choice" }, input, h("label", { for: radioId }, option.title));
    if (option.requires) {
      requiring.set(choice, option.requires);
      choice.hidden = !choiceOffered(option.requires, ctx.data, option.value === current);
    }
    return choice;
  });
  return h(
    "fieldset",
    {
      class: "field field-choice",
      id: blockId(path),
      "data-path": path,
      "aria-describedby": node.description ? s.hint : undefined,
    },
    h("legend", { class: "label" }, ...titleWithOptional(node, texts)),
    node.description ? h("p", { class: "hint", id: s.hint }, node.description) : undefined,
    s.error,
    s.warning,
    h("div", { class: node.kind === "boolean" ? "choices choices-inline" : "choices" }, ...radios),
    whyBlock(path, ctx),
  );
}

/** @param {QNode} node @param {string} path @param {FormContext} ctx @param {number} depth */
function groupBlock(node, path, ctx, depth, legendText = node.title) {
  const s = slots(path);
  const legend =
    depth === 1
      ? h("legend", { class: "group-title" }, h("h3", {}, legendText))
      : h(
          "legend",
          { class: "group-title" },
          legendText,
          node.required ? undefined : ` (${ctx.texts.optional})`,
        );
  const block = h(
    "fieldset",
    {
      class: `group depth-${depth}`,
      id: blockId(path),
      "data-path": path,
      "aria-describedby": node.description && depth > 0 ? s.hint : undefined,
    },
    legend,
    node.description ? h("p", { class: "hint", id: s.hint }, node.description) : undefined,
    s.error,
  );
  for (const child of node.children ?? [])
    block.append(...renderNode(child, join(path, child.key), ctx, depth + 1));
  return block;
}

/** @param {QNode} node @param {string} path @param {FormContext} ctx @param {number} depth */
function listBlock(node, path, ctx, depth) {
  const { texts } = ctx;
  const item = /** @type {QNode} */ (node.item);
  const items = valueAt(ctx.data, path);
  const count = Array.isArray(items) ? items.length : 0;
  const s = slots(path);
  const block = h(
    "fieldset",
    { class: `group list depth-${depth}`, id: blockId(path), "data-path": path },
    h("legend", { class: "group-title" }, h("h3", {}, node.title)),
    node.description ? h("p", { class: "hint", id: s.hint }, node.description) : undefined,
    s.error,
  );
  for (let i = 0; i < count; i++) {
    const itemPath = `${path}.${i}`;
    const title = fill(texts.itemTitle, { title: item.title, n: i + 1 });
    const itemBlock = groupBlock(item, itemPath, ctx, depth + 1, title);
    itemBlock.classList.add("list-item");
    if (count > (node.minItems ?? 0)) {
      const remove = h(
        "button",
        { type: "button", class: "button button-secondary" },
        fill(texts.removeItem, { n: i + 1 }),
      );
      remove.addEventListener("click", () => ctx.onRemove(path, i));
      itemBlock.append(remove);
    }
    block.append(itemBlock);
  }
  if (count < (node.maxItems ?? Number.POSITIVE_INFINITY)) {
    const add = h(
      "button",
      { type: "button", class: "button button-secondary", id: `${fieldId(path)}-add` },
      texts.addItem,
    );
    add.addEventListener("click", () => ctx.onAdd(path));
    block.append(add);
  } else block.append(h("p", { class: "hint" }, fill(texts.maxItemsReached, { max: node.maxItems ?? 0 })));
  return block;
}

/** @param {QNode} node @param {string} path @param {FormContext} ctx @param {number} depth @returns {HTMLElement[]} */
function renderNode(node, path, ctx, depth) {
  /** @type {HTMLElement | undefined} */
  let block;
  if (node.kind === "fixed") return [];
  if (node.kind === "group") block = groupBlock(node, path, ctx, depth);
  else if (node.kind === "list") block = listBlock(node, path, ctx, depth);
  else if (node.kind === "text" || node.kind === "integer") block = textQuestion(node, path, ctx);
  else block = choiceQuestion(node, path, ctx);
  if (node.showWhen.length > 0) {
    conditional.set(block.id, [node, path.split(".").slice(0, -1).join(".")]);
    const holder = path.includes(".") ? valueAt(ctx.data, path.split(".").slice(0, -1).join(".")) : ctx.data;
    block.hidden = !isShown(node.showWhen, holder);
  }
  return [block];
}

/**
 * Renders the whole questionnaire into `container`, replacing what was there.
 * @param {HTMLElement} container @param {QNode} model @param {FormContext} ctx
 */
export function renderQuestionnaire(container, model, ctx) {
  conditional.clear();
  requiring.clear();
  const blocks = (model.children ?? []).flatMap((child) => renderNode(child, child.key, ctx, 1));
  container.replaceChildren(...blocks);
}

/**
 * Shows or hides the questions that depend on another answer; a question that gets hidden is reset.
 * @param {Record<string, unknown>} data @returns {boolean} whether anything changed
 */
export function updateVisibility(data) {
  let changed = false;
  for (const [choice, requirement] of requiring) {
    const input = /** @type {HTMLInputElement | null} */ (choice.querySelector("input"));
    const hidden = !choiceOffered(requirement, data, input?.checked === true);
    if (choice.hidden !== hidden) changed = true;
    choice.hidden = hidden;
  }
  for (const [id, [node, holderPath]] of conditional) {
    const block = document.getElementById(id);
    if (!block) continue;
    const hidden = !isShown(node.showWhen, holderPath === "" ? data : valueAt(data, holderPath));
    if (block.hidden === hidden) continue;
    changed = true;
    block.hidden = hidden;
    if (hidden) {
      for (const input of block.querySelectorAll("input")) {
        if (input.type === "radio") input.checked = input.value === "";
        else input.value = "";
      }
    }
  }
  return changed;
}
