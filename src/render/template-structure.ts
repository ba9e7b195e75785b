import {
  PDFArray,
  PDFDict,
  type PDFDocument,
  PDFHexString,
  PDFName,
  PDFNumber,
  type PDFObject,
  PDFRef,
  PDFStream,
  PDFString,
} from "./pdf-lib.js";

/**
 * What filling needs to know of a template, read once: its fields with their widgets, pages and trailer.
 * The parsed objects are shared by every fill of the process and never modified (fills clone them).
 */

export type FieldKind = "text" | "checkbox" | "radio" | "dropdown" | "listbox" | "button" | "signature";

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A widget as the outside sees it (src/forms): plain data. */
export interface FormWidget {
  rect: Rect;
  /** Index of the page that shows it, or -1 when no page does. */
  pageIndex: number;
  /** Checkbox or radio: the name of its "on" appearance (the state set in /V and /AS). */
  onValue?: string;
  /** Checkbox or radio: the value it stands for (the field's /Opt entry when present, else `onValue`). */
  exportValue?: string;
  hidden: boolean;
}

export interface TemplateWidget extends FormWidget {
  ref: PDFRef;
  dict: PDFDict;
  background?: number[];
  border?: number[];
  borderWidth: number;
}

export interface ChoiceOption {
  exportValue: string;
  display: string;
}

/** A field as the outside sees it (src/forms): plain data. */
export interface FormField {
  name: string;
  kind: FieldKind;
  widgets: FormWidget[];
  /** /TU when present, else the name: how a person knows the field. */
  label: string;
  multiline: boolean;
  comb: boolean;
  readOnly: boolean;
  required: boolean;
  maxLength?: number;
  /** The font size of its default appearance (0 = automatic). */
  fontSize: number;
  /** 0 left, 1 centre, 2 right. */
  quadding: number;
  options: ChoiceOption[];
  /** Checkbox or radio: the "on" values of its widgets. */
  exportValues: string[];
  value?: string;
}

export interface TemplateField extends FormField {
  ref: PDFRef;
  dict: PDFDict;
  /** The field's ancestor listed in the AcroForm's /Fields (itself when top-level). */
  topRef: PDFRef;
  widgets: TemplateWidget[];
  /** Default appearance: the operators other than Tf (colour). */
  colorOperators: string;
}

export interface TemplatePage {
  ref: PDFRef;
  dict: PDFDict;
  width: number;
  height: number;
  /** The page's resources, inherited ones included. */
  resources?: PDFDict;
  annots: PDFRef[];
}

export interface TemplateStructure {
  fields: TemplateField[];
  byName: ReadonlyMap<string, TemplateField>;
  pages: TemplatePage[];
  rootRef: PDFRef;
  catalog: PDFDict;
  /** Set when the AcroForm dictionary is an indirect object; otherwise it lives inside the catalog. */
  acroFormRef?: PDFRef;
  acroForm: PDFDict;
  pagesRootRef: PDFRef;
  pagesRoot: PDFDict;
  /** Trailer /Size of the template file. */
  size: number;
  infoRef?: PDFRef;
  id?: PDFObject;
  title?: string;
}

export function decodeText(obj: PDFObject | undefined): string | undefined {
  if (obj instanceof PDFString || obj instanceof PDFHexString) return obj.decodeText();
  if (obj instanceof PDFName) return obj.decodeText();
  return undefined;
}

function numbers(obj: PDFObject | undefined, doc: PDFDocument): number[] | undefined {
  const arr = doc.context.lookup(obj);
  if (!(arr instanceof PDFArray)) return undefined;
  const out: number[] = [];
  for (let i = 0; i < arr.size(); i++) {
    const n = doc.context.lookup(arr.get(i));
    out.push(n instanceof PDFNumber ? n.asNumber() : 0);
  }
  return out;
}

const FF = { readOnly: 1, required: 2, multiline: 1 << 12, radio: 1 << 15, push: 1 << 16, combo: 1 << 17 };
const COMB = 1 << 24;

interface Inherited {
  FT?: string;
  Ff: number;
  DA?: string;
  Q: number;
  MaxLen?: number;
  V?: PDFObject;
}

function parseDa(da: string | undefined): { fontSize: number; colorOperators: string } {
  const tf = /\/[^\s/]+\s+(\d*\.?\d+)\s+Tf/.exec(da ?? "");
  const colorOperators = (da ?? "").replace(/\/[^\s/]+\s+\d*\.?\d+\s+Tf/, "").trim();
  return { fontSize: tf ? Number(tf[1]) : 0, colorOperators: colorOperators || "0 g" };
}

function kindOf(ft: string | undefined, ff: number): FieldKind | undefined {
  switch (ft) {
    case "Tx":
      return "text";
    case "Btn":
      return ff & FF.push ? "button" : ff & FF.radio ? "radio" : "checkbox";
    case "Ch":
      return ff & FF.combo ? "dropdown" : "listbox";
    case "Sig":
      return "signature";
    default:
      return undefined;
  }
}

class StructureReader {
  readonly fields: TemplateField[] = [];
  private readonly annotPage = new Map<PDFRef, number>();

  constructor(
    private readonly doc: PDFDocument,
    readonly pages: TemplatePage[],
  ) {
    pages.forEach((page, index) => {
      for (const ref of page.annots) if (!this.annotPage.has(ref)) this.annotPage.set(ref, index);
    });
  }

  private lookupDict(obj: PDFObject | undefined): PDFDict | undefined {
    const d = this.doc.context.lookup(obj);
    return d instanceof PDFDict ? d : undefined;
  }

  private get(dict: PDFDict, key: string): PDFObject | undefined {
    return this.doc.context.lookup(dict.get(PDFName.of(key)));
  }

  walk(ref: PDFRef, parentName: string, inherited: Inherited, topRef: PDFRef, depth: number): void {
    const dict = this.lookupDict(ref);
    if (!dict || depth > 32) return;
    const partial = decodeText(this.get(dict, "T"));
    const name = partial === undefined ? parentName : parentName ? `${parentName}.${partial}` : partial;
    const ft = this.get(dict, "FT");
    const ff = this.get(dict, "Ff");
    const da = this.get(dict, "DA");
    const q = this.get(dict, "Q");
    const maxLen = this.get(dict, "MaxLen");
    const own: Inherited = {
      FT: ft instanceof PDFName ? ft.decodeText() : inherited.FT,
      Ff: ff instanceof PDFNumber ? ff.asNumber() : inherited.Ff,
      DA: decodeText(da instanceof PDFName ? undefined : da) ?? inherited.DA,
      Q: q instanceof PDFNumber ? q.asNumber() : inherited.Q,
      MaxLen: maxLen instanceof PDFNumber ? maxLen.asNumber() : inherited.MaxLen,
      V: dict.get(PDFName.of("V")) ?? inherited.V,
    };
    const kids = this.get(dict, "Kids");
    const kidRefs: PDFRef[] = [];
    if (kids instanceof PDFArray) {
      for (let i = 0; i < kids.size(); i++) {
        const kid = kids.get(i);
        if (kid instanceof PDFRef) kidRefs.push(kid);
      }
    }
    const fieldKids = kidRefs.filter((k) => {
      const kd = this.lookupDict(k);
      return kd !== undefined && kd.get(PDFName.of("T")) !== undefined;
    });
    if (fieldKids.length > 0) {
      for (const kid of fieldKids) this.walk(kid, name, own, topRef, depth + 1);
      return;
    }
    const widgetRefs = kidRefs.length > 0 ? kidRefs : [ref];
    this.addField(ref, dict, name, own, topRef, widgetRefs);
  }

  private addField(
    ref: PDFRef,
    dict: PDFDict,
    name: string,
    inh: Inherited,
    topRef: PDFRef,
    widgetRefs: PDFRef[],
  ): void {
    const kind = kindOf(inh.FT, inh.Ff);
    if (!kind) return;
    const widgets: TemplateWidget[] = [];
    for (const wref of widgetRefs) {
      const w = this.lookupDict(wref);
      if (!w) continue;
      const r = numbers(w.get(PDFName.of("Rect")), this.doc) ?? [0, 0, 0, 0];
      const [x1 = 0, y1 = 0, x2 = 0, y2 = 0] = r;
      const flags = this.get(w, "F");
      const mk = this.lookupDict(w.get(PDFName.of("MK")));
      const bs = this.lookupDict(w.get(PDFName.of("BS")));
      const bw = bs ? this.get(bs, "W") : undefined;
      const normal = this.lookupDict(this.lookupDict(w.get(PDFName.of("AP")))?.get(PDFName.of("N")));
      let onValue: string | undefined;
      if (normal && !(normal instanceof PDFStream)) {
        for (const key of normal.keys()) if (key.decodeText() !== "Off") onValue ??= key.decodeText();
      }
      const pRef = w.get(PDFName.of("P"));
      const pageIndex =
        this.annotPage.get(wref) ??
        (pRef instanceof PDFRef ? this.pages.findIndex((p) => p.ref === pRef) : -1);
      widgets.push({
        ref: wref,
        dict: w,
        rect: {
          x: Math.min(x1, x2),
          y: Math.min(y1, y2),
          width: Math.abs(x2 - x1),
          height: Math.abs(y2 - y1),
        },
        pageIndex,
        onValue,
        hidden: flags instanceof PDFNumber ? (flags.asNumber() & 2) !== 0 : false,
        background: mk ? numbers(mk.get(PDFName.of("BG")), this.doc) : undefined,
        border: mk ? numbers(mk.get(PDFName.of("BC")), this.doc) : undefined,
        borderWidth: bw instanceof PDFNumber ? bw.asNumber() : 1,
      });
    }
    const options: ChoiceOption[] = [];
    const opt = this.get(dict, "Opt");
    if (opt instanceof PDFArray) {
      for (let i = 0; i < opt.size(); i++) {
        const item = this.doc.context.lookup(opt.get(i));
        if (item instanceof PDFArray) {
          const exportValue = decodeText(this.doc.context.lookup(item.get(0))) ?? "";
          options.push({
            exportValue,
            display: decodeText(this.doc.context.lookup(item.get(1))) ?? exportValue,
          });
        } else {
          const text = decodeText(item) ?? "";
          options.push({ exportValue: text, display: text });
        }
      }
    }
    if (kind === "radio" || kind === "checkbox") {
      widgets.forEach((w, i) => {
        w.exportValue = options[i]?.exportValue ?? w.onValue;
      });
    }
    const { fontSize, colorOperators } = parseDa(inh.DA);
    const exportValues = [...new Set(widgets.flatMap((w) => (w.exportValue ? [w.exportValue] : [])))];
    this.fields.push({
      name,
      kind,
      ref,
      dict,
      topRef,
      widgets,
      label: decodeText(this.get(dict, "TU")) ?? name,
      multiline: kind === "text" && (inh.Ff & FF.multiline) !== 0,
      comb: kind === "text" && (inh.Ff & COMB) !== 0 && inh.MaxLen !== undefined,
      readOnly: (inh.Ff & FF.readOnly) !== 0,
      required: (inh.Ff & FF.required) !== 0,
      maxLength: inh.MaxLen,
      fontSize,
      colorOperators,
      quadding: inh.Q,
      options: kind === "radio" || kind === "checkbox" ? [] : options,
      exportValues,
      value: decodeText(this.doc.context.lookup(inh.V)),
    });
  }
}

/** Reads the structure of a parsed template. Returns undefined when the file has no AcroForm. */
export function readTemplateStructure(doc: PDFDocument): TemplateStructure | undefined {
  const context = doc.context;
  const rootRef = context.trailerInfo.Root;
  if (!(rootRef instanceof PDFRef)) return undefined;
  const catalog = context.lookup(rootRef, PDFDict);
  const pagesRootRef = catalog.get(PDFName.of("Pages"));
  if (!(pagesRootRef instanceof PDFRef)) return undefined;
  const pages: TemplatePage[] = doc.getPages().map((page) => {
    const annots = page.node.Annots();
    const refs: PDFRef[] = [];
    for (let i = 0; i < (annots?.size() ?? 0); i++) {
      const a = annots?.get(i);
      if (a instanceof PDFRef) refs.push(a);
    }
    const { width, height } = page.getSize();
    return { ref: page.ref, dict: page.node, width, height, resources: page.node.Resources(), annots: refs };
  });
  const acroFormObj = catalog.get(PDFName.of("AcroForm"));
  const acroForm = context.lookup(acroFormObj);
  if (!(acroForm instanceof PDFDict)) return undefined;
  const reader = new StructureReader(doc, pages);
  const fieldsArray = context.lookup(acroForm.get(PDFName.of("Fields")));
  const da = decodeText(context.lookup(acroForm.get(PDFName.of("DA"))));
  const q = context.lookup(acroForm.get(PDFName.of("Q")));
  if (fieldsArray instanceof PDFArray) {
    for (let i = 0; i < fieldsArray.size(); i++) {
      const ref = fieldsArray.get(i);
      if (!(ref instanceof PDFRef)) continue;
      reader.walk(ref, "", { Ff: 0, DA: da, Q: q instanceof PDFNumber ? q.asNumber() : 0 }, ref, 0);
    }
  }
  const infoRef = context.trailerInfo.Info;
  const info = context.lookup(infoRef);
  return {
    fields: reader.fields,
    byName: new Map(reader.fields.map((f) => [f.name, f])),
    pages,
    rootRef,
    catalog,
    acroFormRef: acroFormObj instanceof PDFRef ? acroFormObj : undefined,
    acroForm,
    pagesRootRef,
    pagesRoot: context.lookup(pagesRootRef, PDFDict),
    size: context.largestObjectNumber + 1,
    infoRef: infoRef instanceof PDFRef ? infoRef : undefined,
    id: context.trailerInfo.ID,
    title: info instanceof PDFDict ? decodeText(context.lookup(info.get(PDFName.of("Title")))) : undefined,
  };
}
