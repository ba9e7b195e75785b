import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { PDFTOPPM, PDFTOTEXT } from "../helpers/pdf-tools.js";

export { hasQpdf, inkRatio, PDFFONTS, PDFTOPPM, PDFTOTEXT, QPDF, qpdfCheck } from "../helpers/pdf-tools.js";

/** Reading generated files back in tests: poppler, qpdf, and a small MIME reader. */

export const hasPoppler = existsSync(PDFTOTEXT) && existsSync(PDFTOPPM);

/** The text of a PDF, in reading order, with spaces and line ends collapsed. */
export function pdfText(path: string): string {
  return execFileSync(PDFTOTEXT, ["-enc", "UTF-8", path, "-"], { encoding: "utf8" }).replace(/\s+/g, " ");
}

export interface MimePart {
  headers: Map<string, string>;
  body: string;
}

function splitHeaders(text: string): MimePart {
  const at = text.indexOf("\r\n\r\n");
  const head = text.slice(0, at).replace(/\r\n[ \t]+/g, " ");
  const headers = new Map<string, string>();
  for (const line of head.split("\r\n")) {
    const colon = line.indexOf(":");
    headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
  }
  return { headers, body: text.slice(at + 4) };
}

/** A multipart message: its headers and its parts (one level, as nodemailer writes it). */
export function parseEml(bytes: Uint8Array): { headers: Map<string, string>; parts: MimePart[] } {
  const message = splitHeaders(Buffer.from(bytes).toString("latin1"));
  const boundary = /boundary="([^"]+)"/.exec(message.headers.get("content-type") ?? "")?.[1];
  if (!boundary) return { headers: message.headers, parts: [] };
  const chunks = message.body.split(`--${boundary}`);
  const parts = chunks.slice(1, -1).map((c) => splitHeaders(c.replace(/^\r\n/, "")));
  return { headers: message.headers, parts };
}

/** RFC 2047 encoded words (=?UTF-8?Q?...?= and =?UTF-8?B?...?=) decoded. */
export function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, "?==?")
    .replace(/=\?UTF-8\?([QB])\?([^?]*)\?=/gi, (_m, enc: string, text: string) =>
      enc.toUpperCase() === "B"
        ? Buffer.from(text, "base64").toString("utf8")
        : Buffer.from(
            text
              .replace(/_/g, " ")
              .replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(Number.parseInt(h, 16))),
            "latin1",
          ).toString("utf8"),
    );
}

export function decodeQuotedPrintable(body: string): string {
  const bytes = body
    .replace(/=\r\n/g, "")
    .replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(Number.parseInt(h, 16)));
  return Buffer.from(bytes, "latin1").toString("utf8");
}

/** Entry names of a ZIP archive, from its central directory. */
export function zipEntries(bytes: Uint8Array): string[] {
  const buf = Buffer.from(bytes);
  const names: string[] = [];
  for (let i = 0; i + 46 <= buf.length; i++) {
    if (buf.readUInt32LE(i) !== 0x02014b50) continue;
    const length = buf.readUInt16LE(i + 28);
    names.push(buf.subarray(i + 46, i + 46 + length).toString("utf8"));
    i += 45 + length;
  }
  return names;
}
