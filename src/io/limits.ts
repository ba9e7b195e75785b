/**
 * How large each kind of file the tool reads may be, in bytes (and, for batch inputs, in lines). The one place
 * these limits are set; the README lists them (« Limites de taille des fichiers lus »). A file past its limit is
 * refused while it is read, before it is held in memory: it is not the file the user meant.
 */
const KIB = 1024;
const MIB = 1024 * KIB;

export const READ_LIMITS = {
  /** A certificate, a PEM bundle or a PKCS#12 file: a few kilobytes. */
  certificate: 1 * MIB,
  /** A private key (PEM or DER, PKCS#8): a few kilobytes. */
  privateKey: 256 * KIB,
  /** A chain of authorities (PEM or P7B), given with --chain or --ca. */
  chain: 4 * MIB,
  /** A revocation list (CRL): IGC-Santé's lists weigh a few hundred kilobytes, some CAs' a few megabytes. */
  crl: 32 * MIB,
  /** A PDF form template (the official forms weigh a few hundred kilobytes). */
  pdfTemplate: 50 * MIB,
  /** An answers file (YAML or JSON): a few kilobytes. */
  answers: 1 * MIB,
  /** A file of a dossier the tool wrote, read back (batch --resume checks each one's hash). */
  dossierFile: 64 * MIB,
  /** A form's mapping file (<form>.mapping.json). */
  mapping: 1 * MIB,
  /** A previous batch report (rapport.json, for --compare). */
  batchReport: 256 * MIB,
  /** A CSV batch input. */
  csv: 256 * MIB,
  /** A JSON Lines batch input. */
  jsonl: 256 * MIB,
  /** An Excel workbook (.xlsx), as stored (compressed). */
  xlsx: 64 * MIB,
  /** An Excel workbook once decompressed: all its entries together. */
  xlsxUncompressed: 512 * MIB,
  /** One line of a CSV or JSON Lines input: one establishment's answers. */
  batchLine: 1 * MIB,
  /** Establishments (lines) in one batch input, whatever its format. */
  batchRows: 100_000,
} as const;

export type SizedFileKind = Exclude<keyof typeof READ_LIMITS, "batchRows">;
