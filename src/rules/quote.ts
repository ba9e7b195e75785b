/**
 * A rule's quote is the procedure's sentence word for word, with the emphasis marks the procedure's text
 * carries (`**gras**`, `*italique*`, `<https://…>` links). This reads those marks once, for every place a
 * quote is shown (route sheet, plan text, questionnaire): text runs, bold where the procedure is bold.
 */

export interface QuoteRun {
  text: string;
  bold: boolean;
}

/**
 * In order of precedence at one place:
 * 1. `**<nom de domaine>*`: the procedure's bold wildcard before a placeholder (« du type **<nom de domaine>* »,
 *    whose example reads « *ch-ville.fr »): bold `*<nom de domaine>`, the asterisk being literal text;
 * 2. `**gras**`;
 * 3. `*italique*` after a space, parenthesis or « and before a space, punctuation or »: plain text (no italic);
 * 4. `<https://…>`: the address itself.
 */
const MARKS =
  /\*\*(<[^<>*]+>)\*(?!\*)|\*\*([^*]+?)\*\*|(^|[\s(«])\*([^*\s][^*]*?)\*(?=$|[\s.,;:)»])|<(https?:\/\/[^>\s]+)>/g;

/** A quote as text runs, its marks read. */
export function quoteRuns(quote: string): QuoteRun[] {
  const runs: QuoteRun[] = [];
  const push = (text: string, bold: boolean) => {
    if (text === "") return;
    const last = runs[runs.length - 1];
    if (last && last.bold === bold) last.text += text;
    else runs.push({ text, bold });
  };
  let at = 0;
  for (const m of quote.matchAll(MARKS)) {
    push(quote.slice(at, m.index), false);
    const [, wildcard, bold, before, italic, link] = m;
    if (wildcard !== undefined) push(`*${wildcard}`, true);
    else if (bold !== undefined) push(bold, true);
    else if (italic !== undefined) push(`${before ?? ""}${italic}`, false);
    else push(link ?? "", false);
    at = m.index + m[0].length;
  }
  push(quote.slice(at), false);
  return runs;
}

/** A quote as plain text, without emphasis. */
export function quoteText(quote: string): string {
  return quoteRuns(quote)
    .map((r) => r.text)
    .join("");
}
