import type { Answers, Designee } from "../answers/types.js";
import type { Facts } from "../rules/types.js";

/**
 * Facts the rules read, from validated and normalized answers. Every fact has a value (absent answers become
 * "none"), and decisions set by rules as runtime facts start at their neutral value: with a missing fact,
 * json-rules-engine would quietly make `notEqual` true.
 */
export function establishmentFacts(answers: Answers): Facts {
  const technicalAdministrators = answers.designees.filter((d) => d.role === "technicalAdministrator");
  return {
    always: true,
    contractExists: answers.contract.exists,
    contractSignedAt: answers.contract.signedAt ?? "none",
    contractSignatoryChoice: answers.contract.signatory ?? "none",
    geographicEntities: answers.establishment.geographicEntities,
    legalRepresentativeHasActiveCard: answers.legalRepresentative.hasActiveCard,
    technicalAdministratorCount: technicalAdministrators.length,
    mandataryCount: answers.designees.length - technicalAdministrators.length,
    keyGeneration: answers.keyGeneration,
    form413SignedBy: answers.form413SignedBy ?? "legalRepresentative",
    // Runtime facts, set by the rules that decide them.
    contractRequired: false,
    presentedEntity: "none",
    contractFormRequired: false,
    form101Required: false,
  };
}

export function designeeFacts(designee: Designee): Facts {
  return {
    always: true,
    role: designee.role,
    hasActiveCard: designee.hasActiveCard,
    cardRequest: designee.hasActiveCard ? "none" : (designee.cardRequest ?? "form301"),
    hasVendor: designee.vendor !== undefined,
    habilitationOrgAuthCli: designee.habilitation?.orgAuthCli ?? false,
    habilitationSslServer:
      designee.role === "technicalAdministrator" ? (designee.habilitation?.sslServer ?? "none") : "none",
    // Runtime facts.
    form413Required: false,
  };
}
