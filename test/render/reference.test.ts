import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  PDFCheckBox,
  PDFDocument,
  PDFDropdown,
  PDFOptionList,
  PDFRadioGroup,
  PDFTextField,
} from "@cantoo/pdf-lib";
import { beforeAll, describe, expect, it } from "vitest";
import YAML from "yaml";
import type { Answers } from "../../src/answers/types.js";
import { loadAnswersValidator, loadLabels, loadPlanner } from "../../src/assets/index.js";
import { type DossierDeps, dossierFormNames, layoutRouteSheet } from "../../src/dossier/build.js";
import { answersHash } from "../../src/dossier/canonical.js";
import { parisDay } from "../../src/dossier/dates.js";
import { loadDossierDeps } from "../../src/dossier/deps.js";
import { form413Recipient } from "../../src/dossier/email.js";
import { routeSheetView } from "../../src/dossier/route-view.js";
import { formFill } from "../../src/forms/fill.js";
import { mappingContext } from "../../src/forms/mapping.js";
import { type FormTemplateSet, loadFormTemplates } from "../../src/forms/templates.js";
import type { Plan } from "../../src/plan/types.js";
import { type FieldFill, fillForm, type LaidOutPage, writeTextDocument } from "../../src/render/index.js";
import { ROOT } from "../helpers/answers.js";
import { PDFTOTEXT, qpdfCheck } from "../helpers/pdf-tools.js";
import { CH_VILLE, METADATA, planOf, tempDir, userTemplate } from "../pdf/tools.js";
import { referenceFillForm, referenceWriteTextDocument } from "./reference.js";

/**
 * The fence's two PDF writers against their references on pdf-lib's public API (./reference.ts), compared
 * through what a reader sees, never through bytes: both pass `qpdf --check`; an editable form gives the same
 * field values, those the fill asked for; a flattened form and the route sheet give the same words (pdftotext).
 * The inputs are real: each plan form of each bundled example (validated, planned, filled by src/forms), and the
 * route sheet of each example as src/layout lays it out; plus edge cases (Unicode font, annex, a user's template
 * with a dropdown and radio buttons).
 */

const LABELS = loadLabels();
const DIR = tempDir();
let written = 0;

function save(name: string, bytes: Uint8Array): string {
  const path = join(DIR, `${++written}-${name}.pdf`);
  writeFileSync(path, bytes);
  return path;
}

/** The words pdftotext reads, page by page (whitespace normalised: a word is a run of non-space characters). */
function pageWords(path: string): string[][] {
  const text = execFileSync(PDFTOTEXT, ["-enc", "UTF-8", path, "-"], { encoding: "utf8" });
  // pdftotext ends every page with a form feed, the last one included.
  return text
    .split("\f")
    .slice(0, -1)
    .map((page) => page.split(/\s+/).filter(Boolean));
}

const sorted = (words: readonly string[]) => [...words].sort();

type Value = string | boolean | string[] | undefined;

/** Every field's value, read back with pdf-lib's public form API. */
async function fieldValues(bytes: Uint8Array): Promise<Map<string, Value>> {
  const values = new Map<string, Value>();
  for (const field of (await PDFDocument.load(bytes)).getForm().getFields()) {
    const name = field.getName();
    if (field instanceof PDFTextField) values.set(name, field.getText() ?? "");
    else if (field instanceof PDFCheckBox) values.set(name, field.isChecked());
    else if (field instanceof PDFRadioGroup) values.set(name, field.getSelected());
    else if (field instanceof PDFDropdown || field instanceof PDFOptionList)
      values.set(name, field.getSelected());
    else values.set(name, undefined);
  }
  return values;
}

/** What a reader should read back for each field filled (a radio group: the option of its « on » state). */
async function expectedValues(
  templateBytes: Uint8Array,
  fields: readonly FieldFill[],
): Promise<Map<string, Value>> {
  const form = (await PDFDocument.load(templateBytes)).getForm();
  const expected = new Map<string, Value>();
  for (const fill of fields) {
    if (fill.kind === "checkbox") expected.set(fill.name, fill.checked);
    else if (fill.kind === "radio") {
      const group = form.getRadioGroup(fill.name);
      const index = group.acroField.getOnValues().findIndex((on) => on.decodeText() === fill.state);
      expected.set(fill.name, group.getOptions()[index]);
    } else {
      const field = form.getField(fill.name);
      expected.set(fill.name, field instanceof PDFTextField ? fill.value : [fill.value]);
    }
  }
  return expected;
}

interface FormCase {
  /** What the case is, in the tests' names. */
  name: string;
  templates: FormTemplateSet;
  /** The folder of the templates' PDF files (the user's original file, not the fence's rewritten one). */
  dir: string;
  answers: Answers;
  plan: Plan;
}

/** Each plan form's fill, with its template's bytes. */
function fillsOf(c: FormCase) {
  return c.plan.forms.map((planForm) => {
    const template = c.templates.templates.get(planForm.form);
    if (!template) throw new Error(`pas de modèle ${planForm.form}`);
    const fill = formFill(template, mappingContext(c.plan, planForm, c.answers, LABELS));
    const templateBytes = new Uint8Array(readFileSync(join(c.dir, template.mapping.template)));
    return { id: planForm.id, template, templateBytes, ...fill };
  });
}

/** The two writers on the same fill, editable or flattened, written to files. */
async function bothFills(fill: ReturnType<typeof fillsOf>[number], flatten: boolean) {
  const fence = fillForm(fill.template.structure, fill.fields, fill.annex, { flatten, metadata: METADATA });
  const reference = await referenceFillForm(fill.templateBytes, fill.fields, fill.annex, { flatten });
  const tag = `${fill.id}-${flatten ? "aplati" : "rempli"}`;
  return {
    fence,
    reference,
    fencePath: save(`${tag}-fence`, fence),
    referencePath: save(`${tag}-ref`, reference),
  };
}

function checkForms(cases: () => FormCase[]) {
  it("formulaires remplis : qpdf --check accepte la barrière et la référence", async () => {
    for (const c of cases())
      for (const fill of fillsOf(c))
        for (const flatten of [false, true]) {
          const { fencePath, referencePath } = await bothFills(fill, flatten);
          for (const path of [fencePath, referencePath])
            expect(qpdfCheck(path), `${c.name} ${path}`).toMatchObject({ ok: true });
        }
  });

  it("formulaires modifiables : mêmes valeurs relues des deux côtés, celles que le remplissage demande", async () => {
    for (const c of cases())
      for (const fill of fillsOf(c)) {
        const { fence, reference } = await bothFills(fill, false);
        const fenceValues = await fieldValues(fence);
        const referenceValues = await fieldValues(reference);
        const where = `${c.name}, ${fill.id}`;
        expect(fenceValues.size, where).toBeGreaterThan(0);
        expect(Object.fromEntries(fenceValues), where).toEqual(Object.fromEntries(referenceValues));
        const expected = await expectedValues(fill.templateBytes, fill.fields);
        for (const [name, value] of expected)
          expect(fenceValues.get(name), `${where}: ${name}`).toEqual(value);
      }
  });

  it("formulaires aplatis : mêmes pages, mêmes mots par page (pdftotext)", async () => {
    for (const c of cases())
      for (const fill of fillsOf(c)) {
        const flat = await bothFills(fill, true);
        const { fencePath, referencePath } = flat;
        const fence = pageWords(fencePath);
        const reference = pageWords(referencePath);
        const where = `${c.name}, ${fill.id}`;
        expect(fence.length, where).toBe(reference.length);
        // The words of each page as a multiset, not in order: the fence draws the runs laid out by src/forms,
        // the reference lets pdf-lib lay the value out in its own way (its own padding, line breaks and vertical
        // position), and pdftotext orders a page's text by position: a field whose text sits a point higher or
        // wraps elsewhere comes out before or after a neighbouring label.
        fence.forEach((words, i) => {
          expect(sorted(words), `${where}, page ${i + 1}`).toEqual(sorted(reference[i] ?? []));
        });
        // The words the fill drew are among them (the check is not vacuous); a comb field's characters, drawn
        // one per cell, may come out as one word.
        const joined = fence.flat().join("");
        for (const f of fill.fields)
          if (f.kind === "text")
            for (const run of f.widgets.flatMap((w) => w.runs))
              expect(joined, `${where}: ${run.text}`).toContain(run.text.replace(/\s+/g, ""));
        // Flattened, the fence keeps the signature fields (for an electronic signature) and the buttons
        // interactive (src/render/flatten.ts), nothing else; pdf-lib's flatten removes every field (reference.ts).
        const interactive = fill.template.structure.fields
          .filter((f) => f.kind === "signature" || f.kind === "button")
          .map((f) => f.name);
        expect([...(await fieldValues(flat.fence)).keys()].sort(), where).toEqual(interactive.sort());
        expect((await fieldValues(flat.reference)).size, where).toBe(0);
      }
  });
}

/** Each bundled example, validated and planned. */
async function examples(): Promise<{ name: string; answers: Answers; plan: Plan }[]> {
  const validator = loadAnswersValidator();
  const planner = loadPlanner();
  const dir = join(ROOT, "examples");
  const files = readdirSync(dir).filter((f) => /\.(ya?ml|json)$/.test(f));
  return Promise.all(
    files.map(async (name) => {
      const result = validator.validate(YAML.parse(readFileSync(join(dir, name), "utf8")));
      if (!result.ok) throw new Error(`${name}: ${JSON.stringify(result.errors)}`);
      return { name, answers: result.answers, plan: await planner.plan(result.answers, result.warnings) };
    }),
  );
}

const BUNDLED = join(ROOT, "templates", "forms");
const DESIGNEE = CH_VILLE.designees[0];

describe("fillForm et sa référence (API publique de pdf-lib)", () => {
  let exampleCases: FormCase[] = [];
  let edgeCases: FormCase[] = [];
  beforeAll(async () => {
    const bundled = await loadFormTemplates();
    exampleCases = (await examples()).map((e) => ({ ...e, templates: bundled, dir: BUNDLED }));
    expect(exampleCases.length).toBeGreaterThan(2);
    const unicode = await planOf({ designees: [{ ...DESIGNEE, firstName: "Văn An", lastName: "Nguyễn" }] });
    const position =
      "Responsable du service informatique, de la sécurité des systèmes d'information et des réseaux";
    const annexed = await planOf({ designees: [{ ...DESIGNEE, position }] });
    const userDir = tempDir();
    const { pdf, mapping } = await userTemplate();
    writeFileSync(join(userDir, "formulaire-officiel-413.pdf"), pdf);
    writeFileSync(join(userDir, "413.mapping.json"), JSON.stringify(mapping));
    const user = await loadFormTemplates({ dir: userDir });
    const plain = await planOf({ designees: [DESIGNEE] });
    edgeCases = [
      { name: "Nguyễn Văn An", templates: bundled, dir: BUNDLED, ...unicode },
      { name: "texte en annexe", templates: bundled, dir: BUNDLED, ...annexed },
      {
        name: "modèle de l'utilisateur",
        templates: user,
        dir: userDir,
        ...plain,
        plan: { ...plain.plan, forms: plain.plan.forms.filter((f) => f.form === "413") },
      },
    ];
    // The edge cases are what they say: DejaVu Sans drawn, an annex page, a radio group and a dropdown.
    const [unicodeFills, annexFills, userFills] = edgeCases.map(fillsOf);
    expect(
      unicodeFills?.some((f) => f.fields.some((x) => x.kind === "text" && x.font.family === "unicode")),
    ).toBe(true);
    expect(annexFills?.some((f) => f.annex.length > 0)).toBe(true);
    expect(userFills?.[0]?.fields.map((f) => f.kind)).toContain("radio");
  });

  describe("les exemples", () => checkForms(() => exampleCases));
  describe("les cas limites", () => checkForms(() => edgeCases));
});

describe("writeTextDocument et sa référence (API publique de pdf-lib)", () => {
  let deps: DossierDeps;
  beforeAll(async () => {
    const loaded = await loadDossierDeps();
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
    deps = loaded.deps;
  });

  /** The route sheet's laid-out pages for a plan, as buildDossier lays them out (no findings of form filling). */
  function routeSheetPages(answers: Answers, plan: Plan): LaidOutPage[] {
    const stamp = METADATA.date;
    const fileNames = dossierFormNames(plan, deps);
    const forms413 = plan.forms.filter((f) => f.form === "413");
    const view = routeSheetView({
      plan,
      answers,
      labels: deps.labels,
      fileNames,
      dates: { stamp, orderDay: parisDay(stamp), orderDayGiven: false },
      trace: {
        toolVersion: METADATA.toolVersion,
        rulesVersion: plan.generator.rulesVersion,
        answersHash: answersHash(answers),
      },
      fileFindings: [],
      parameters: deps.parameters,
      email:
        forms413.length > 0
          ? {
              fileName: deps.texts.files.email,
              to: form413Recipient(plan, new Set(forms413.map((f) => f.id))),
              attachments: forms413.map((f) => fileNames.get(f.id) ?? f.id),
            }
          : null,
    });
    // No block memo: each document laid out afresh (a memo's groups are the same marks, given again).
    return layoutRouteSheet(view, { texts: deps.texts }).pages;
  }

  async function compare(name: string, pages: LaidOutPage[]) {
    const fencePath = save(`${name}-feuille-fence`, await writeTextDocument(pages, METADATA));
    const referencePath = save(`${name}-feuille-ref`, await referenceWriteTextDocument(pages));
    expect(qpdfCheck(fencePath), name).toMatchObject({ ok: true });
    expect(qpdfCheck(referencePath), name).toMatchObject({ ok: true });
    const fence = pageWords(fencePath);
    const reference = pageWords(referencePath);
    expect(fence.length, name).toBe(pages.length);
    expect(reference.length, name).toBe(pages.length);
    // Same words in the same order: both draw the same marks at the same places.
    expect(fence, name).toEqual(reference);
    expect(fence.flat().length, name).toBeGreaterThan(100);
  }

  it("la feuille de route de chaque exemple : mêmes pages, mêmes mots dans le même ordre", async () => {
    const all = await examples();
    expect(all.length).toBeGreaterThan(2);
    for (const { name, answers, plan } of all) await compare(name, routeSheetPages(answers, plan));
  });

  it("une feuille de route en DejaVu Sans (Nguyễn Văn An) : mêmes mots, les lettres vietnamiennes lues", async () => {
    const { answers, plan } = await planOf({
      designees: [{ ...DESIGNEE, firstName: "Văn An", lastName: "Nguyễn" }],
    });
    const pages = routeSheetPages(answers, plan);
    await compare("nguyen", pages);
    const words = pageWords(save("nguyen-feuille-ref", await referenceWriteTextDocument(pages))).flat();
    expect(words).toContain("Nguyễn");
  });
});
