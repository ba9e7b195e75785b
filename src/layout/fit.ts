/**
 * Line breaking and fitting of text into a box: pure arithmetic over font metrics (the fence's `fontMetrics`
 * gives them, src/render/index.ts). Imports nothing: the fence's template builder wraps its labels with it too.
 */

/** What fitting needs of a font: width and vertical metrics in text space units per 1 pt of font size. */
export interface TextMetrics {
  /** Above the baseline, per pt. */
  ascent: number;
  /** Below the baseline (negative), per pt. */
  descent: number;
  /**
   * Width in 1/1000 em: the sum of the characters' widths, exact (whole units for Helvetica, multiples of
   * 1000/2048 for DejaVu Sans), so the width of a line is the sum of its words' and spaces'.
   */
  unitsOfText(text: string): number;
  /** `unitsOfText(text) * size / 1000`. */
  widthOfText(text: string, size: number): number;
}

/** Line height as a multiple of the font size. */
export const LEADING = 1.15;
/** The smallest font size a field is shrunk to before its text continues in the annex. */
export const MIN_FONT_SIZE = 7;

function breakLongWord(word: string, metrics: TextMetrics, size: number, width: number): string[] {
  const pieces: string[] = [];
  let current = "";
  let units = 0;
  for (const char of word) {
    const charUnits = metrics.unitsOfText(char);
    if (current !== "" && ((units + charUnits) * size) / 1000 > width) {
      pieces.push(current);
      current = char;
      units = charUnits;
    } else {
      current += char;
      units += charUnits;
    }
  }
  pieces.push(current);
  return pieces;
}

/**
 * Greedy word wrap; `\n` starts a new line; a word wider than the line is cut between characters. Each word
 * is measured once: a line's width is the exact sum of its words' and spaces' (see `TextMetrics`).
 */
export function wrapLines(text: string, metrics: TextMetrics, size: number, width: number): string[] {
  const lines: string[] = [];
  const fits = (units: number) => (units * size) / 1000 <= width;
  const space = metrics.unitsOfText(" ");
  for (const paragraph of text.split("\n")) {
    const words = paragraph.split(" ");
    let line = "";
    let lineUnits = 0;
    for (const word of words) {
      const wordUnits = metrics.unitsOfText(word);
      const candidate = line === "" ? wordUnits : lineUnits + space + wordUnits;
      if (fits(candidate)) {
        line = line === "" ? word : `${line} ${word}`;
        lineUnits = candidate;
        continue;
      }
      if (line !== "") lines.push(line);
      if (fits(wordUnits)) {
        line = word;
        lineUnits = wordUnits;
      } else {
        const pieces = breakLongWord(word, metrics, size, width);
        lines.push(...pieces.slice(0, -1));
        line = pieces[pieces.length - 1] ?? "";
        lineUnits = metrics.unitsOfText(line);
      }
    }
    lines.push(line);
  }
  return lines;
}

export interface FitBox {
  width: number;
  height: number;
  multiline: boolean;
  /** Inner margin on each side. */
  padding: number;
}

export interface Fit {
  size: number;
  lines: string[];
  fits: boolean;
}

/** Height taken by `count` lines at `size`: ascent of the first, leading between, descent of the last. */
export function blockHeight(count: number, metrics: TextMetrics, size: number): number {
  return count === 0 ? 0 : (metrics.ascent - metrics.descent) * size + (count - 1) * LEADING * size;
}

function fitsAt(text: string, metrics: TextMetrics, size: number, box: FitBox): Fit {
  const innerWidth = box.width - 2 * box.padding;
  if (!box.multiline) {
    return { size, lines: [text], fits: metrics.widthOfText(text, size) <= innerWidth + 1e-6 };
  }
  const lines = wrapLines(text, metrics, size, innerWidth);
  return {
    size,
    lines,
    fits: blockHeight(lines.length, metrics, size) <= box.height - 2 * box.padding + 1e-6,
  };
}

/** The largest size from `baseSize` down to `minSize` (half-point steps) at which the text fits. */
export function fitText(
  text: string,
  metrics: TextMetrics,
  box: FitBox,
  baseSize: number,
  minSize: number,
): Fit {
  const first = fitsAt(text, metrics, baseSize, box);
  if (first.fits) return first;
  if (!box.multiline) {
    const width = metrics.widthOfText(text, baseSize);
    const ideal = Math.floor(((baseSize * (box.width - 2 * box.padding)) / width) * 4) / 4;
    return ideal >= minSize ? fitsAt(text, metrics, ideal, box) : fitsAt(text, metrics, minSize, box);
  }
  for (let size = Math.floor(baseSize * 2) / 2 - 0.5; size > minSize; size -= 0.5) {
    const fit = fitsAt(text, metrics, size, box);
    if (fit.fits) return fit;
  }
  return fitsAt(text, metrics, minSize, box);
}

/** Candidate cut points of `text`: after each word, or after each character when `byChar`. */
function cutPoints(text: string, byChar: boolean): number[] {
  const points: number[] = [];
  if (byChar) {
    let index = 0;
    for (const char of text) {
      index += char.length;
      points.push(index);
    }
    return points;
  }
  for (let i = 0; i < text.length; i++) if (text[i] === " " || text[i] === "\n") points.push(i);
  return points;
}

/**
 * The longest beginning of `text` that, followed by the pointer to the annex, fits the box at `size`.
 * Cuts between words when it can, between characters otherwise; an empty head when even the pointer
 * alone does not fit.
 */
export function headThatFits(
  text: string,
  pointer: (head: string) => string,
  metrics: TextMetrics,
  box: FitBox,
  size: number,
): { head: string; fit: Fit } {
  const tryHead = (head: string): Fit => fitsAt(pointer(head), metrics, size, box);
  for (const byChar of [false, true]) {
    const points = cutPoints(text, byChar);
    let lo = 0;
    let hi = points.length - 1;
    let best = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (tryHead(text.slice(0, points[mid]).trimEnd()).fits) {
        best = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (best >= 0) {
      const head = text.slice(0, points[best]).trimEnd();
      if (head !== "") return { head, fit: tryHead(head) };
    }
  }
  return { head: "", fit: tryHead("") };
}
