import { describe, expect, it } from "vitest";
import { readAnswersFile } from "../src/answers-file/index.js";
import { loadAnswersValidator, loadPlanner } from "../src/assets/index.js";
import { ROOT } from "./helpers/answers.js";

/** Every bundled example is valid and gives the plan its README describes. */
const expected: Record<string, { forms: string[]; findings: string[]; presented: "EJ" | "EG" }> = {
  "ch-ville.yaml": {
    forms: ["contrat-structure", "101", "301-1", "413-1 ORG_AUTH_CLI SSL_SERVEUR"],
    findings: ["CONTRACT_SIGNATORY_DEFAULTED"],
    presented: "EJ",
  },
  "clinique-contrat-eg.yaml": {
    forms: ["413-1 SSL_SERVEUR"],
    findings: ["EG_PRESENTED", "HABILITATION_RESTRICTED"],
    presented: "EG",
  },
  "ehpad-mandataire-tom.yaml": {
    forms: ["contrat-structure", "101", "502-1", "413-2 ORG_AUTH_CLI SSL_SERVEUR"],
    findings: ["EG_PRESENTED", "VENDOR_TECHNICAL_ADMINISTRATOR"],
    presented: "EG",
  },
  "chu-deja-habilite.json": {
    forms: ["301-2", "413-2 ORG_AUTH_CLI SSL_SERVEUR"],
    findings: ["ALREADY_HABILITATED"],
    presented: "EJ",
  },
};

describe("exemples fournis (examples/)", () => {
  for (const [file, want] of Object.entries(expected)) {
    it(file, async () => {
      const r = await readAnswersFile(`examples/${file}`, ROOT, loadAnswersValidator());
      if (!r.ok) throw new Error(JSON.stringify(r.errors));
      const plan = await loadPlanner().plan(r.answers, r.warnings);
      expect(plan.forms.map((f) => [f.id, ...(f.offers ?? [])].join(" "))).toEqual(want.forms);
      expect(plan.findings.map((f) => f.code)).toEqual(want.findings);
      expect(plan.establishment.presentedEntity).toBe(want.presented);
    });
  }
});
