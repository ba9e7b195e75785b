/** Builds and verifies the path from a certificate up to a trusted root (Annexe 1, « Parenté »). */

import type { TrustAnchor } from "./ca-store.js";
import { x509 } from "./crypto.js";

export type ChainProblem =
  | "selfSigned"
  | "issuerUnknown"
  | "badSignature"
  | "issuerNotCa"
  | "untrustedRoot"
  | "tooLong";

export type ChainResult =
  | { ok: true; path: x509.X509Certificate[]; anchor: TrustAnchor }
  | { ok: false; problem: ChainProblem; path: x509.X509Certificate[]; issuer: string };

const MAX_DEPTH = 6;

function sameCertificate(a: x509.X509Certificate, b: x509.X509Certificate): boolean {
  return Buffer.from(a.rawData).equals(Buffer.from(b.rawData));
}

export function isSelfIssued(certificate: x509.X509Certificate): boolean {
  return certificate.subject === certificate.issuer;
}

export function isCa(certificate: x509.X509Certificate): boolean {
  return certificate.getExtension(x509.BasicConstraintsExtension)?.ca === true;
}

async function signedBy(child: x509.X509Certificate, issuer: x509.X509Certificate): Promise<boolean> {
  try {
    return await child.verify({ publicKey: issuer, signatureOnly: true });
  } catch {
    return false;
  }
}

/**
 * From `leaf` up to the root of one of `anchors`, using `pool` and the anchors' intermediates.
 * The path returned runs leaf first, root last.
 */
export async function buildChain(
  leaf: x509.X509Certificate,
  pool: readonly x509.X509Certificate[],
  anchors: readonly TrustAnchor[],
): Promise<ChainResult> {
  const roots = anchors.map((anchor) => ({ anchor, certificate: anchor.root }));
  const candidates = [...pool, ...anchors.flatMap((anchor) => anchor.intermediates)];
  const path = [leaf];
  let current = leaf;
  if (isSelfIssued(leaf) && (await signedBy(leaf, leaf))) {
    const trusted = roots.find((root) => sameCertificate(root.certificate, leaf));
    return trusted
      ? { ok: true, path, anchor: trusted.anchor }
      : { ok: false, problem: "selfSigned", path, issuer: leaf.issuer };
  }
  while (path.length < MAX_DEPTH) {
    let badSignature = false;
    for (const root of roots) {
      if (root.certificate.subject !== current.issuer) continue;
      if (await signedBy(current, root.certificate)) {
        return { ok: true, path: [...path, root.certificate], anchor: root.anchor };
      }
      badSignature = true;
    }
    let next: x509.X509Certificate | undefined;
    for (const candidate of candidates) {
      if (candidate.subject !== current.issuer || path.some((c) => sameCertificate(c, candidate))) continue;
      if (await signedBy(current, candidate)) {
        next = candidate;
        break;
      }
      badSignature = true;
    }
    if (!next)
      return {
        ok: false,
        problem: badSignature ? "badSignature" : "issuerUnknown",
        path,
        issuer: current.issuer,
      };
    if (isSelfIssued(next))
      return { ok: false, problem: "untrustedRoot", path: [...path, next], issuer: next.subject };
    if (!isCa(next))
      return { ok: false, problem: "issuerNotCa", path: [...path, next], issuer: next.subject };
    path.push(next);
    current = next;
  }
  return { ok: false, problem: "tooLong", path, issuer: current.issuer };
}
