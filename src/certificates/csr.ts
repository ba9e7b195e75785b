/** PKCS#10 certificate signing request (CSR), signed with SHA-256, built with @peculiar/x509. */
import { x509 } from "./crypto.js";
import { RSA_SIGNING } from "./private-key.js";
import { type SubjectSpec, subjectToJsonName } from "./subject.js";

export interface CertificateRequest {
  pem: string;
  der: ArrayBuffer;
}

export async function createCertificateRequest(
  subject: SubjectSpec,
  keys: CryptoKeyPair,
): Promise<CertificateRequest> {
  const extensions: x509.Extension[] = [];
  if (subject.dnsNames.length > 0) {
    extensions.push(
      new x509.SubjectAlternativeNameExtension(
        subject.dnsNames.map((value) => ({ type: "dns" as const, value })),
      ),
    );
  }
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: new x509.Name(subjectToJsonName(subject)),
    keys,
    signingAlgorithm: RSA_SIGNING,
    extensions,
  });
  return { pem: `${csr.toString("pem")}\n`, der: csr.rawData };
}
