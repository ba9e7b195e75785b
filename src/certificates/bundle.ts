/**
 * What the GAP vendor asks for (§3 Étape 4): the certificate with its key and the IGC-Santé chain
 * (ACI-EL-ORG then ACR-EL), as a PKCS#12 or a PEM chain. A key that does not match the certificate,
 * or a chain that does not link up to a root, is refused.
 */
import type { KeyObject } from "node:crypto";
import { customAnchor, type TrustAnchor } from "./ca-store.js";
import { buildChain, isSelfIssued } from "./chain.js";
import {
  type CheckId,
  certificateChecks,
  commonNameOf,
  deduceProfile,
  endEntityCertificates,
} from "./checks.js";
import type { x509 } from "./crypto.js";
import { type Finding, failure, finding, type Outcome, success } from "./finding.js";
import { privateKeyMatches } from "./private-key.js";
import { certificateTexts } from "./text.js";

export interface BundleInput {
  certificates: readonly x509.X509Certificate[];
  keys: readonly KeyObject[];
  /** Certificates of --chain, when given; otherwise the shipped IGC-Santé chain is used. */
  chain: readonly x509.X509Certificate[] | undefined;
  anchors: readonly TrustAnchor[];
  now: Date;
  certPath: string;
  keyPath: string;
  chainPath?: string;
  /** Assemble a chain up to a root that is not IGC-Santé's (--accept-non-igc-chain); refused otherwise. */
  acceptNonIgcChain?: boolean;
}

/** Checks whose failure makes the certificate unusable on the GAP: the bundle is refused. */
const BLOCKING_CHECKS: ReadonlySet<CheckId> = new Set([
  "chain",
  "keyAlgorithm",
  "signatureAlgorithm",
  "keyMatch",
]);

export interface Bundle {
  certificate: x509.X509Certificate;
  key: KeyObject;
  /** Issuers in order: intermediate(s), then the root. */
  chain: x509.X509Certificate[];
  friendlyName: string;
}

export async function assembleBundle(input: BundleInput): Promise<Outcome<Bundle>> {
  const t = certificateTexts().bundle;
  const leaves = endEntityCertificates(input.certificates);
  const [certificate] = leaves;
  if (!certificate) {
    return failure(
      finding(input.certPath, "BUNDLE_NO_CERTIFICATE", t.noCertificate({ file: input.certPath })),
    );
  }
  if (leaves.length > 1) {
    return failure(
      finding(
        input.certPath,
        "BUNDLE_SEVERAL_CERTIFICATES",
        t.severalCertificates({ file: input.certPath, count: leaves.length }),
      ),
    );
  }
  const [key, ...otherKeys] = input.keys;
  if (!key) return failure(finding(input.keyPath, "BUNDLE_NO_KEY", t.noKey({ file: input.keyPath })));
  const matching = [key, ...otherKeys].find((candidate) =>
    privateKeyMatches(candidate, certificate.publicKey.rawData),
  );
  if (!matching) {
    return failure(
      finding(input.keyPath, "KEY_MISMATCH", t.keyMismatch({ key: input.keyPath, file: input.certPath })),
    );
  }
  const supplied = input.chain ?? [];
  const anchors = [...input.anchors, ...supplied.filter(isSelfIssued).map((root) => customAnchor(root))];
  const pool = [
    ...input.certificates.filter((c) => c !== certificate),
    ...supplied.filter((c) => !isSelfIssued(c)),
  ];
  const chain = await buildChain(certificate, pool, anchors);
  if (!chain.ok) {
    const broken = { file: input.certPath, issuer: chain.issuer };
    return failure(
      finding(
        input.chainPath ?? input.certPath,
        "CHAIN_BROKEN",
        input.chainPath ? t.chainBroken({ ...broken, chain: input.chainPath }) : t.shippedChainBroken(broken),
      ),
    );
  }
  // The checks `check` makes, reused: a weak key or signature, or an authority out of its dates, makes the
  // certificate unusable on the GAP and stops the bundle; the others (dates, name, usage) are warnings.
  const checks = await certificateChecks(
    { certificate, pool, privateKeys: [matching], anchors, crls: [], now: input.now },
    chain,
    deduceProfile(certificate),
  );
  const errors: Finding[] = [];
  const warnings: Finding[] = [];
  for (const check of checks) {
    if (check.status !== "failed") continue;
    const blocking = BLOCKING_CHECKS.has(check.id);
    const params = { file: input.certPath, label: check.label, detail: check.detail };
    (blocking ? errors : warnings).push(
      finding(input.certPath, `CHECK_${check.id}`, (blocking ? t.CHECK_FAILED : t.CHECK_WARNING)(params)),
    );
  }
  if (chain.anchor.environment === "other" && !input.acceptNonIgcChain) {
    const root = chain.path[chain.path.length - 1];
    errors.push(
      finding(
        input.chainPath ?? input.certPath,
        "CHAIN_NOT_IGC_SANTE",
        t.CHAIN_NOT_IGC_SANTE({
          chain: input.chainPath ?? input.certPath,
          root: (root && commonNameOf(root)) ?? root?.subject ?? chain.anchor.label,
        }),
      ),
    );
  }
  if (errors.length > 0) return failure(...errors);
  if (chain.anchor.environment === "test") {
    warnings.push(finding(input.certPath, "CERT_TEST_CHAIN", t.testChain()));
  }
  return success(
    {
      certificate,
      key: matching,
      chain: chain.path.slice(1),
      friendlyName: commonNameOf(certificate) ?? t.friendlyName(),
    },
    warnings,
  );
}

/** PEM chain: the certificate, then the intermediate(s), then the root. */
export function bundleToPem(bundle: Bundle): string {
  return [bundle.certificate, ...bundle.chain].map((c) => `${c.toString("pem")}\n`).join("");
}
