import { parseInline } from "../dossier/markup.js";
import { type FontUse, fontMetrics } from "../render/index.js";

/** A block's text measured and broken into lines, then into runs of one font: what the layout draws. */

export interface Word {
  text: string;
  bold: boolean;
  width: number;
  space: boolean;
}
/** A block's two faces, of one family (the same object for both when the block has one face). */
export interface Fonts {
  regular: FontUse;
  bold: FontUse;
}
export type Line = Word[];

/** Width of `text` at `size`, as the route sheet has always measured it (`kernedWidth`, see the fence). */
function widthOf(font: FontUse, text: string, size: number): number {
  return fontMetrics(font.family, font.style).kernedWidth(text, size);
}

/**
 * Words of the text in the block's fonts, wrapped to `width`; a word wider than a line is cut. Not cached: a
 * block met again is replayed from its recording (text-document.ts).
 */
export function wrap(text: string, fonts: Fonts, size: number, width: number): Line[] {
  const words: Word[] = [];
  // A space pending before the next word, across bold and regular runs.
  let space = false;
  for (const run of parseInline(text)) {
    const font = run.bold ? fonts.bold : fonts.regular;
    const bold = run.bold;
    const pieces = run.text.split(/( +)/);
    for (const piece of pieces) {
      if (piece === "") continue;
      if (/^ +$/.test(piece)) {
        space = true;
        continue;
      }
      words.push({ text: piece, bold, width: widthOf(font, piece, size), space });
      space = false;
    }
  }
  const lines: Line[] = [];
  let line: Line = [];
  let used = 0;
  const push = (w: Word) => {
    const gap = line.length > 0 && w.space ? widthOf(w.bold ? fonts.bold : fonts.regular, " ", size) : 0;
    if (line.length > 0 && used + gap + w.width > width) {
      lines.push(line);
      line = [];
      used = 0;
      push({ ...w, space: false });
      return;
    }
    line.push(w);
    used += gap + w.width;
  };
  for (const w of words) {
    if (w.width <= width) {
      push(w);
      continue;
    }
    // A URL or hash longer than the line: cut it where it no longer fits.
    let rest = w.text;
    let first = true;
    const font = w.bold ? fonts.bold : fonts.regular;
    while (rest.length > 0) {
      let n = rest.length;
      while (n > 1 && widthOf(font, rest.slice(0, n), size) > width) n--;
      const piece = rest.slice(0, n);
      push({
        text: piece,
        bold: w.bold,
        width: widthOf(font, piece, size),
        space: first && w.space,
      });
      first = false;
      rest = rest.slice(n);
    }
  }
  if (line.length > 0) lines.push(line);
  return lines;
}

/** A run of words in one font, at `dx` from the line's start. */
export interface Segment {
  bold: boolean;
  dx: number;
  text: string;
}
export function segmentsOf(line: Line, fonts: Fonts, size: number): Segment[] {
  const segments: Segment[] = [];
  let cursor = 0;
  let current: { font: FontUse; bold: boolean; dx: number; text: string } | undefined;
  const flush = () => {
    if (current && current.text !== "")
      segments.push({ bold: current.bold, dx: current.dx, text: current.text });
  };
  line.forEach((w, i) => {
    const font = w.bold ? fonts.bold : fonts.regular;
    const gap = i > 0 && w.space ? widthOf(font, " ", size) : 0;
    if (current && font === current.font) {
      current.text += (gap > 0 ? " " : "") + w.text;
    } else {
      flush();
      current = { font, bold: w.bold, dx: cursor + gap, text: w.text };
    }
    cursor += gap + w.width;
  });
  flush();
  return segments;
}
