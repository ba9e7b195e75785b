import { clear, fill, h } from "./dom.js";

/** The live plan panel: the forms to fill in, for whom and why; the contract; the points of attention. */

/**
 * @typedef {{
 *   contract: {required: boolean, signatory: string, presentedEntity: string, reasons: string[], sections: string[]},
 *   establishment: {presentedEntity: string, presentedFiness: string},
 *   forms: {id: string, form: string, title: string, for?: {name: string, role: string}, signatory: string,
 *     offers: string[], reasons: string[], sections: string[]}[],
 *   certificates: {profile: string, label: string, commonName: string}[],
 *   findings: {code: string, severity: string, severityLabel: string, message: string, sections: string[]}[],
 *   now: {number: number, actor: string, action: string}[],
 *   awaited: {label: string, receivedBy: string, steps: string}[],
 * }} PlanSummary
 */

/** @param {string[]} sections @param {any} t */
function sectionNote(sections, t) {
  return sections.length > 0
    ? h("p", { class: "plan-sections" }, fill(t.sections, { sections: sections.join(" ; ") }))
    : undefined;
}

/**
 * @param {PlanSummary["forms"]} forms @param {any} t @param {boolean} [brief] without the reasons
 * @param {string} [kind] the list's class beside plan-forms
 */
function formList(forms, t, brief = false, kind = "") {
  return h(
    "ol",
    { class: `plan-forms ${kind}`.trim() },
    ...forms.map((f) =>
      h(
        "li",
        { class: "plan-form", "data-form": f.form },
        h("h4", {}, f.title),
        f.for
          ? h("p", {}, h("span", { class: "plan-key" }, `${t.for} `), `${f.for.name} (${f.for.role})`)
          : undefined,
        h("p", {}, h("span", { class: "plan-key" }, `${t.signedBy} `), f.signatory),
        f.offers.length ? h("p", { class: "plan-key" }, t.offers) : undefined,
        f.offers.length
          ? h("ul", { class: "plan-offers" }, ...f.offers.map((o) => h("li", {}, o)))
          : undefined,
        brief ? undefined : h("p", { class: "plan-key" }, t.why),
        brief ? undefined : h("ul", { class: "plan-reasons" }, ...f.reasons.map((r) => h("li", {}, r))),
        brief ? undefined : sectionNote(f.sections, t),
      ),
    ),
  );
}

/** @param {HTMLElement} container @param {PlanSummary} plan @param {any} texts */
export function renderPlan(container, plan, texts) {
  const t = texts.plan;
  const forms = plan.forms.length ? formList(plan.forms, t) : h("p", {}, t.noForm);
  const findings = plan.findings.length
    ? h(
        "ul",
        { class: "plan-findings" },
        ...plan.findings.map((f) =>
          h(
            "li",
            { class: `finding finding-${f.severity}`, "data-code": f.code },
            h("strong", {}, `${f.severityLabel} : `),
            f.message,
          ),
        ),
      )
    : h("p", {}, t.noFinding);
  clear(container);
  container.append(
    h("h3", {}, `${t.formsTitle} (${plan.forms.length})`),
    forms,
    h("h3", {}, t.contractTitle),
    h("ul", { class: "plan-reasons" }, ...plan.contract.reasons.map((r) => h("li", {}, r))),
    h(
      "p",
      {},
      fill(t.presented, {
        entity: plan.establishment.presentedEntity,
        finess: plan.establishment.presentedFiness,
      }),
    ),
    sectionNote(plan.contract.sections, t),
    h("h3", {}, t.certificatesTitle),
    h(
      "ul",
      { class: "plan-certificates" },
      ...plan.certificates.map((c) =>
        h("li", {}, c.label, " — ", h("span", { class: "mono" }, c.commonName)),
      ),
    ),
    h("h3", {}, t.timelineTitle),
    h(
      "ol",
      { class: "plan-now" },
      ...plan.now.map((x) => h("li", { value: String(x.number) }, fill(t.nowItem, x))),
    ),
    h("p", { class: "plan-key" }, plan.awaited.length ? t.awaitedTitle : t.nothingAwaited),
    plan.awaited.length
      ? h("ul", { class: "plan-awaited" }, ...plan.awaited.map((a) => h("li", {}, fill(t.awaitedItem, a))))
      : undefined,
    h("h3", {}, t.findingsTitle),
    findings,
  );
}

/** @param {HTMLElement} container @param {number} count @param {any} texts */
export function renderPlanWaiting(container, count, texts) {
  clear(container);
  container.append(h("p", { class: "plan-waiting" }, fill(texts.plan.waiting, { count })));
}

/**
 * The plan as it forms, from the server (the rules decide for every way the missing answers may go): the forms
 * already certain, and those that depend on the answers to come.
 * @param {HTMLElement} container @param {{decided: PlanSummary["forms"], open: PlanSummary["forms"]}} draft
 * @param {number} count answers to complete or correct @param {any} texts
 */
export function renderPlanDraft(container, draft, count, texts) {
  const t = texts.plan;
  clear(container);
  container.append(
    h("p", { class: "plan-waiting" }, fill(t.draftStatus, { count })),
    h("h3", {}, `${t.draftDecided} (${draft.decided.length})`),
    draft.decided.length
      ? formList(draft.decided, t, false, "plan-decided")
      : h("p", {}, t.draftNothingDecided),
    draft.open.length ? h("h3", {}, `${t.draftOpen} (${draft.open.length})`) : "",
    draft.open.length ? formList(draft.open, t, true, "plan-open") : "",
  );
}
