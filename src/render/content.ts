import type { FillFonts } from "./fill-fonts.js";
import type { FontUse } from "./fonts.js";

/** Content-stream text: numbers, colours and positioned text runs. */

/** A number as written in a content stream: at most three decimals, no trailing zeros. */
export function num(n: number): string {
  const rounded = Math.round(n * 1000) / 1000;
  // Whole numbers (most sizes and coordinates) print as themselves; -0 prints as "0".
  if (Number.isInteger(rounded) && Math.abs(rounded) < 1e15) return String(rounded);
  const fixed = rounded.toFixed(3);
  return fixed.replace(/\.?0+$/, "") || "0";
}

/** The colour operator for 1 (grey), 3 (RGB) or 4 (CMYK) components; empty for none. */
export function colorOperator(components: readonly number[] | undefined, stroke: boolean): string {
  if (!components) return "";
  const values = components.map(num).join(" ");
  switch (components.length) {
    case 1:
      return `${values} ${stroke ? "G" : "g"}`;
    case 3:
      return `${values} ${stroke ? "RG" : "rg"}`;
    case 4:
      return `${values} ${stroke ? "K" : "k"}`;
    default:
      return "";
  }
}

export interface TextRun {
  font: FontUse;
  size: number;
  /** Baseline start, in the stream's coordinates. */
  x: number;
  y: number;
  text: string;
}

/** One text run, in its own BT…ET. `color` is a fill colour operator such as `0 g`. */
export function textRunOperators(fonts: FillFonts, run: TextRun, color = "0 g"): string {
  const { name } = fonts.use(run.font);
  return `BT\n/${name} ${num(run.size)} Tf\n${color}\n1 0 0 1 ${num(run.x)} ${num(run.y)} Tm\n${fonts.encode(run.font, run.text)} Tj\nET\n`;
}
