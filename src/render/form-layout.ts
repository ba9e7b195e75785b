import { isWinAnsiCodePoint } from "./fonts.js";

/**
 * The declarative source of a form template (templates/forms/src/<form>.layout.json): page furniture,
 * numbered sections, and rows of cells on a 12-column grid. The builder computes every rectangle from it.
 */

export interface TextCell {
  kind: "text";
  /** The AcroForm field name, e.g. `etablissement.raison_sociale`. */
  name: string;
  label: string;
  span: number;
  /** Visible lines; more than one makes a multi-line field. */
  lines?: number;
  /** One box per character (FINESS): the field's maximum length. */
  comb?: number;
  fontSize?: number;
  /** Small text right of the label, e.g. « à compléter à la main ». */
  hint?: string;
}

export interface CheckboxCell {
  kind: "checkbox";
  name: string;
  label: string;
  span: number;
}

export interface SignatureCell {
  kind: "signature";
  name: string;
  label: string;
  span: number;
  height: number;
}

export interface BoxCell {
  kind: "box";
  label: string;
  span: number;
  height: number;
}

export interface ParagraphCell {
  kind: "paragraph";
  text: string;
  span: number;
  style?: "regular" | "bold" | "small";
}

export interface ListCell {
  kind: "list";
  items: string[];
  span: number;
}

export type LayoutCell = TextCell | CheckboxCell | SignatureCell | BoxCell | ParagraphCell | ListCell;

export interface LayoutSection {
  title: string;
  note?: string;
  rows: LayoutCell[][];
}

export interface FormLayout {
  form: string;
  /** The template file written by the builder, e.g. `413.pdf`. */
  file: string;
  /** Fixed date of the template (its version), for byte-identical builds. */
  modelDate: string;
  document: { title: string; subject: string; keywords: string };
  header: {
    organization: string[];
    formLabel: string;
    formNumber: string;
    title: string;
    subtitle?: string;
    continuation: string;
  };
  intro: string[];
  sections: LayoutSection[];
  footer: string;
  /** e.g. `Page {{page}}/{{pages}}`. */
  pageLabel: string;
}

export const GRID_COLUMNS = 12;

function texts(layout: FormLayout): string[] {
  const out = [
    layout.document.title,
    layout.document.subject,
    layout.document.keywords,
    ...layout.header.organization,
    layout.header.formLabel,
    layout.header.formNumber,
    layout.header.title,
    layout.header.subtitle ?? "",
    layout.header.continuation,
    ...layout.intro,
    layout.footer,
    layout.pageLabel,
  ];
  for (const section of layout.sections) {
    out.push(section.title, section.note ?? "");
    for (const row of section.rows) {
      for (const cell of row) {
        if ("label" in cell) out.push(cell.label);
        if (cell.kind === "text") out.push(cell.hint ?? "");
        if (cell.kind === "paragraph") out.push(cell.text);
        if (cell.kind === "list") out.push(...cell.items);
      }
    }
  }
  return out;
}

/** Checks a layout before building: a wrong layout is a fault of whoever edits the sources, so it throws. */
export function checkLayout(layout: FormLayout, source: string): void {
  const problems: string[] = [];
  const names = new Set<string>();
  layout.sections.forEach((section, s) => {
    section.rows.forEach((row, r) => {
      const span = row.reduce((sum, cell) => sum + cell.span, 0);
      if (span > GRID_COLUMNS) problems.push(`section ${s + 1}, ligne ${r + 1} : ${span} colonnes sur 12`);
      for (const cell of row) {
        if (!("name" in cell)) continue;
        if (names.has(cell.name)) problems.push(`champ « ${cell.name} » en double`);
        names.add(cell.name);
      }
    });
  });
  for (const text of texts(layout)) {
    for (const char of text) {
      if (!isWinAnsiCodePoint(char.codePointAt(0) ?? 0)) {
        problems.push(`caractère « ${char} » hors WinAnsi dans « ${text.slice(0, 40)} »`);
      }
    }
  }
  if (problems.length > 0) throw new Error(`mise en page ${source} invalide : ${problems.join(" ; ")}`);
}
