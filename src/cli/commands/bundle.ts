import { extname } from "node:path";
import {
  assembleBundle,
  buildPkcs12,
  bundleToPem,
  type CertificateMaterial,
  type Finding,
  igcSanteAnchors,
  MIN_PASSPHRASE_LENGTH,
  type Outcome,
  passphraseProblem,
  readCertificateFile,
  type SecretSources,
} from "../../certificates/index.js";
import { renderText } from "../../certificates/text.js";
import { type CliIo, EXIT, UsageError } from "../../io/port.js";
import {
  askSecret,
  type CertificateFileKind,
  KEY_PASSPHRASE_ENV,
  P12_PASSPHRASE_ENV,
  printFindings,
  readInputFile,
  secretSources,
  writeNewFile,
} from "../certificate-io.js";
import { booleanOption, type Command, describedOptions, stringOption } from "../command.js";
import { cliTexts } from "../texts.js";

async function readMaterial(
  io: CliIo,
  file: string,
  kind: CertificateFileKind,
  secrets: SecretSources,
): Promise<Outcome<CertificateMaterial>> {
  const bytes = await readInputFile(io, file, kind);
  if (!bytes.ok) return bytes;
  return readCertificateFile(bytes.value, file, secrets);
}

const PKCS12_EXTENSIONS = [".p12", ".pfx"];
const PEM_EXTENSIONS = [".pem", ".crt", ".cer"];

const texts = cliTexts().commands.bundle;

export const bundleCommand: Command = {
  name: "bundle",
  usage: texts.usage(),
  help: texts.help({ p12Env: P12_PASSPHRASE_ENV, keyEnv: KEY_PASSPHRASE_ENV }),
  options: describedOptions(texts, {
    cert: { type: "string" },
    key: { type: "string" },
    chain: { type: "string" },
    "accept-non-igc-chain": { type: "boolean" },
    output: { type: "string", short: "o" },
  }),
  maxPositionals: 0,
  async run({ values, io }) {
    const certPath = stringOption(values, "cert");
    const keyPath = stringOption(values, "key");
    const output = stringOption(values, "output");
    const chainPath = stringOption(values, "chain");
    if (!certPath || !keyPath || !output) throw new UsageError(texts.messages.required());
    const extension = extname(output).toLowerCase();
    const pkcs12 = PKCS12_EXTENSIONS.includes(extension);
    if (!pkcs12 && !PEM_EXTENSIONS.includes(extension)) {
      throw new UsageError(texts.messages.outputExtension({ output }));
    }

    const secrets = secretSources(io);
    const unreadable: Finding[] = [];
    const cert = await readMaterial(io, certPath, "certificate", secrets);
    const key = await readMaterial(io, keyPath, "privateKey", secrets);
    const chain = chainPath ? await readMaterial(io, chainPath, "chain", secrets) : undefined;
    for (const result of [cert, key, chain]) if (result && !result.ok) unreadable.push(...result.errors);
    if (unreadable.length > 0 || !cert.ok || !key.ok || (chain && !chain.ok)) {
      printFindings(io, unreadable, "error");
      return EXIT.usage;
    }

    const bundle = await assembleBundle({
      certificates: cert.value.certificates,
      keys: [...key.value.keys, ...cert.value.keys],
      chain: chain?.ok ? chain.value.certificates : undefined,
      anchors: igcSanteAnchors(),
      now: io.now(),
      certPath,
      keyPath,
      ...(chainPath ? { chainPath } : {}),
      acceptNonIgcChain: booleanOption(values, "accept-non-igc-chain"),
    });
    if (!bundle.ok) {
      printFindings(io, bundle.errors, "error");
      return EXIT.invalid;
    }
    printFindings(io, bundle.warnings, "warning");

    let data: string | Uint8Array;
    if (pkcs12) {
      const password = await askSecret(io, P12_PASSPHRASE_ENV, texts.messages.passwordPrompt(), true);
      if (password === undefined)
        throw new UsageError(texts.messages.passwordMissing({ env: P12_PASSPHRASE_ENV }));
      const weak = passphraseProblem(password, P12_PASSPHRASE_ENV);
      if (weak) {
        printFindings(
          io,
          [
            {
              ...weak,
              message: texts.messages.passwordTooShort({ min: MIN_PASSPHRASE_LENGTH }),
            },
          ],
          "error",
        );
        return EXIT.usage;
      }
      data = await buildPkcs12({ ...bundle.value, password });
    } else {
      data = bundleToPem(bundle.value);
    }
    const written = await writeNewFile(io, output, data, pkcs12 ? 0o600 : 0o644);
    if (written) {
      printFindings(io, [written], "error");
      return EXIT.invalid;
    }
    io.stdout.write(
      renderText("bundle-summary", {
        output,
        pkcs12,
        subject: bundle.value.certificate.subject,
        chain: bundle.value.chain.map((c) => c.subject),
        passwordEnv: P12_PASSPHRASE_ENV,
      }),
    );
    return EXIT.ok;
  },
};
