/**
 * The « Suivi » page: the register's list with filters, the timeline of certificate expiries under the same
 * filters, one establishment's steps and awaited events, noting a step done or an event received.
 */

import { SUIVI } from "./suivi-strings.js";

/** @param {string} template @param {Record<string, string | number>} params */
function fill(template, params) {
  return template.replace(/\{\{(\w+)\}\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
}

/** @param {string} tag @param {Record<string, string>} [attrs] @param {(Node | string)[]} [children] */
function el(tag, attrs = {}, children = []) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  for (const c of children) node.append(c);
  return node;
}

/** @param {string} url @param {RequestInit} [init] */
async function call(url, init) {
  try {
    const response = await fetch(url, init);
    return { status: response.status, body: await response.json() };
  } catch (error) {
    if (init?.signal?.aborted) throw error;
    throw new Error(SUIVI.serverDown);
  }
}

const state = { page: 1, pages: 1, today: "", current: /** @type {any} */ (null) };
const status = /** @type {HTMLElement} */ (document.getElementById("status"));
/** Who notes facts from this browser: remembered between visits. */
const BY_KEY = "diapason-suivi-by";

function remembered() {
  try {
    return localStorage.getItem(BY_KEY) ?? "";
  } catch {
    return "";
  }
}

/** @param {string} by */
function remember(by) {
  try {
    localStorage.setItem(BY_KEY, by);
  } catch {
    // Storage refused (private window): the name is simply asked again next time.
  }
}

/** @param {string} id */
function byId(id) {
  return /** @type {HTMLElement} */ (document.getElementById(id));
}

/** The filter form's values (the list's and the timeline's filters). */
function filters() {
  const form = /** @type {HTMLFormElement} */ (document.getElementById("filters"));
  const params = new URLSearchParams();
  for (const [k, v] of new FormData(form))
    if (typeof v === "string" && v.trim() !== "") params.set(k, v.trim());
  return params;
}

function query() {
  const params = filters();
  params.set("page", String(state.page));
  return params;
}

/**
 * The loads of one part of the page: each new load cancels the one under way, whose answer is never drawn over
 * a newer one. @returns {() => AbortSignal} starts a load, and gives its signal (aborted once a newer one starts)
 */
function loads() {
  let controller = new AbortController();
  return () => {
    controller.abort();
    controller = new AbortController();
    return controller.signal;
  };
}

const listLoads = loads();
const timelineLoads = loads();
/** The detail's loads, and the facts noted (whose answers redraw it). */
const detailLoads = loads();

/**
 * Loads one part of the page and draws the answer, unless a newer load of that part has started meanwhile. The
 * part is busy (aria-busy) until its newest load is drawn; a load that gets no answer says so on the status line.
 * @param {HTMLElement} part @param {() => AbortSignal} next the part's loads @param {string} url
 * @param {(answer: {status: number, body: any}) => void} draw
 */
async function load(part, next, url, draw) {
  const signal = next();
  part.setAttribute("aria-busy", "true");
  let answer;
  try {
    answer = await call(url, { signal });
  } catch (error) {
    // No answer: said on the status line; the part keeps what it showed.
    if (!signal.aborted) status.textContent = /** @type {Error} */ (error).message;
  }
  if (signal.aborted) return;
  part.setAttribute("aria-busy", "false");
  if (answer) draw(answer);
}

/** The GHT filter's choices: the register's GHTs; the filter stays hidden while the register names none. */
async function loadGhts() {
  const { status: code, body } = await call("/api/suivi/ght");
  if (code !== 200 || body.ghts.length === 0) return;
  const select = /** @type {HTMLSelectElement} */ (document.getElementById("f-ght"));
  select.append(...body.ghts.map((/** @type {string} */ name) => el("option", { value: name }, [name])));
  /** @type {HTMLElement} */ (document.getElementById("f-ght-field")).hidden = false;
}

/** A link that opens an establishment's detail below. @param {string} finess @param {string} name */
function detailLink(finess, name) {
  const link = el("a", { href: `#${finess}` }, [name]);
  link.addEventListener("click", (event) => {
    event.preventDefault();
    void openDetail(finess);
  });
  return link;
}

function loadList() {
  return load(byId("list"), listLoads, `/api/suivi?${query()}`, drawList);
}

/** @param {{status: number, body: any}} answer */
function drawList({ status: code, body }) {
  const tbody = /** @type {HTMLElement} */ (document.querySelector("#list tbody"));
  const caption = /** @type {HTMLElement} */ (document.getElementById("list-caption"));
  tbody.replaceChildren();
  if (code !== 200) {
    caption.textContent = body.error?.message ?? "";
    return;
  }
  state.today = body.today;
  state.pages = Math.max(1, Math.ceil(body.total / body.pageSize));
  caption.textContent =
    body.total === 0
      ? SUIVI.empty
      : fill(SUIVI.caption, { total: body.total, page: body.page, pages: state.pages });
  for (const row of body.rows) {
    tbody.append(
      el("tr", { "data-finess": row.finessEG }, [
        el("td", {}, [row.finessEG]),
        el("td", {}, [detailLink(row.finessEG, row.name)]),
        el("td", {}, [row.phaseLabel]),
        el("td", {}, [row.waiting || row.nextAction]),
        el("td", {}, [row.actor]),
        el("td", {}, [row.renewal ?? ""]),
      ]),
    );
  }
  /** @type {HTMLButtonElement} */ (document.getElementById("prev")).disabled = state.page <= 1;
  /** @type {HTMLButtonElement} */ (document.getElementById("next")).disabled = state.page >= state.pages;
}

/** One certificate on the timeline: its state in words (and an icon), expiry, establishment, renewal. @param {any} e */
function timelineEntry(e) {
  return el("li", { class: `timeline-entry state-${e.state}`, "data-expiry": e.expiry }, [
    el("span", { class: "timeline-state" }, [e.stateLabel]),
    " ",
    el("time", { datetime: e.expiry, class: "timeline-expiry" }, [e.expiryLabel]),
    " — ",
    detailLink(e.finessEG, e.name),
    ` ${fill(SUIVI.finess, { finess: e.finessEG })} — `,
    el("span", { class: "timeline-detail" }, [e.detail]),
  ]);
}

/** Today's line goes before the first certificate that expires today or later. @param {HTMLElement} list */
function placeToday(list) {
  const marker = list.querySelector(".timeline-today");
  if (!marker) return;
  const later = [...list.querySelectorAll(".timeline-entry")].find(
    (li) => (li.getAttribute("data-expiry") ?? "") >= state.today,
  );
  list.insertBefore(marker, later ?? null);
}

/** The button that shows more of a crowded period. @param {any} period @param {HTMLElement} list */
function moreButton(period, list) {
  const button = el(
    "button",
    { type: "button", class: "button button-secondary", "aria-controls": list.id },
    [period.moreLabel],
  );
  button.addEventListener("click", async () => {
    // Pressed again while the entries come: they would be asked, and shown, twice.
    if (button.getAttribute("aria-disabled") === "true") return;
    button.setAttribute("aria-disabled", "true");
    const params = filters();
    params.set("period", period.key);
    params.set("offset", String(list.querySelectorAll(".timeline-entry").length));
    const { status: code, body } = await call(`/api/suivi/echeances?${params}`).catch((error) => ({
      status: 0,
      body: { error: { message: error.message } },
    }));
    button.removeAttribute("aria-disabled");
    if (code !== 200) {
      status.textContent = body.error?.message ?? "";
      return;
    }
    const added = body.entries.map(timelineEntry);
    list.append(...added);
    placeToday(list);
    if (body.remaining > 0) button.textContent = body.moreLabel;
    else button.remove();
    added[0]?.querySelector("a")?.focus();
  });
  return button;
}

/** @param {any} period @param {string} todayLabel */
function timelinePeriod(period, todayLabel) {
  const id = `period-${period.key}`;
  const list = el("ol", { class: "timeline-entries", id: `entries-${period.key}`, "aria-labelledby": id });
  list.append(...period.entries.map(timelineEntry));
  if (period.today) {
    list.append(
      el("li", { class: "timeline-today", id: "timeline-today", "aria-current": "date" }, [
        el("strong", {}, [todayLabel]),
      ]),
    );
    placeToday(list);
  }
  const item = el(
    "li",
    { class: `timeline-period${period.today ? " period-today" : ""}`, "data-period": period.key },
    [el("h3", { id }, [`${period.label} — ${period.countLabel}`])],
  );
  if (period.countsText) item.append(el("p", { class: "timeline-counts" }, [period.countsText]));
  item.append(list);
  if (period.remaining > 0) item.append(moreButton(period, list));
  return item;
}

/** The timeline of certificate expiries under the page's filters; the list does not wait for it. */
function loadTimeline() {
  return load(byId("timeline"), timelineLoads, `/api/suivi/echeances?${filters()}`, drawTimeline);
}

/** @param {{status: number, body: any}} answer */
function drawTimeline({ status: code, body }) {
  const periods = byId("timeline-periods");
  const retired = byId("timeline-retired");
  byId("timeline-summary").textContent = code === 200 ? body.summary : (body.error?.message ?? "");
  retired.textContent = body.retiredText ?? "";
  retired.hidden = !body.retiredText;
  if (code !== 200) {
    periods.replaceChildren();
    return;
  }
  state.today = body.today;
  const fragment = document.createDocumentFragment();
  for (const period of body.periods) fragment.append(timelinePeriod(period, body.todayLabel));
  periods.replaceChildren(fragment);
}

/**
 * A fact's form: its day (today by default), an optional note, who notes it, and its button.
 * @param {string} prefix unique among the page's ids
 * @param {string} label the button's text
 * @param {(fields: Record<string, string>) => Promise<void>} send
 */
function factForm(prefix, label, send) {
  /** @param {string} name @param {string} text @param {Record<string, string>} attrs */
  const field = (name, text, attrs) =>
    el("div", { class: "field" }, [
      el("label", { class: "label", for: `${prefix}-${name}` }, [text]),
      el("input", { id: `${prefix}-${name}`, name, ...attrs }),
    ]);
  const form = /** @type {HTMLFormElement} */ (
    el("form", { class: "fact-form" }, [
      el("fieldset", {}, [
        el("legend", { class: "visually-hidden" }, [label]),
        field("date", SUIVI.dateLabel, { type: "date", value: state.today, required: "" }),
        field("note", SUIVI.noteLabel, { type: "text", autocomplete: "off" }),
        field("by", SUIVI.byLabel, { type: "text", autocomplete: "name", value: remembered() }),
        el("button", { type: "submit", class: "button button-secondary" }, [label]),
      ]),
    ])
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    /** @type {Record<string, string>} */
    const fields = {};
    for (const [k, v] of new FormData(form))
      if (typeof v === "string" && v.trim() !== "") fields[k] = v.trim();
    if (fields.by) remember(fields.by);
    void send(fields);
  });
  return form;
}

/**
 * What the user typed in the detail's forms (the values changed from the ones drawn) and the field being typed
 * in, to be given back when the same establishment's detail is drawn again.
 */
function typing() {
  const section = byId("detail");
  const values = new Map();
  for (const input of section.querySelectorAll("form input"))
    if (input instanceof HTMLInputElement && input.value !== input.defaultValue)
      values.set(input.id, input.value);
  const active = document.activeElement;
  const focused =
    active instanceof HTMLInputElement && section.contains(active)
      ? { id: active.id, start: active.selectionStart, end: active.selectionEnd }
      : undefined;
  return { values, focused };
}

/**
 * Gives the typing back to the forms still there. @param {ReturnType<typeof typing>} typed
 * @returns {boolean} whether the field being typed in has the focus again
 */
function giveBack({ values, focused }) {
  for (const [id, value] of values) {
    const input = document.getElementById(id);
    if (input instanceof HTMLInputElement) input.value = value;
  }
  const input = focused && document.getElementById(focused.id);
  if (!(input instanceof HTMLInputElement)) return false;
  input.focus();
  if (focused.start !== null && focused.end !== null) input.setSelectionRange(focused.start, focused.end);
  return true;
}

/**
 * Draws an establishment's detail; drawn again (a fact noted, the detail asked again), what the user was typing
 * in a form still there is kept. @param {any} view @returns {boolean} whether the user was typing in a field
 * that keeps the focus (the title takes it otherwise)
 */
function renderDetail(view) {
  const typed = state.current?.finessEG === view.finessEG ? typing() : undefined;
  state.current = view;
  const section = /** @type {HTMLElement} */ (document.getElementById("detail"));
  section.hidden = false;
  const title = /** @type {HTMLElement} */ (document.getElementById("detail-title"));
  title.textContent = `${view.name} — FINESS EG ${view.finessEG}`;
  /** @type {HTMLElement} */ (document.getElementById("detail-summary")).textContent = fill(SUIVI.summary, {
    phase: view.phaseLabel,
    next: view.waiting || view.nextAction,
    actor: view.actor,
  });
  const steps = /** @type {HTMLElement} */ (document.getElementById("detail-steps"));
  steps.replaceChildren();
  for (const step of view.steps) {
    const detail =
      step.status === "done"
        ? fill(SUIVI.doneOn, { day: step.dayLabel, by: step.by })
        : step.status === "waiting"
          ? fill(SUIVI.waitsFor, { what: step.waitsFor.join(" ; ") })
          : step.status === "blocked"
            ? fill(SUIVI.after, { steps: step.after.join(", ") })
            : fill(SUIVI.readySince, { days: step.days ?? 0 });
    const item = el("li", { class: `suivi-step step-${step.status}`, value: String(step.number) }, [
      el("span", { class: "step-status" }, [step.statusLabel]),
      " ",
      el("span", { class: "step-action" }, [step.action]),
      " ",
      el("span", { class: "step-detail" }, [`(${step.actor} ; ${detail})`]),
    ]);
    if (step.status === "ready")
      item.append(
        factForm(`step-${step.id}`, fill(SUIVI.markDone, { number: step.number }), (fields) =>
          record("done", { step: step.id, ...fields }, fill(SUIVI.marked, { number: step.number })),
        ),
      );
    steps.append(item);
  }
  const awaited = /** @type {HTMLElement} */ (document.getElementById("detail-awaited"));
  awaited.replaceChildren(
    ...view.awaited.map((/** @type {any} */ a) => {
      const item = el("li", { class: "suivi-awaited", "data-awaited": a.id }, [
        `${a.label} — `,
        a.received
          ? fill(SUIVI.received, { day: a.receivedLabel })
          : a.expectedSince
            ? fill(SUIVI.expected, { days: a.days })
            : SUIVI.later,
      ]);
      // Asked for (the steps that yield it are done) and not yet received: it can be noted received.
      if (!a.received && a.expectedSince)
        item.append(
          factForm(`awaited-${a.id}`, fill(SUIVI.markReceived, { label: a.label }), (fields) =>
            record("received", { awaited: a.id, ...fields }, fill(SUIVI.receivedNoted, { label: a.label })),
          ),
        );
      return item;
    }),
  );
  const certificates = /** @type {HTMLElement} */ (document.getElementById("detail-certificates"));
  certificates.replaceChildren(
    ...(view.certificates.length === 0
      ? [el("li", {}, [SUIVI.noCertificate])]
      : view.certificates.map((/** @type {any} */ c) =>
          el("li", {}, [
            fill(SUIVI.certificate, {
              profile: c.profile,
              serial: c.serialNumber,
              expiry: c.expiryLabel,
              renewal: c.renewalLabel,
              status: c.statusLabel,
              days: c.daysLeft,
            }),
          ]),
        )),
  );
  const kept = typed !== undefined && giveBack(typed);
  if (!kept) byId("detail-title").focus();
  return kept;
}

/** @param {string} finess */
function openDetail(finess) {
  return load(
    byId("detail"),
    detailLoads,
    `/api/suivi/${encodeURIComponent(finess)}`,
    ({ status: code, body }) => {
      if (code !== 200) status.textContent = body.error?.message ?? "";
      else renderDetail(body);
    },
  );
}

/**
 * Notes a fact (`done` or `received`) at the version shown; a newer version is shown with why nothing was noted.
 * @param {"done" | "received"} kind @param {Record<string, string>} fields @param {string} success
 */
async function record(kind, fields, success) {
  const view = state.current;
  // The answer draws the detail unless another load of it starts meanwhile; a fact being noted is not cancelled.
  const detail = byId("detail");
  const signal = detailLoads();
  detail.setAttribute("aria-busy", "true");
  let answer;
  try {
    answer = await call(`/api/suivi/${encodeURIComponent(view.finessEG)}/${kind}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ...fields, version: view.version }),
    });
  } catch (error) {
    status.textContent = /** @type {Error} */ (error).message;
    return;
  } finally {
    if (!signal.aborted) detail.setAttribute("aria-busy", "false");
  }
  const { status: code, body } = answer;
  const shown = !signal.aborted;
  if (code === 200) {
    if (shown) renderDetail(body);
    status.textContent = success;
  } else if (code === 409 && body.current) {
    if (shown) renderDetail(body.current);
    status.textContent = fill(SUIVI.conflict, { message: body.error.message });
  } else {
    status.textContent = body.error?.message ?? "";
    return;
  }
  await Promise.all([loadList(), loadTimeline()]);
}

async function start() {
  document.getElementById("filters")?.addEventListener("submit", (event) => {
    event.preventDefault();
    state.page = 1;
    void Promise.all([loadList(), loadTimeline()]);
  });
  document.getElementById("prev")?.addEventListener("click", () => {
    state.page = Math.max(1, state.page - 1);
    void loadList();
  });
  document.getElementById("next")?.addEventListener("click", () => {
    state.page += 1;
    void loadList();
  });
  // The GHT filter's choices, the list and the timeline load side by side; the page is ready once all are drawn.
  const loaded = await Promise.allSettled([loadGhts(), loadList(), loadTimeline()]);
  const failed = loaded.find((r) => r.status === "rejected");
  if (failed) status.textContent = /** @type {Error} */ (failed.reason).message;
  document.body.dataset.ready = "true";
}

void start();
