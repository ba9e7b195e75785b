import type { Plan } from "../plan/types.js";

/**
 * A plan's decisions as short French lines, compared between two runs by `--compare`: the contract, the entity
 * presented, each form with its person, offers and signatory, each certificate's parameters, the key
 * generation and the points of attention.
 */
export function planDecisions(plan: Plan): string[] {
  const out: string[] = [];
  const c = plan.contract;
  out.push(
    c.required
      ? `contrat de structure à signer à l'${c.signatory} (FINESS ${c.signatoryFiness})`
      : "contrat de structure existant",
  );
  out.push(`entité présentée : ${c.presentedEntity} (FINESS ${c.presentedFiness})`);
  for (const form of plan.forms) {
    const who = form.designee ? ` pour ${form.designee.firstName} ${form.designee.lastName}` : "";
    const offers = form.offers && form.offers.length > 0 ? `, offres ${form.offers.join(" et ")}` : "";
    out.push(`${form.title}${who}${offers}, signé par ${form.signatory.label}`);
  }
  for (const cert of plan.certificates) {
    const domain = cert.habilitationDomain ? `, habilitation ${cert.habilitationDomain}` : "";
    out.push(`certificat ${cert.profile} : service ${cert.serviceName}, CN ${cert.commonName}${domain}`);
  }
  const key = plan.certificates[0]?.keyGeneration;
  if (key) out.push(`bi-clé : ${key.label}`);
  for (const finding of plan.findings) {
    if (finding.severity !== "info") out.push(`point d'attention : ${finding.message}`);
  }
  return out;
}
