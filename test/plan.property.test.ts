import { readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadAnswersValidator, loadLabels, loadPlanner, loadRuleSet } from "../src/assets/index.js";
import { createPlanner, render, renderWithHandlebars } from "../src/plan/index.js";
import { ROOT } from "./helpers/answers.js";

/** Invariants of the plan over generated answers (fast-check), and its shortcuts checked against the reference. */

const USAGE = {
  ORG_AUTH_CLI:
    "Projet Diapason – usage authentification TLS mutuelle pour répondre au cas d’usage de l’authentification directe d’une personne morale (ES ou assimilé) vis-à-vis du PSP conformément aux spécifications du dispositif Diapason. Usage visé par l’équipe projet ASIP Santé N3",
  SSL_SERVEUR:
    "Projet Diapason – usage authentification TLS mutuelle pour répondre au cas d’usage de l’authentification directe d’un serveur (GAP) vis-à-vis du TPE conformément aux spécifications du dispositif Diapason. Usage visé par l’équipe projet ASIP Santé N3",
};

const name = fc.constantFrom("Élodie", "Jean-Noël", "Łukasz", "Nguyễn", "Œuvray", "García", "O'Neil", "Zoé");
// An xn-- label must decode to a valid name (DNS_PUNYCODE_INVALID): the generated ones are plain labels.
const label = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}[a-z0-9]$/).filter((l) => !l.startsWith("xn--"));

const designee = fc.record({
  role: fc.constantFrom("technicalAdministrator", "mandatary"),
  firstName: name,
  lastName: name,
  hasActiveCard: fc.boolean(),
  cardRequest: fc.option(fc.constantFrom("form301", "tom"), { nil: undefined }),
  vendor: fc.option(fc.constantFrom("Éditeur SIH SAS", "ACME"), { nil: undefined }),
  habilitation: fc.option(
    fc.record({ orgAuthCli: fc.boolean(), sslServer: fc.constantFrom("none", "restricted", "wholeDomain") }),
    { nil: undefined },
  ),
});

const answers = fc
  .record({
    exists: fc.boolean(),
    entity: fc.option(fc.constantFrom("EJ", "EG"), { nil: undefined }),
    geographicEntities: fc.integer({ min: 1, max: 40 }),
    lrCard: fc.boolean(),
    designees: fc.array(designee, { minLength: 1, maxLength: 6 }),
    server: label,
    sub: fc.option(label, { nil: undefined }),
    domain: fc.tuple(label, fc.constantFrom("fr", "com", "sante.fr")),
    keyGeneration: fc.constantFrom("online", "csr"),
    byMandatary: fc.boolean(),
  })
  .map((g) => {
    const designees = g.designees.map((d, i) => {
      const out: Record<string, unknown> = {
        role: d.role,
        firstName: d.firstName,
        lastName: d.lastName,
        email: `p${i}@ch.fr`,
      };
      out.hasActiveCard = d.hasActiveCard;
      if (!d.hasActiveCard && d.cardRequest) out.cardRequest = d.cardRequest;
      if (d.role === "technicalAdministrator") {
        if (d.vendor) out.vendor = d.vendor;
        if (d.habilitation) out.habilitation = d.habilitation;
      }
      return out;
    });
    const domain = g.domain.join(".");
    const hasMandatary = designees.some((d) => d.role === "mandatary");
    return {
      version: 1,
      establishment: {
        name: "CH",
        finessEJ: "010003812",
        finessEG: "010003820",
        geographicEntities: g.geographicEntities,
      },
      contract: g.exists
        ? { exists: true, signedAt: g.entity ?? "EJ" }
        : { exists: false, ...(g.entity ? { signatory: g.entity } : {}) },
      legalRepresentative: {
        firstName: "Marie",
        lastName: "Durand",
        email: "dir@ch.fr",
        hasActiveCard: g.lrCard,
      },
      designees,
      gap: { fqdn: [g.server, g.sub, domain].filter(Boolean).join("."), domain },
      keyGeneration: g.keyGeneration,
      ...(g.byMandatary && hasMandatary ? { form413SignedBy: "mandatary" } : {}),
    };
  });

const planSchema = JSON.parse(readFileSync(join(ROOT, "schemas", "plan.schema.json"), "utf8"));
const checkPlan = new Ajv2020.default({ allErrors: true, strict: false }).compile(planSchema);

describe("invariants du plan (réponses générées)", () => {
  it("tient sur toutes les combinaisons de réponses", async () => {
    await fc.assert(
      fc.asyncProperty(answers, async (input) => {
        const result = loadAnswersValidator().validate(input);
        if (!result.ok) throw new Error(JSON.stringify(result.errors));
        const plan = await loadPlanner().plan(result.answers, result.warnings);
        expect(checkPlan(plan), JSON.stringify(checkPlan.errors)).toBe(true);

        input.designees.forEach((d, i) => {
          const n = i + 1;
          const has301 = plan.forms.some((f) => f.id === `301-${n}`);
          const hasTom = plan.steps.some((s) => s.id === `tom-${n}`);
          // A designee without card gets exactly one of form 301 or a TOM step; one with a card, neither.
          expect(Number(has301) + Number(hasTom)).toBe(d.hasActiveCard ? 0 : 1);
          expect(plan.forms.some((f) => f.id === `502-${n}`)).toBe(d.role === "mandatary");
          // A 413 exactly for each technical administrator not fully habilitated, with the missing offers only.
          const h = (d.habilitation as { orgAuthCli: boolean; sslServer: string } | undefined) ?? {
            orgAuthCli: false,
            sslServer: "none",
          };
          const missing =
            d.role !== "technicalAdministrator"
              ? []
              : [
                  ...(h.orgAuthCli ? [] : ["ORG_AUTH_CLI"]),
                  ...(h.sslServer === "wholeDomain" ? [] : ["SSL_SERVEUR"]),
                ];
          const f413 = plan.forms.find((f) => f.id === `413-${n}`);
          expect(f413?.offers ?? []).toEqual(missing);
        });
        expect(plan.forms.filter((f) => f.form === "contrat-structure")).toHaveLength(
          input.contract.exists ? 0 : 1,
        );
        expect(plan.forms.some((f) => f.form === "101")).toBe(
          !input.contract.exists || !input.legalRepresentative.hasActiveCard,
        );
        // The usage wording is never altered.
        for (const c of plan.certificates) expect(c.usage).toBe(USAGE[c.profile]);
        expect(plan.certificates.find((c) => c.profile === "SSL_SERVEUR")?.habilitationDomain).toBe(
          `*${input.gap.domain}`,
        );
        expect(plan.certificates.find((c) => c.profile === "SSL_SERVEUR")?.commonName).toBe(input.gap.fqdn);
        // Steps are numbered 1..n; every document a step names is a form of the plan.
        expect(plan.steps.map((s) => s.number)).toEqual(plan.steps.map((_, i) => i + 1));
        const ids = new Set(plan.forms.map((f) => f.id));
        for (const s of plan.steps) for (const d of s.documents) expect(ids).toContain(d);
        // The steps form an ordered graph: each comes after earlier steps only, waits only for events the plan
        // lists, yielded by earlier steps; every awaited event is yielded and awaited, and says so both ways.
        const numbers = new Map(plan.steps.map((s) => [s.id, s.number]));
        const awaited = new Map(plan.awaited.map((a) => [a.id, a]));
        for (const s of plan.steps) {
          for (const b of s.after) expect(numbers.get(b) ?? Infinity).toBeLessThan(s.number);
          expect(s.when).toMatch(/^(Dès maintenant|Après|À réception de)/);
          expect(s.when === "Dès maintenant : rien à attendre.").toBe(
            s.after.length === 0 && s.waitsFor.length === 0,
          );
          for (const w of s.waitsFor) {
            for (const a of w.awaited) {
              const item = awaited.get(a);
              expect(item, a).toBeDefined();
              expect(item?.awaitedBy).toContain(s.id);
              for (const y of item?.yieldedBy ?? [])
                expect(numbers.get(y) ?? Infinity).toBeLessThan(s.number);
            }
          }
        }
        for (const a of plan.awaited) {
          expect(a.yieldedBy.length).toBeGreaterThan(0);
          expect(a.awaitedBy.length).toBeGreaterThan(0);
        }
        // The n°413 is never sent before what it waits for: a card not yet held is always awaited.
        for (const s of plan.steps.filter((x) => x.id.startsWith("formulaire-413-"))) {
          const d = input.designees[Number(s.id.slice("formulaire-413-".length)) - 1];
          const awaitedIds = s.waitsFor.flatMap((w) => w.awaited);
          if (d && !d.hasActiveCard) expect(awaitedIds.some((a) => a.startsWith("carte-"))).toBe(true);
          if (!input.contract.exists) expect(awaitedIds).toContain("contrat-enregistre");
        }
        expect(plan.findings.some((f) => f.code === "NO_TECHNICAL_ADMINISTRATOR")).toBe(
          !input.designees.some((d) => d.role === "technicalAdministrator"),
        );
        expect(plan.findings.some((f) => f.code === "EG_PRESENTED")).toBe(
          plan.contract.presentedEntity === "EG",
        );
      }),
      { numRuns: 300 },
    );
  });

  it("est déterministe : mêmes réponses, même plan", async () => {
    await fc.assert(
      fc.asyncProperty(answers, async (input) => {
        const r = loadAnswersValidator().validate(input);
        if (!r.ok) throw new Error("réponses refusées");
        const [a, b] = await Promise.all([loadPlanner().plan(r.answers), loadPlanner().plan(r.answers)]);
        expect(JSON.stringify(a)).toBe(JSON.stringify(b));
      }),
      { numRuns: 50 },
    );
  });
});

describe("raccourcis du plan : même plan que sans eux", () => {
  it("les décisions mémorisées donnent le plan du moteur lancé à chaque fois", async () => {
    const assets = {
      ruleSet: loadRuleSet(),
      labels: loadLabels(),
      toolVersion: (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string })
        .version,
    };
    const engineEveryTime = createPlanner(assets, { memo: 0 });
    const remembering = createPlanner(assets, { memo: 4 });
    await fc.assert(
      fc.asyncProperty(answers, fc.integer({ min: 1, max: 100_000 }), async (input, geographicEntities) => {
        for (const entities of [input.establishment.geographicEntities, geographicEntities]) {
          const r = loadAnswersValidator().validate({
            ...input,
            establishment: { ...input.establishment, geographicEntities: entities },
          });
          if (!r.ok) throw new Error(JSON.stringify(r.errors));
          const expected = JSON.stringify(await engineEveryTime.plan(r.answers, r.warnings));
          expect(JSON.stringify(await loadPlanner().plan(r.answers, r.warnings))).toBe(expected);
          expect(JSON.stringify(await remembering.plan(r.answers, r.warnings))).toBe(expected);
        }
      }),
      { numRuns: 150 },
    );
  });

  /** Every text template of the rules and labels. */
  const templates = [
    ...new Set(
      [...loadRuleSet().files.map((f) => f.rules), loadLabels()].flatMap(function strings(
        v: unknown,
      ): string[] {
        if (typeof v === "string") return [v];
        if (typeof v === "object" && v !== null) return Object.values(v).flatMap(strings);
        return [];
      }),
    ),
  ].filter((t) => t.includes("{{"));
  const names = [
    ...new Set(
      templates.flatMap((t) => [...t.matchAll(/\{\{([^}]*)\}\}/g)].flatMap((m) => m[1]?.split(".") ?? [])),
    ),
    "a",
    "b",
    "length",
    "constructor",
    "if",
  ];
  const leaf = fc.oneof(
    fc.string({ maxLength: 8 }),
    fc.constantFrom("", "{{gap.fqdn}}", "Zoé  Łukasz", "\\{{a}}"),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constantFrom(null, undefined, () => "lambda", ["x", "y"], Object.create({ inherited: 1 })),
  );
  const context = fc.dictionary(
    fc.constantFrom(...names),
    fc.oneof(leaf, fc.dictionary(fc.constantFrom(...names), leaf, { maxKeys: 6 })),
    { maxKeys: 8 },
  );
  const outcome = (f: () => string) => {
    try {
      return { text: f() };
    } catch (error) {
      return { error: (error as Error).message };
    }
  };
  const same = (template: string, ctx: object): void => {
    expect(outcome(() => render(template, ctx))).toEqual(outcome(() => renderWithHandlebars(template, ctx)));
  };

  it("le rendu rapide des textes est celui de Handlebars (textes des règles et libellés)", () => {
    expect(templates.length).toBeGreaterThan(30);
    fc.assert(
      fc.property(fc.constantFrom(...templates), context, (template, ctx) => {
        same(template, ctx);
      }),
      { numRuns: 3000 },
    );
  });

  it("le rendu rapide des textes est celui de Handlebars (cas choisis)", () => {
    const values = { a: { x: 1, y: 2, t: true, s: "s", n: null, u: undefined, f: () => "f", o: {} } };
    for (const template of [
      "{{a.x}}{{a.y}}",
      "{{a.x}}{{a.y}}{{a.s}}",
      "{{a.x}}{{a.s}}{{a.y}}",
      "x{{a.x}}{{a.y}}",
      "{{a.t}}{{a.t}}",
      "{{a.n}}{{a.u}}{{a.f}}{{a.o}}",
      "{{a.z}}",
      "{{b.x}}",
      "",
      "texte",
    ])
      same(template, values);
    expect(render("{{a.x}}{{a.y}} €", values)).toBe("3 €");
  });

  it("le rendu rapide des textes est celui de Handlebars (gabarits quelconques)", () => {
    const piece = fc.constantFrom(
      "{{gap.fqdn}}",
      "{{fullName}}",
      "{{names}}",
      "{{designee.fullName}}",
      "{{a.b}}",
      "{{a.length}}",
      "{{ a }}",
      "{{a.b.a}}",
      "{{{a}}}",
      "{{this.a}}",
      "{{if}}",
      "{{a.constructor}}",
      "{{a/b}}",
      "{{@root.a}}",
      "{{!a}}",
      "{{true}}",
      "{{else}}",
      "\\{{a}}",
      "{",
      "}",
      "{{",
      "}}",
      " texte é ",
      "\n",
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 6 }), context, (pieces, ctx) => {
        same(pieces.join(""), ctx);
      }),
      { numRuns: 3000 },
    );
  });
});
