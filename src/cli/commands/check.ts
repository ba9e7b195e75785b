import {
  type CheckedFile,
  checkCertificate,
  checkJson,
  customAnchor,
  endEntityCertificates,
  type Finding,
  finding,
  igcSanteAnchors,
  isSelfIssued,
  parseProfile,
  readCertificateFile,
  renderCheckText,
  type TrustAnchor,
  verdictOf,
  type x509,
} from "../../certificates/index.js";
import { EXIT, UsageError } from "../../io/port.js";
import { readInputFile, secretSources } from "../certificate-io.js";
import {
  booleanOption,
  type Command,
  describedOptions,
  type OptionValues,
  stringOption,
} from "../command.js";
import { cliTexts } from "../texts.js";

function listOption(values: OptionValues, name: string): string[] {
  const value = values[name];
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === "string");
}

const texts = cliTexts().commands.check;

export const checkCommand: Command = {
  name: "check",
  usage: texts.usage(),
  help: texts.help(),
  options: describedOptions(texts, {
    fqdn: { type: "string" },
    profile: { type: "string" },
    crl: { type: "string", multiple: true },
    ca: { type: "string", multiple: true },
    json: { type: "boolean" },
  }),
  minPositionals: 1,
  async run({ values, positionals, io }) {
    const profileText = stringOption(values, "profile");
    const profile = profileText === undefined ? undefined : parseProfile(profileText);
    if (profileText !== undefined && !profile)
      throw new UsageError(cliTexts().certificates.unknownProfile({ profile: profileText }));
    const fqdn = stringOption(values, "fqdn");
    const secrets = secretSources(io);
    const now = io.now();
    const files: CheckedFile[] = [];

    const crls: x509.X509Crl[] = [];
    const anchors: TrustAnchor[] = [...igcSanteAnchors()];
    const extraPool: x509.X509Certificate[] = [];
    for (const [option, file] of [
      ...listOption(values, "crl").map((f) => ["crl", f] as const),
      ...listOption(values, "ca").map((f) => ["ca", f] as const),
    ]) {
      const errors: Finding[] = [];
      const bytes = await readInputFile(io, file, option === "crl" ? "crl" : "chain");
      if (!bytes.ok) errors.push(...bytes.errors);
      else {
        const material = await readCertificateFile(bytes.value, file, secrets);
        if (!material.ok) errors.push(...material.errors);
        else if (option === "crl") {
          if (material.value.crls.length === 0)
            errors.push(finding(file, "CRL_MISSING", texts.messages.crlMissing({ file })));
          crls.push(...material.value.crls);
        } else {
          if (material.value.certificates.length === 0)
            errors.push(finding(file, "CA_MISSING", texts.messages.caMissing({ file })));
          for (const certificate of material.value.certificates) {
            if (isSelfIssued(certificate)) anchors.push(customAnchor(certificate));
            else extraPool.push(certificate);
          }
        }
      }
      if (errors.length > 0)
        files.push({ source: `${file} (--${option})`, errors, warnings: [], certificates: [] });
    }

    for (const file of positionals) {
      const checked: CheckedFile = { source: file, errors: [], warnings: [], certificates: [] };
      files.push(checked);
      const bytes = await readInputFile(io, file, "certificate");
      if (!bytes.ok) {
        checked.errors.push(...bytes.errors);
        continue;
      }
      const material = await readCertificateFile(bytes.value, file, secrets);
      if (!material.ok) {
        checked.errors.push(...material.errors);
        continue;
      }
      checked.warnings.push(...material.warnings);
      const leaves = endEntityCertificates(material.value.certificates);
      if (leaves.length === 0) {
        checked.errors.push(finding(file, "NO_END_ENTITY", texts.messages.noEndEntity({ file })));
        continue;
      }
      for (const certificate of leaves) {
        checked.certificates.push(
          await checkCertificate({
            certificate,
            pool: [...material.value.certificates, ...extraPool],
            privateKeys: material.value.keys,
            anchors,
            crls: [...crls, ...material.value.crls],
            now,
            ...(profile ? { profile } : {}),
            ...(fqdn !== undefined ? { fqdn } : {}),
          }),
        );
      }
    }

    if (booleanOption(values, "json")) io.stdout.write(`${JSON.stringify(checkJson(files, now), null, 2)}\n`);
    else io.stdout.write(renderCheckText(files));
    const verdict = verdictOf(files);
    return verdict === "ok" ? EXIT.ok : verdict === "failed" ? EXIT.invalid : EXIT.usage;
  },
};
