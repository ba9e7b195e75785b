/**
 * The line markup the route sheet template produces (see templates/text/feuille-de-route.hbs): one block per line,
 * its kind given by a prefix. Wording lives in the template; this only says what each line is.
 */

export type BlockKind =
  | "title"
  | "section"
  | "subsection"
  | "paragraph"
  | "bullet"
  | "subbullet"
  | "field"
  | "quote"
  | "warning"
  | "info"
  | "small"
  | "pagebreak";

export interface Block {
  kind: BlockKind;
  text: string;
  /** `field` only: the value after ` :: `. */
  value?: string;
}

export interface Run {
  text: string;
  bold: boolean;
}

const PREFIXES: [string, BlockKind][] = [
  ["### ", "subsection"],
  ["## ", "section"],
  ["# ", "title"],
  ["  - ", "subbullet"],
  ["- ", "bullet"],
  ["= ", "field"],
  ["> ", "quote"],
  ["!! ", "warning"],
  ["!i ", "info"],
  ["~ ", "small"],
];

/**
 * Block texts are slices of `source` (no copies: a route sheet has ~170 blocks); whatever remembers one beyond
 * its document (the layout's recordings, the width and shaping caches) keeps a `detached` copy.
 */
export function parseMarkup(source: string): Block[] {
  const blocks: Block[] = [];
  for (const raw of source.split("\n")) {
    // trimEnd removes the \r of a CRLF line end too (the same white space as \s).
    const line = raw.trimEnd();
    if (line === "") continue;
    const trimmed = line.trimStart();
    if (trimmed === "---page---") {
      blocks.push({ kind: "pagebreak", text: "" });
      continue;
    }
    const match = PREFIXES.find(([prefix]) => line.startsWith(prefix));
    if (!match) {
      blocks.push({ kind: "paragraph", text: trimmed });
      continue;
    }
    const [prefix, kind] = match;
    const text = line.slice(prefix.length).trim();
    if (kind === "field") {
      const at = text.indexOf(" :: ");
      blocks.push(
        at < 0
          ? { kind, text, value: "" }
          : { kind, text: text.slice(0, at).trim(), value: text.slice(at + 4).trim() },
      );
    } else {
      blocks.push({ kind, text });
    }
  }
  return blocks;
}

/** `**bold**` spans; an unpaired `**` stays as typed. */
export function parseInline(text: string): Run[] {
  const parts = text.split("**");
  if (parts.length % 2 === 0) return [{ text, bold: false }];
  const runs: Run[] = [];
  parts.forEach((part, i) => {
    if (part !== "") runs.push({ text: part, bold: i % 2 === 1 });
  });
  return runs;
}

/** Runs as route sheet markup, `**bold**`: what parseInline reads back as the same runs. */
export function inlineMarkup(runs: readonly Run[]): string {
  return runs.map((r) => (r.bold ? `**${r.text}**` : r.text)).join("");
}

/** The text of a block without its markup: what the fonts must cover. */
export function plainText(block: Block): string {
  return `${block.text} ${block.value ?? ""}`.replaceAll("**", "");
}
