/** The check report, as French text (templates/text/certificates/check-report.hbs) and as JSON. */
import type { CertificateReport } from "./checks.js";
import { frenchDate } from "./dates.js";
import type { Finding } from "./finding.js";
import { certificateTexts, renderText } from "./text.js";

export interface CheckedFile {
  source: string;
  /** Set when the file could not be read: nothing was checked. */
  errors: Finding[];
  warnings: Finding[];
  certificates: CertificateReport[];
}

export type CheckVerdict = "ok" | "failed" | "unreadable";

export function verdictOf(files: readonly CheckedFile[]): CheckVerdict {
  if (files.some((file) => file.errors.length > 0)) return "unreadable";
  if (files.some((file) => file.certificates.some((certificate) => !certificate.ok))) return "failed";
  return "ok";
}

export function renderCheckText(files: readonly CheckedFile[]): string {
  const texts = certificateTexts();
  const verdict = verdictOf(files);
  const counts = { certificates: 0, failed: 0, warnings: 0 };
  const view = files.map((file) => ({
    source: file.source,
    errors: file.errors.map((error) => error.message),
    warnings: file.warnings.map((warning) => warning.message),
    certificates: file.certificates.map((report) => {
      counts.certificates++;
      if (!report.ok) counts.failed++;
      if (report.checks.some((check) => check.status === "warning")) counts.warnings++;
      return {
        subject: report.subject,
        issuer: report.issuer,
        serialNumber: report.serialNumber,
        profile: report.profile ? texts.profiles[report.profile]() : null,
        profileDeduced: report.profileSource === "deduced",
        notAfter: frenchDate(report.notAfter),
        ok: report.ok,
        checks: report.checks.map((check) => ({
          mark: texts.marks[check.status]().padEnd(9),
          label: check.label,
          detail: check.detail,
        })),
      };
    }),
  }));
  return renderText("check-report", {
    files: view,
    verdict: { ok: verdict === "ok", failed: verdict === "failed", unreadable: verdict === "unreadable" },
    counts,
  });
}

export function checkJson(files: readonly CheckedFile[], checkedAt: Date): object {
  return {
    reportVersion: 1,
    checkedAt: checkedAt.toISOString(),
    verdict: verdictOf(files),
    files: files.map((file) => ({
      source: file.source,
      errors: file.errors,
      warnings: file.warnings,
      certificates: file.certificates.map((report) => ({
        ...report,
        notBefore: report.notBefore.toISOString(),
        notAfter: report.notAfter.toISOString(),
        renewalAlert: report.renewalAlert.toISOString(),
      })),
    })),
  };
}
