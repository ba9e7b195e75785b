import { fromAnswers, pruneHidden, setValueAt, toAnswers, valueAt } from "./answers.js";
import { downloadDossier, getSchema, loadAnswersFile, postJson } from "./api.js";
import { fieldId, fill, h } from "./dom.js";
import { renderSummary, showMessages } from "./errors.js";
import { renderQuestionnaire, updateVisibility } from "./form.js";
import { renderPlan, renderPlanDraft, renderPlanWaiting } from "./plan.js";
import { STRINGS } from "./strings.js";

/** The web questionnaire: answers kept in the page, checked by the server as they are given. */

/** @typedef {import("./answers.js").QNode} QNode */
/** @typedef {{path: string, code: string, message: string}} AnswerError */

const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));

const state = {
  /** @type {QNode} */ model: /** @type {any} */ (undefined),
  /** @type {any} */ texts: undefined,
  /** @type {any} */ why: {},
  /** @type {Record<string, unknown>} */ data: {},
  /** Answers the user has left or chosen: their errors are shown. */
  touched: new Set(),
  /** After an attempt to download the dossier, or a resumed file: every error is shown. */
  showAll: false,
  /** @type {AnswerError[]} */ errors: [],
  /** @type {AnswerError[]} */ warnings: [],
  /** @type {string | undefined} */ lastEdited: undefined,
  /** Message last announced for the answer being edited. */
  lastAnnounced: new Map(),
  planKey: "",
  seq: 0,
  /** Counts the edits: a validation sent before the latest edit is stale, its result is ignored. */
  edits: 0,
  replies: 0,
  /** Whether the error summary has been asked for (the dossier, a section left, a file resumed). */
  summaryOpen: false,
  /** An answer changed since the last validation the page received: its messages are not known yet. */
  awaiting: false,
  /** @type {ReturnType<typeof setTimeout> | undefined} */ timer: undefined,
};

/** Says a short text to screen readers (polite live region). @param {string} text */
function announce(text) {
  const region = $("announcer");
  region.textContent = "";
  setTimeout(() => {
    region.textContent = text;
  }, 50);
}

/** @param {AnswerError} e */
function isShownError(e) {
  if (state.showAll || state.touched.has(e.path)) return true;
  for (const t of state.touched) if (t.startsWith(`${e.path}.`)) return true;
  return false;
}

/**
 * Drawing the messages without moving what the user is about to click: never while a mouse button or a finger
 * is down (the drawing waits for its release), and with the focused element, or the one pressed, kept where
 * it was on the screen.
 */
const view = {
  pointerDown: false,
  pending: false,
  checkpoint: false,
  /** @type {Element | null} */ pressed: null,
  /** The section of the questionnaire that last had the focus. @type {Element | null} */ section: null,
};

function anchorElement() {
  const active = document.activeElement;
  if (active && active !== document.body && active.isConnected) return active;
  return view.pressed?.isConnected ? view.pressed : null;
}

/**
 * The messages next to the fields, and at a checkpoint (the dossier asked for, a section left, a file resumed)
 * the summary above the questionnaire. @returns {number} how many errors are shown
 */
function draw() {
  const anchor = anchorElement();
  const before = anchor?.getBoundingClientRect().top;
  const listed = showMessages({
    form: $("questionnaire"),
    texts: state.texts,
    errors: state.errors,
    warnings: state.warnings,
    shown: isShownError,
  });
  // The summary waits for the check of the latest edit: it never lists an error the user already fixed.
  if (view.checkpoint && !state.awaiting) {
    view.checkpoint = false;
    state.summaryOpen = listed.length > 0;
    renderSummary($("error-summary"), listed, state.texts);
  }
  view.pending = false;
  if (anchor?.isConnected && before !== undefined) {
    const moved = anchor.getBoundingClientRect().top - before;
    if (moved !== 0) window.scrollBy(0, moved);
  }
  return listed.length;
}

/** Draws now, or once the pointer is released. @param {boolean} [checkpoint] also draw the summary */
function applyMessages(checkpoint = false) {
  view.checkpoint ||= checkpoint;
  if (view.pointerDown) {
    view.pending = true;
    return;
  }
  draw();
}

document.addEventListener(
  "pointerdown",
  (event) => {
    view.pointerDown = true;
    view.pressed = event.target instanceof Element ? event.target : null;
  },
  true,
);
for (const type of ["pointerup", "pointercancel"]) {
  document.addEventListener(
    type,
    () => {
      view.pointerDown = false;
      // After the click that follows the release.
      if (view.pending) setTimeout(() => view.pending && !view.pointerDown && draw(), 0);
    },
    true,
  );
}

/** The section (top-level question or group) an element is in. @param {EventTarget | null} el */
function sectionOf(el) {
  return el instanceof Element ? el.closest("#questions > [data-path]") : null;
}

/** Announces the error of the answer just edited, or that it is fixed, when that changes. */
function announceEdited() {
  const path = state.lastEdited;
  if (path === undefined || !isShownError({ path, code: "", message: "" })) return;
  const message = state.errors
    .filter((e) => e.path === path)
    .map((e) => e.message)
    .join(" ");
  const previous = state.lastAnnounced.get(path) ?? "";
  if (message === previous) return;
  state.lastAnnounced.set(path, message);
  const block = document.getElementById(`q-${path.replace(/\./g, "-")}`);
  const title = block?.querySelector(".label")?.firstChild?.textContent ?? "";
  announce(
    message
      ? fill(state.texts.errors.announceError, { title, message })
      : fill(state.texts.errors.announceFixed, { title }),
  );
}

/** Whether a reply to a request sent at `seq`, after `edits` edits, is still the latest word on the answers. */
function isCurrent(/** @type {number} */ seq, /** @type {number} */ edits) {
  return seq === state.seq && edits === state.edits;
}

async function validateNow() {
  const seq = ++state.seq;
  const edits = state.edits;
  const answers = toAnswers(state.model, state.data);
  try {
    const checked = await postJson("/api/validate", answers);
    // Replies handled so far, current or not (the browser tests wait on it).
    document.body.dataset.replies = String(++state.replies);
    // Edited since it was sent: the reply is about answers that no longer exist; a newer check is on its way.
    if (!isCurrent(seq, edits)) return;
    state.awaiting = false;
    if (checked.status !== 200) throw new Error(checked.body?.error?.message ?? STRINGS.serverDown);
    state.errors = checked.body.errors;
    state.warnings = checked.body.warnings;
    applyMessages();
    announceEdited();
    if (!checked.body.ok) {
      state.planKey = "";
      // What the rules already decide whatever the answers to come; nothing when too little is answered.
      const drafted = await postJson("/api/plan/draft", answers);
      if (!isCurrent(seq, edits)) return;
      const draft = drafted.status === 200 ? drafted.body?.draft : null;
      if (draft) renderPlanDraft($("plan-content"), draft, state.errors.length, state.texts);
      else renderPlanWaiting($("plan-content"), state.errors.length, state.texts);
      return;
    }
    const planned = await postJson("/api/plan", answers);
    if (!isCurrent(seq, edits)) return;
    if (planned.status !== 200) throw new Error(planned.body?.error?.message ?? STRINGS.serverDown);
    const plan = planned.body.plan;
    renderPlan($("plan-content"), plan, state.texts);
    const key = plan.forms.map((/** @type {{id: string}} */ f) => f.id).join(" ");
    if (key !== state.planKey) {
      state.planKey = key;
      $("plan-status").textContent = fill(state.texts.plan.updated, { forms: plan.forms.length });
    }
  } catch (error) {
    $("plan-status").textContent = error instanceof Error ? error.message : STRINGS.serverDown;
  }
}

function scheduleValidation(delay = 300) {
  clearTimeout(state.timer);
  state.timer = setTimeout(() => {
    state.timer = undefined;
    validateNow();
  }, delay);
}

/** Keeps the touched answers aligned with a list whose item `index` was removed. @param {string} listPath @param {number} index */
function shiftTouched(listPath, index) {
  const prefix = `${listPath}.`;
  const next = new Set();
  for (const path of state.touched) {
    if (!path.startsWith(prefix)) {
      next.add(path);
      continue;
    }
    const [n, ...rest] = path.slice(prefix.length).split(".");
    const i = Number(n);
    if (i === index) continue;
    next.add([listPath, i > index ? i - 1 : i, ...rest].join("."));
  }
  state.touched = next;
  state.lastAnnounced.clear();
}

/** @param {string} [focusId] */
function render(focusId) {
  renderQuestionnaire($("questions"), state.model, {
    texts: state.texts,
    why: state.why,
    data: state.data,
    onValue(path, value, chosen) {
      setValueAt(state.data, path, value);
      pruneHidden(state.model, state.data);
      updateVisibility(state.data);
      state.edits += 1;
      state.lastEdited = path;
      state.awaiting = true;
      if (chosen) {
        // A choice is complete at once: its former errors are stale, check it now.
        state.errors = state.errors.filter((e) => e.path !== path);
        scheduleValidation(0);
      } else scheduleValidation();
    },
    onTouched(path) {
      if (state.touched.has(path)) return;
      state.touched.add(path);
      state.lastEdited = path;
      if (!state.awaiting) {
        applyMessages();
        announceEdited();
      } else if (state.timer !== undefined) scheduleValidation(0);
    },
    onAdd(listPath) {
      const items = /** @type {unknown[]} */ (valueAt(state.data, listPath) ?? []);
      items.push({});
      setValueAt(state.data, listPath, items);
      state.edits += 1;
      state.awaiting = true;
      const n = items.length;
      render();
      const block = document.getElementById(`q-${listPath.replace(/\./g, "-")}-${n - 1}`);
      block?.querySelector("input")?.focus();
      announce(fill(state.texts.itemAdded, { n }));
      scheduleValidation(0);
    },
    onRemove(listPath, index) {
      const items = /** @type {unknown[]} */ (valueAt(state.data, listPath) ?? []);
      items.splice(index, 1);
      state.edits += 1;
      state.awaiting = true;
      // The people after the one removed move up: their former messages would land on the wrong person.
      state.errors = state.errors.filter((e) => !e.path.startsWith(`${listPath}.`));
      state.warnings = state.warnings.filter((e) => !e.path.startsWith(`${listPath}.`));
      shiftTouched(listPath, index);
      render(`${fieldId(listPath)}-add`);
      announce(fill(state.texts.itemRemoved, { n: index + 1 }));
      scheduleValidation(0);
    },
  });
  applyMessages();
  if (focusId) document.getElementById(focusId)?.focus();
}

/** @param {QNode} model @param {Record<string, unknown>} data */
function ensureMinItems(model, data) {
  for (const child of model.children ?? []) {
    if (child.kind !== "list") continue;
    const items = Array.isArray(data[child.key]) ? /** @type {unknown[]} */ (data[child.key]) : [];
    while (items.length < Math.max(child.minItems ?? 0, 1)) items.push({});
    data[child.key] = items;
  }
}

/** @param {Blob} blob @param {string} fileName */
function saveBlob(blob, fileName) {
  const url = URL.createObjectURL(blob);
  const link = h("a", { href: url, download: fileName, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The dossier was asked for: every error, in the summary, which takes the focus. */
function showAllErrors() {
  state.showAll = true;
  view.checkpoint = true;
  draw();
  const summary = $("error-summary");
  if (!summary.hidden) summary.focus();
}

/**
 * After the download: the file, what generate would have warned about (a character no font draws…), and what
 * to do next, one step per line (more steps, such as what to wait for, are more lines from the server).
 * @param {HTMLElement} status @param {string} file @param {{findings: string[], next: string[]}} notes
 */
function showDossierNotes(status, file, notes) {
  const t = state.texts.finish;
  status.replaceChildren(
    h("p", {}, fill(t.ready, { file })),
    notes.findings.length ? h("p", { class: "finish-heading" }, t.findingsTitle) : "",
    notes.findings.length
      ? h("ul", { class: "finish-findings" }, ...notes.findings.map((f) => h("li", {}, f)))
      : "",
    notes.next.length ? h("p", { class: "finish-heading" }, t.nextTitle) : "",
    notes.next.length ? h("ul", { class: "finish-next" }, ...notes.next.map((n) => h("li", {}, n))) : "",
  );
}

async function onDownloadZip() {
  const status = $("finish-status");
  status.textContent = state.texts.finish.preparing;
  try {
    clearTimeout(state.timer);
    const edits = state.edits;
    const result = await downloadDossier(toAnswers(state.model, state.data));
    if (result.status === 200 && result.blob) {
      saveBlob(result.blob, result.fileName ?? "dossier-diapason.zip");
      showDossierNotes(status, result.fileName ?? "", result.notes ?? { findings: [], next: [] });
    } else if (result.status === 422 && Array.isArray(result.body?.errors)) {
      // Its errors are those of the answers as they are, unless they were edited while the server answered: the
      // latest check's are shown then (or, on its way, drawn when it comes).
      if (state.edits === edits) {
        state.errors = result.body.errors;
        state.warnings = result.body.warnings ?? [];
        // The check of the last typing, whose sending the request cancelled, is this answer: nothing is awaited.
        state.awaiting = false;
      }
      status.textContent = state.texts.finish.blocked;
      showAllErrors();
    } else {
      status.textContent = result.body?.error?.message ?? STRINGS.serverDown;
    }
  } catch (error) {
    status.textContent = error instanceof Error ? error.message : STRINGS.serverDown;
  }
}

function onDownloadJson() {
  const answers = toAnswers(state.model, state.data);
  const blob = new Blob([`${JSON.stringify(answers, null, 2)}\n`], { type: "application/json" });
  saveBlob(blob, state.texts.finish.answersFileName);
  $("finish-status").textContent = fill(state.texts.finish.jsonReady, {
    file: state.texts.finish.answersFileName,
  });
}

/** @param {Event} event */
async function onResume(event) {
  const input = /** @type {HTMLInputElement} */ (event.target);
  const file = input.files?.[0];
  const status = $("resume-status");
  if (!file) return;
  status.replaceChildren(state.texts.resume.reading);
  try {
    const result = await loadAnswersFile(await file.arrayBuffer());
    input.value = "";
    if (result.status !== 200) {
      const errors = /** @type {AnswerError[]} */ (result.body?.errors ?? []);
      const messages = errors.length
        ? errors.map((e) => e.message)
        : [result.body?.error?.message ?? STRINGS.serverDown];
      status.replaceChildren(
        h("p", {}, state.texts.resume.failed),
        h("ul", {}, ...messages.map((m) => h("li", {}, m))),
      );
      return;
    }
    state.data = fromAnswers(state.model, result.body.data);
    ensureMinItems(state.model, state.data);
    pruneHidden(state.model, state.data);
    state.edits += 1;
    state.awaiting = true;
    state.errors = [];
    state.warnings = [];
    state.showAll = true;
    state.lastAnnounced.clear();
    state.lastEdited = undefined;
    render();
    const ignored = /** @type {AnswerError[]} */ (result.body.errors).filter(
      (e) => e.code === "UNKNOWN_FIELD",
    );
    clearTimeout(state.timer);
    await validateNow();
    // The count is the summary's: the answers as the page now holds them, checked once more.
    view.checkpoint = true;
    const toFix = draw();
    status.replaceChildren(
      h(
        "p",
        {},
        state.texts.resume.done,
        toFix > 0 ? ` ${fill(state.texts.resume.toFix, { count: toFix })}` : "",
      ),
      ignored.length ? h("p", {}, state.texts.resume.ignored) : "",
      ignored.length ? h("ul", {}, ...ignored.map((e) => h("li", {}, e.message))) : "",
    );
  } catch (error) {
    status.replaceChildren(error instanceof Error ? error.message : STRINGS.serverDown);
  }
}

async function main() {
  const questions = $("questions");
  try {
    const { status, body } = await getSchema();
    if (status !== 200 || !body) throw new Error(STRINGS.loadFailed);
    state.model = body.questionnaire;
    state.texts = body.texts;
    state.why = body.why;
  } catch (error) {
    questions.replaceChildren(
      h("p", { class: "error-message" }, error instanceof Error ? error.message : STRINGS.loadFailed),
    );
    return;
  }
  ensureMinItems(state.model, state.data);
  render();
  // Leaving a section (Tab, or a click elsewhere) is when its errors are summed up above the questionnaire.
  // The section left is the last one focused: focus may pass through nothing (a click on blank space) on the way.
  document.addEventListener("focusin", (event) => {
    const section = sectionOf(event.target);
    if (view.section && section !== view.section) applyMessages(true);
    view.section = section;
  });
  $("download-zip").addEventListener("click", onDownloadZip);
  $("download-json").addEventListener("click", onDownloadJson);
  $("resume-file").addEventListener("change", onResume);
  document.body.dataset.ready = "true";
  await validateNow();
}

main();
