import type { Answers, Designee, Entity } from "../answers/types.js";
import type { Parameters } from "../rules/types.js";
import { type Labels, label, render } from "./labels.js";
import type { PlanSignatory } from "./types.js";

export function fullName(p: { firstName: string; lastName: string }): string {
  return `${p.firstName} ${p.lastName}`;
}

/** The values the rules' and labels' templates may name: answers, and decisions already taken. */
export interface RenderContext {
  establishment: Answers["establishment"];
  legalRepresentative: Answers["legalRepresentative"] & { fullName: string };
  technicalAdministrators: { label: string };
  form413Signatory: PlanSignatory;
  contract: { signatory: Entity; signatoryFiness: string; presentedEntity: Entity; presentedFiness: string };
  gap: { fqdn: string; domain: string; habilitationDomain: string };
  /** The procedure's constants (rules/parametres.json), by name. */
  parameters: Record<string, string | number>;
  designee?: Designee & { fullName: string; roleLabel: string; habilitationLabel: string; number: number };
}

/** The FINESS of the EJ, or of the EG under contract: the GAP's EG unless the answers name another (Annexe 2). */
export function finessOf(answers: Answers, entity: Entity): string {
  return entity === "EJ"
    ? answers.establishment.finessEJ
    : (answers.contract.finessEG ?? answers.establishment.finessEG);
}

export function form413Signatory(answers: Answers, by: string, labels: Labels): PlanSignatory {
  const index = answers.designees.findIndex((d) => d.role === "mandatary");
  const mandatary = answers.designees[index];
  if (by === "mandatary" && mandatary) {
    const { firstName, lastName, email } = mandatary;
    return {
      role: "mandatary",
      designee: index,
      firstName,
      lastName,
      email,
      label: render(label(labels.actors, "mandatary"), { fullName: fullName(mandatary) }),
    };
  }
  const { firstName, lastName, email } = answers.legalRepresentative;
  return {
    role: "legalRepresentative",
    firstName,
    lastName,
    email,
    label: render(label(labels.actors, "legalRepresentative"), {
      fullName: fullName(answers.legalRepresentative),
    }),
  };
}

/** The text and number constants of the procedure, by name, for the templates. */
export function parameterValues(parameters: Parameters): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [name, p] of Object.entries(parameters) as [string, unknown][])
    if (typeof p === "object" && p !== null && "value" in p)
      out[name] = (p as { value: string | number }).value;
  return out;
}

export function baseContext(
  answers: Answers,
  labels: Labels,
  contract: { signatory: Entity; presentedEntity: Entity },
  signatory: PlanSignatory,
  parameters: Parameters,
): RenderContext {
  const tas = answers.designees.filter((d) => d.role === "technicalAdministrator").map(fullName);
  const taLabel =
    tas.length === 0
      ? label(labels.actors, "technicalAdministratorMissing")
      : render(
          label(labels.actors, tas.length === 1 ? "technicalAdministrators" : "technicalAdministratorsMany"),
          {
            names: tas.join(label(labels.actors, "technicalAdministratorsSeparator")),
          },
        );
  return {
    establishment: answers.establishment,
    legalRepresentative: { ...answers.legalRepresentative, fullName: fullName(answers.legalRepresentative) },
    technicalAdministrators: { label: taLabel },
    form413Signatory: signatory,
    contract: {
      ...contract,
      signatoryFiness: finessOf(answers, contract.signatory),
      presentedFiness: finessOf(answers, contract.presentedEntity),
    },
    gap: {
      ...answers.gap,
      habilitationDomain: render(parameters.certificates.SSL_SERVEUR.habilitationDomain.value, {
        gap: answers.gap,
      }),
    },
    parameters: parameterValues(parameters),
  };
}

export function designeeContext(
  base: RenderContext,
  designee: Designee,
  index: number,
  labels: Labels,
): RenderContext {
  const habilitation = designee.habilitation ?? { orgAuthCli: false, sslServer: "none" };
  return {
    ...base,
    designee: {
      ...designee,
      number: index + 1,
      fullName: fullName(designee),
      roleLabel: label(labels.roles, designee.role),
      habilitationLabel: render(labels.habilitation, {
        orgAuthCli: habilitation.orgAuthCli ? labels.yes : labels.no,
        sslServer: label(labels.sslHabilitation, habilitation.sslServer),
      }),
    },
  };
}
