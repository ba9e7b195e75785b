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
import { booleanOption, type Command, stringOption } from "../command.js";

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

export const bundleCommand: Command = {
  name: "bundle",
  usage: "--cert <certificat> --key <clé> [--chain <pem|p7b>] -o <fichier.p12|fichier.pem>",
  help: `Sans --chain, la chaîne IGC-Santé livrée avec l'outil (ACI-EL-ORG puis ACR-EL, production ou test) est ajoutée.
Le PKCS#12 est chiffré en AES-256 (PBES2, PBKDF2-SHA-256, MAC SHA-256) : OpenSSL 3 l'ouvre sans -legacy.
Son mot de passe vient de la variable ${P12_PASSPHRASE_ENV} ou d'une saisie ; la phrase de passe de la clé,
de ${KEY_PASSPHRASE_ENV} ou d'une saisie. La chaîne PEM contient le certificat, puis l'ACI, puis l'ACR (sans la clé).
Les vérifications de la commande check s'appliquent : une clé RSA de moins de 2048 bits, une signature SHA-1/MD5,
une autorité hors de ses dates ou une chaîne qui ne remonte pas à IGC-Santé (sauf --accept-non-igc-chain) sont refusées ;
un certificat expiré, un nom ou un usage inattendu sont signalés.
Codes de sortie : 0 fichier écrit, 1 assemblage refusé (clé ou chaîne qui ne correspond pas, vérification échouée,
fichier existant), 2 erreur d'utilisation ou fichier illisible (absent, trop volumineux, endommagé).`,
  options: {
    cert: {
      type: "string",
      description: "Certificat reçu d'IGC-Santé (PEM ou DER).",
      valueName: "<certificat>",
    },
    key: { type: "string", description: "Clé privée générée avec le CSR (PEM, PKCS#8).", valueName: "<clé>" },
    chain: {
      type: "string",
      description: "Chaîne à utiliser à la place de celle d'IGC-Santé (PEM ou P7B).",
      valueName: "<chaîne>",
    },
    "accept-non-igc-chain": {
      type: "boolean",
      description:
        "Accepte une chaîne (--chain) qui remonte à une autorité hors IGC-Santé (recette interne) : le PSP et les TPE la refuseront.",
    },
    output: {
      type: "string",
      short: "o",
      description: "Fichier à écrire : .p12/.pfx (PKCS#12) ou .pem (chaîne PEM).",
      valueName: "<fichier>",
    },
  },
  maxPositionals: 0,
  async run({ values, io }) {
    const certPath = stringOption(values, "cert");
    const keyPath = stringOption(values, "key");
    const output = stringOption(values, "output");
    const chainPath = stringOption(values, "chain");
    if (!certPath || !keyPath || !output) throw new UsageError("--cert, --key et -o sont obligatoires.");
    const extension = extname(output).toLowerCase();
    const pkcs12 = PKCS12_EXTENSIONS.includes(extension);
    if (!pkcs12 && !PEM_EXTENSIONS.includes(extension)) {
      throw new UsageError(`le fichier de sortie doit finir par .p12, .pfx ou .pem (reçu « ${output} »).`);
    }

    const secrets = secretSources(io);
    const unreadable: Finding[] = [];
    const cert = await readMaterial(io, certPath, "certificate", secrets);
    const key = await readMaterial(io, keyPath, "privateKey", secrets);
    const chain = chainPath ? await readMaterial(io, chainPath, "chain", secrets) : undefined;
    for (const result of [cert, key, chain]) if (result && !result.ok) unreadable.push(...result.errors);
    if (unreadable.length > 0 || !cert.ok || !key.ok || (chain && !chain.ok)) {
      printFindings(io, unreadable, "Erreur");
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
      printFindings(io, bundle.errors, "Erreur");
      return EXIT.invalid;
    }
    printFindings(io, bundle.warnings, "Attention");

    let data: string | Uint8Array;
    if (pkcs12) {
      const password = await askSecret(io, P12_PASSPHRASE_ENV, "Mot de passe du nouveau PKCS#12 :", true);
      if (password === undefined) {
        throw new UsageError(
          `donnez le mot de passe du PKCS#12 dans la variable d'environnement ${P12_PASSPHRASE_ENV} ou lancez la commande dans un terminal.`,
        );
      }
      const weak = passphraseProblem(password, P12_PASSPHRASE_ENV);
      if (weak) {
        printFindings(
          io,
          [
            {
              ...weak,
              message: `Le mot de passe du PKCS#12 doit compter au moins ${MIN_PASSPHRASE_LENGTH} caractères.`,
            },
          ],
          "Erreur",
        );
        return EXIT.usage;
      }
      data = await buildPkcs12({ ...bundle.value, password });
    } else {
      data = bundleToPem(bundle.value);
    }
    const written = await writeNewFile(io, output, data, pkcs12 ? 0o600 : 0o644);
    if (written) {
      printFindings(io, [written], "Erreur");
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
