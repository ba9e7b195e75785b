import type { Answers } from "../answers/types.js";
import type { Facts } from "../rules/types.js";

/** One person is one e-mail address, whatever the case (DOMAIN.md, rule 10). */
export function personKey(person: { email: string }): string {
  return person.email.trim().toLowerCase();
}

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

/** The facts of the designee at `index`, who may also be the legal representative or another designee. */
export function designeeFacts(answers: Answers, index: number): Facts {
  const designee = answers.designees[index];
  if (!designee) throw new Error(`personne désignée n°${index + 1} absente`);
  const key = personKey(designee);
  return {
    always: true,
    role: designee.role,
    hasActiveCard: designee.hasActiveCard,
    cardRequest: designee.hasActiveCard ? "none" : (designee.cardRequest ?? "form301"),
    hasVendor: designee.vendor !== undefined,
    habilitationOrgAuthCli: designee.habilitation?.orgAuthCli ?? false,
    habilitationSslServer:
      designee.role === "technicalAdministrator" ? (designee.habilitation?.sslServer ?? "none") : "none",
    isLegalRepresentative: personKey(answers.legalRepresentative) === key,
    cardRequestedEarlier: answers.designees.slice(0, index).some((d) => personKey(d) === key),
    alreadyDesignated: designee.role === "mandatary" && designee.alreadyDesignated === true,
    // Runtime facts.
    form413Required: false,
  };
}
