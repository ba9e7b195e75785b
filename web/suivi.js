/** The « Suivi » page: the register's list with filters, one establishment's steps, marking a step done. */

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
  let response;
  try {
    response = await fetch(url, init);
  } catch {
    throw new Error(SUIVI.serverDown);
  }
  return { status: response.status, body: await response.json() };
}

const state = { page: 1, pages: 1, current: /** @type {any} */ (null) };
const status = /** @type {HTMLElement} */ (document.getElementById("status"));

function query() {
  const form = /** @type {HTMLFormElement} */ (document.getElementById("filters"));
  const params = new URLSearchParams();
  for (const [k, v] of new FormData(form))
    if (typeof v === "string" && v.trim() !== "") params.set(k, v.trim());
  params.set("page", String(state.page));
  return params;
}

/** The GHT filter's choices: the register's GHTs; the filter stays hidden while the register names none. */
async function loadGhts() {
  const { status: code, body } = await call("/api/suivi/ght");
  if (code !== 200 || body.ghts.length === 0) return;
  const select = /** @type {HTMLSelectElement} */ (document.getElementById("f-ght"));
  select.append(...body.ghts.map((/** @type {string} */ name) => el("option", { value: name }, [name])));
  /** @type {HTMLElement} */ (document.getElementById("f-ght-field")).hidden = false;
}

async function loadList() {
  const { status: code, body } = await call(`/api/suivi?${query()}`);
  const tbody = /** @type {HTMLElement} */ (document.querySelector("#list tbody"));
  const caption = /** @type {HTMLElement} */ (document.getElementById("list-caption"));
  tbody.replaceChildren();
  if (code !== 200) {
    caption.textContent = body.error?.message ?? "";
    return;
  }
  state.pages = Math.max(1, Math.ceil(body.total / body.pageSize));
  caption.textContent =
    body.total === 0
      ? SUIVI.empty
      : fill(SUIVI.caption, { total: body.total, page: body.page, pages: state.pages });
  for (const row of body.rows) {
    const link = el("a", { href: `#${row.finessEG}` }, [row.name]);
    link.addEventListener("click", (event) => {
      event.preventDefault();
      void openDetail(row.finessEG);
    });
    tbody.append(
      el("tr", { "data-finess": row.finessEG }, [
        el("td", {}, [row.finessEG]),
        el("td", {}, [link]),
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

/** @param {any} view */
function renderDetail(view) {
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
    if (step.status === "ready") {
      const button = el("button", { type: "button", class: "button button-secondary" }, [
        fill(SUIVI.markDone, { number: step.number }),
      ]);
      button.addEventListener("click", () => void markDone(step));
      item.append(" ", button);
    }
    steps.append(item);
  }
  const awaited = /** @type {HTMLElement} */ (document.getElementById("detail-awaited"));
  awaited.replaceChildren(
    ...view.awaited.map((/** @type {any} */ a) =>
      el("li", {}, [
        `${a.label} — `,
        a.received
          ? fill(SUIVI.received, { day: a.receivedLabel })
          : a.expectedSince
            ? fill(SUIVI.expected, { days: a.days })
            : SUIVI.later,
      ]),
    ),
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
}

/** @param {string} finess */
async function openDetail(finess) {
  const { status: code, body } = await call(`/api/suivi/${encodeURIComponent(finess)}`);
  if (code !== 200) {
    status.textContent = body.error?.message ?? "";
    return;
  }
  renderDetail(body);
  /** @type {HTMLElement} */ (document.getElementById("detail-title")).focus();
}

/** @param {any} step */
async function markDone(step) {
  const view = state.current;
  const { status: code, body } = await call(`/api/suivi/${encodeURIComponent(view.finessEG)}/done`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ step: step.id, version: view.version }),
  });
  if (code === 200) {
    renderDetail(body);
    status.textContent = fill(SUIVI.marked, { number: step.number });
  } else if (code === 409 && body.current) {
    renderDetail(body.current);
    status.textContent = fill(SUIVI.conflict, { message: body.error.message });
  } else status.textContent = body.error?.message ?? "";
  await loadList();
}

async function start() {
  document.getElementById("filters")?.addEventListener("submit", (event) => {
    event.preventDefault();
    state.page = 1;
    void loadList();
  });
  document.getElementById("prev")?.addEventListener("click", () => {
    state.page = Math.max(1, state.page - 1);
    void loadList();
  });
  document.getElementById("next")?.addEventListener("click", () => {
    state.page += 1;
    void loadList();
  });
  try {
    await loadGhts();
    await loadList();
  } catch (error) {
    status.textContent = /** @type {Error} */ (error).message;
  }
  document.body.dataset.ready = "true";
}

void start();
