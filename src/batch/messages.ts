import { catalogue, type Text } from "../assets/texts.js";

/**
 * The batch's wording (templates/text/batch.fr.json): messages about the input, the report's words, the
 * progress lines. The words are in the file; here, only how numbers are written and which form is chosen.
 */

/** What the code reads in templates/text/batch.fr.json, with the placeholders it fills. */
export const BATCH_TEXTS_SHAPE = {
  input: {
    unknownColumn: ["letter", "header", "suggestion"],
    didYouMean: ["near"],
    duplicateColumn: ["letter", "header", "first"],
    noColumns: [],
    extraCells: ["cells", "headers"],
    cellError: ["header", "error"],
    leadingZero: ["header", "written", "restored"],
    designeeRenumbered: ["written", "used"],
    designeeLabel: ["n"],
    csvSyntax: ["reason"],
    csvQuoteNotClosed: ["from", "to"],
    csvOther: [],
    jsonlLine: [],
    jsonlColumn: ["column"],
    unknownFormat: ["file"],
    notFound: ["file"],
    unreadable: ["file", "reason"],
    emptyFile: ["file"],
    binaryCsv: ["file"],
    badXlsx: ["file", "reason"],
    notAnArchive: [],
    emptyFolder: ["folder"],
    headerProblems: ["file"],
  },
  sources: {
    csv: ["encoding", "bom", "delimiter"],
    bom: [],
    semicolon: [],
    comma: [],
    tab: [],
    folder: ["n"],
    jsonl: [],
    xlsx: [],
  },
  output: {
    outputRequired: [],
    outputNotEmpty: ["dir"],
    outputNotFolder: ["dir"],
    resumeAndForce: [],
    templateWithInput: [],
    templateFormat: ["file"],
    templateExists: ["file"],
    templateWritten: ["files"],
    jobs: ["value"],
    compareNotReport: ["file"],
    writeFailed: ["path", "reason"],
  },
  rows: {
    internalError: ["detail"],
    resumed: [],
    interrupted: [],
    duplicateEstablishment: ["firstLine", "folder"],
    unnamedFolder: [],
    duplicateFolder: ["base", "line"],
  },
  progress: {
    reading: ["file", "description", "lines"],
    line: ["done", "total", "percent", "rate", "left", "rejected"],
    rejected: ["lines"],
    bar: [],
    interruptedNotice: [],
    seconds: ["s"],
    minutes: ["m", "s"],
    hours: ["h", "m"],
    unknownDuration: [],
  },
  summary: {
    batchDone: [],
    batchInterrupted: [],
    checkDone: [],
    checkInterrupted: [],
    line: ["title", "lines", "produced", "resumed", "rejected", "notDone"],
    resumed: ["n"],
    notDone: ["lines"],
    noRows: [],
    reportWritten: ["xlsx", "csv", "json"],
    seeReport: [],
    resumeHint: [],
  },
  counts: {
    lines: {
      one: ["n"],
      many: ["n"],
    },
    validLines: {
      one: ["n"],
      many: ["n"],
    },
    readyDossiers: {
      one: ["n"],
      many: ["n"],
    },
    rejectedLines: {
      one: ["n"],
      many: ["n"],
    },
    notDoneLines: {
      one: ["n"],
      many: ["n"],
    },
  },
  compare: {
    status: ["before", "after"],
    formAdded: ["form"],
    formRemoved: ["form"],
    decisionAdded: ["decision"],
    decisionRemoved: ["decision"],
    reprint: [],
    title: ["file"],
    rulesChanged: ["before", "after"],
    counts: ["changed", "unchanged", "added", "missing"],
    changed: ["line", "establishment", "details"],
    moreChanged: ["n"],
    missing: ["establishment", "line"],
    moreMissing: ["n"],
    unnamed: [],
    detailSeparator: [],
  },
  decisions: {
    contractToSign: ["signatory", "finess"],
    contractExists: [],
    presentedEntity: ["entity", "finess"],
    form: ["title", "designee", "offers", "signatory"],
    formDesignee: ["firstName", "lastName"],
    formOffers: ["offers"],
    offersSeparator: [],
    certificate: ["profile", "service", "commonName", "habilitation"],
    habilitation: ["domain"],
    keyGeneration: ["label"],
    finding: ["message"],
  },
  report: {
    sheet: [],
    headers: {
      line: [],
      file: [],
      establishment: [],
      finessEG: [],
      status: [],
      folder: [],
      forms: [],
      warnings: [],
      errors: [],
      changes: [],
      note: [],
    },
    statuses: {
      ok: [],
      erreur: [],
      interrompu: [],
      "non-ecrit": [],
    },
    changes: {
      nouveau: [],
      inchangé: [],
      modifié: [],
    },
    change: ["kind", "details"],
    fileIssue: ["file", "message"],
    columnIssue: ["column", "message"],
    missingColumnIssue: ["column", "message"],
  },
  template: {
    sheets: {
      rows: [],
      columns: [],
      lists: [],
    },
    notes: {
      rows: [],
      empty: [],
      choices: [],
      designees: ["max"],
      comments: [],
    },
    yes: [],
    no: [],
    yesPerDesignee: [],
    values: {
      boolean: [],
      integer: ["minimum", "maximum"],
      minimum: ["n"],
      maximum: ["n"],
      choice: ["title", "code"],
      choiceSeparator: [],
      digits: ["n"],
      phone: [],
      text: [],
    },
    explanationHeaders: {
      column: [],
      path: [],
      required: [],
      values: [],
      description: [],
    },
    columnsFile: [],
  },
} as const;

/** The batch's texts, read and checked on first use. */
export const batchTexts = catalogue("text/batch.fr.json", BATCH_TEXTS_SHAPE);

const fr = new Intl.NumberFormat("fr-FR");

/** 10 000 with the narrow no-break space French typing uses. */
export function count(n: number): string {
  return fr.format(n);
}

/** A counted noun: the singular form up to 1, the plural from 2 on, the number written the French way. */
export function plural(n: number, forms: { one: Text<readonly ["n"]>; many: Text<readonly ["n"]> }): string {
  return (n >= 2 ? forms.many : forms.one)({ n: count(n) });
}

export function duration(seconds: number): string {
  const t = batchTexts().progress;
  if (!Number.isFinite(seconds) || seconds < 0) return t.unknownDuration();
  const s = Math.round(seconds);
  if (s < 60) return t.seconds({ s });
  const m = Math.floor(s / 60);
  if (m < 60) return t.minutes({ m, s: String(s % 60).padStart(2, "0") });
  return t.hours({ h: Math.floor(m / 60), m: String(m % 60).padStart(2, "0") });
}

const counts = () => batchTexts().counts;

/** The batch's messages that are more than one text: a suggestion, a count, a choice of words. */
export const batchText = {
  unknownColumn: (header: string, letter: string, near: string | undefined) => {
    const input = batchTexts().input;
    return input.unknownColumn({ letter, header, suggestion: near ? input.didYouMean({ near }) : "" });
  },
  templateWritten: (files: string[]) => batchTexts().output.templateWritten({ files: files.join(", ") }),
  reading: (file: string, rows: number, description: string) =>
    batchTexts().progress.reading({ file, description, lines: plural(rows, counts().lines) }),
  progressLine: (done: number, total: number, rate: number, left: number, rejected: number) =>
    batchTexts().progress.line({
      done: count(done),
      total: count(total),
      percent: total === 0 ? 100 : Math.floor((done * 100) / total),
      rate: rate.toFixed(1).replace(".", ","),
      left: duration(left),
      rejected:
        rejected > 0
          ? batchTexts().progress.rejected({ lines: plural(rejected, counts().rejectedLines) })
          : "",
    }),
  summary: (
    s: { total: number; ok: number; rejected: number; interrupted: number; resumed: number },
    check: boolean,
  ) => {
    const t = batchTexts().summary;
    const stopped = s.interrupted > 0;
    return t.line({
      title: (check
        ? stopped
          ? t.checkInterrupted
          : t.checkDone
        : stopped
          ? t.batchInterrupted
          : t.batchDone)(),
      lines: plural(s.total, counts().lines),
      produced: plural(s.ok, check ? counts().validLines : counts().readyDossiers),
      resumed: s.resumed > 0 ? t.resumed({ n: count(s.resumed) }) : "",
      rejected: plural(s.rejected, counts().rejectedLines),
      notDone: stopped ? t.notDone({ lines: plural(s.interrupted, counts().notDoneLines) }) : "",
    });
  },
};
