import type { Plan } from "../plan/types.js";
import { batchTexts } from "./messages.js";

/**
 * A plan's decisions as short French lines, compared between two runs by `--compare`: the contract, the entity
 * presented, each form with its person, offers and signatory, each certificate's parameters, the key
 * generation and the points of attention.
 */
export function planDecisions(plan: Plan): string[] {
  const t = batchTexts().decisions;
  const out: string[] = [];
  const c = plan.contract;
  out.push(
    c.required ? t.contractToSign({ signatory: c.signatory, finess: c.signatoryFiness }) : t.contractExists(),
  );
  out.push(t.presentedEntity({ entity: c.presentedEntity, finess: c.presentedFiness }));
  for (const form of plan.forms) {
    const designee = form.designee
      ? t.formDesignee({ firstName: form.designee.firstName, lastName: form.designee.lastName })
      : "";
    const offers =
      form.offers && form.offers.length > 0
        ? t.formOffers({ offers: form.offers.join(t.offersSeparator()) })
        : "";
    out.push(t.form({ title: form.title, designee, offers, signatory: form.signatory.label }));
  }
  for (const cert of plan.certificates) {
    const habilitation = cert.habilitationDomain ? t.habilitation({ domain: cert.habilitationDomain }) : "";
    out.push(
      t.certificate({
        profile: cert.profile,
        service: cert.serviceName,
        commonName: cert.commonName,
        habilitation,
      }),
    );
  }
  const key = plan.certificates[0]?.keyGeneration;
  if (key) out.push(t.keyGeneration({ label: key.label }));
  for (const finding of plan.findings) {
    if (finding.severity !== "info") out.push(t.finding({ message: finding.message }));
  }
  return out;
}
