import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

/** Reading generated PDFs back in tests with poppler and qpdf (Debian's poppler-utils and qpdf). */

export const PDFTOTEXT = "/usr/bin/pdftotext";
export const PDFTOPPM = "/usr/bin/pdftoppm";
export const PDFFONTS = "/usr/bin/pdffonts";
export const QPDF = ["/usr/bin/qpdf", "/usr/local/bin/qpdf"].find((p) => existsSync(p));
export const hasQpdf = QPDF !== undefined;

/** Share of pixels darker than `threshold` of a page rendered in grey at 30 dpi: 0 for a blank page. */
export function inkRatio(path: string, page: number, threshold = 160): number {
  const pgm = execFileSync(PDFTOPPM, ["-r", "30", "-gray", "-f", String(page), "-l", String(page), path]);
  // P5\n<w> <h>\n255\n<pixels>
  const header = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(pgm.subarray(0, 40).toString("latin1"));
  if (!header) throw new Error("rendu PGM illisible");
  const pixels = pgm.subarray(header[0].length);
  let ink = 0;
  for (const p of pixels) if (p < threshold) ink++;
  return ink / pixels.length;
}

export function qpdfCheck(path: string): { ok: boolean; output: string } {
  if (!QPDF) throw new Error("qpdf absent");
  const r = spawnSync(QPDF, ["--check", path], { encoding: "utf8" });
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
}
