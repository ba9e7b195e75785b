/**
 * The IGC-Santé CA certificates shipped in data/igc-sante/ (../shared/igc-sante/README.md).
 * Their SHA-256 fingerprints are pinned here so a replaced or damaged file is detected at load.
 */
import { readFileSync } from "node:fs";
import { assetPath } from "../assets/root.js";
import { sha256Hex, toArrayBuffer, x509 } from "./crypto.js";
import { certificateTexts } from "./text.js";

export type IgcSanteEnvironment = "production" | "test";

interface PinnedCa {
  file: string;
  environment: IgcSanteEnvironment;
  role: "root" | "intermediate";
  sha256: string;
}

export const IGC_SANTE_CAS: readonly PinnedCa[] = [
  {
    file: "ACR-EL.pem",
    environment: "production",
    role: "root",
    sha256: "2D9E22CA19F777C6B745257C723ECB8DF3C35FA6F1F6EC36B83600C97346967F",
  },
  {
    file: "ACI-EL-ORG.pem",
    environment: "production",
    role: "intermediate",
    sha256: "D834EE5B40686B73573F60547BF6052C6D404D942A5665CDB2C0B9137B5D27B2",
  },
  {
    file: "TEST-ACR-EL.pem",
    environment: "test",
    role: "root",
    sha256: "01325AEB193871EEC90FA89556804E4185CB362E0CA87A3D79939C71186DA805",
  },
  {
    file: "TEST-ACI-EL-ORG.pem",
    environment: "test",
    role: "intermediate",
    sha256: "DC528E3788691B3F7950164076F95B02C64334C68662BDEDE5750B4E0E5338F6",
  },
];

/** One chain of trust: a root the checks accept and the intermediates that lead to it. */
export interface TrustAnchor {
  root: x509.X509Certificate;
  intermediates: x509.X509Certificate[];
  /** For reports, e.g. « IGC-Santé (production) » (certificates/messages.fr.json). */
  label: string;
  environment: IgcSanteEnvironment | "other";
}

function pemToDer(pem: string): Buffer {
  const body = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/.exec(pem)?.[1];
  if (body === undefined) throw new Error("bloc CERTIFICATE absent");
  return Buffer.from(body.replace(/\s+/g, ""), "base64");
}

/** Parses and pins the four CA files; `read` returns a file's text (tests inject it). */
export function loadIgcSanteAnchors(read: (file: string) => string = readShippedCa): TrustAnchor[] {
  const loaded = IGC_SANTE_CAS.map((ca) => {
    const der = pemToDer(read(ca.file));
    const actual = sha256Hex(der);
    if (actual !== ca.sha256) {
      throw new Error(certificateTexts().anchors.tampered({ file: ca.file, actual, expected: ca.sha256 }));
    }
    return { ...ca, certificate: new x509.X509Certificate(toArrayBuffer(der)) };
  });
  return (["production", "test"] as const).map((environment) => {
    const own = loaded.filter((ca) => ca.environment === environment);
    const root = own.find((ca) => ca.role === "root");
    if (!root) throw new Error(`racine IGC-Santé ${environment} absente`);
    return {
      root: root.certificate,
      intermediates: own.filter((ca) => ca.role === "intermediate").map((ca) => ca.certificate),
      label: certificateTexts().anchors[environment](),
      environment,
    };
  });
}

function readShippedCa(file: string): string {
  return readFileSync(assetPath("data", "igc-sante", file), "utf8");
}

let cached: TrustAnchor[] | undefined;

/** The shipped IGC-Santé anchors, loaded and pinned once per process. */
export function igcSanteAnchors(): TrustAnchor[] {
  cached ??= loadIgcSanteAnchors();
  return cached;
}

/** An extra root given by the user (--ca, e.g. a test CA): checked like the others, reported as outside IGC-Santé. */
export function customAnchor(
  root: x509.X509Certificate,
  intermediates: x509.X509Certificate[] = [],
): TrustAnchor {
  return {
    root,
    intermediates,
    label: certificateTexts().anchors.custom({ name: root.subjectName.getField("CN")[0] ?? root.subject }),
    environment: "other",
  };
}
