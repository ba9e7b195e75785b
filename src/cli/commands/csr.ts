import { join, resolve } from "node:path";
import { readAnswersFile } from "../../answers-file/index.js";
import { loadAnswersValidator, loadPlanner } from "../../assets/index.js";
import {
  buildSubject,
  createCertificateRequest,
  DEFAULT_KEY_SIZE,
  formatSubject,
  generateRsaKeyPair,
  keyObjectFromCryptoKey,
  parseKeySize,
  parseProfile,
  passphraseProblem,
  privateKeyToPem,
} from "../../certificates/index.js";
import { renderText } from "../../certificates/text.js";
import { EXIT, UsageError } from "../../io/port.js";
import { askSecret, fileExists, KEY_PASSPHRASE_ENV, printFindings, writeNewFile } from "../certificate-io.js";
import { type Command, stringOption } from "../command.js";

export const csrCommand: Command = {
  name: "csr",
  usage: "<réponses> --profile ORG_AUTH_CLI|SSL_SERVEUR -o <dossier>",
  help: `La clé RSA ne quitte pas ce poste : elle est écrite chiffrée (PKCS#8, AES-256), lisible par vous seul.
La phrase de passe vient de la variable d'environnement ${KEY_PASSPHRASE_ENV} ou d'une saisie au clavier ;
elle n'est jamais passée en option ni affichée. Le CSR (PKCS#10, SHA-256) porte le sujet des certificats
IGC-Santé : C=FR, ST=<Département (code)>, O=<raison sociale>, OU=1<FINESS>, CN=Client_Diapason_PSP ou le FQDN.
Codes de sortie : 0 fichiers écrits, 1 réponses à corriger ou fichier existant, 2 erreur d'utilisation ou fichier illisible.`,
  options: {
    profile: {
      type: "string",
      description: "Certificat à préparer : ORG_AUTH_CLI (client) ou SSL_SERVEUR (serveur).",
      valueName: "<profil>",
    },
    output: {
      type: "string",
      short: "o",
      description: "Dossier où écrire la clé et le CSR.",
      valueName: "<dossier>",
    },
    "key-size": {
      type: "string",
      description: "Taille de la clé RSA : 2048 (par défaut), 3072 ou 4096.",
      valueName: "<bits>",
      default: String(DEFAULT_KEY_SIZE),
    },
    encrypt: {
      type: "boolean",
      description: "Chiffre la clé privée (par défaut) ; --no-encrypt l'écrit en clair (déconseillé).",
      default: true,
    },
  },
  minPositionals: 1,
  maxPositionals: 1,
  async run({ values, positionals, io }) {
    const profileText = stringOption(values, "profile");
    if (profileText === undefined)
      throw new UsageError("précisez le certificat avec --profile ORG_AUTH_CLI ou --profile SSL_SERVEUR.");
    const profile = parseProfile(profileText);
    if (!profile) throw new UsageError(`profil « ${profileText} » inconnu : ORG_AUTH_CLI ou SSL_SERVEUR.`);
    const output = stringOption(values, "output");
    if (output === undefined) throw new UsageError("précisez le dossier de sortie avec -o <dossier>.");
    const keySize = parseKeySize(stringOption(values, "key-size") ?? String(DEFAULT_KEY_SIZE));
    if (!keySize) throw new UsageError("--key-size accepte 2048, 3072 ou 4096.");
    const encrypt = values.encrypt !== false;

    const file = positionals[0] ?? "";
    const read = await readAnswersFile(file, io.cwd, loadAnswersValidator());
    if (!read.ok) {
      printFindings(io, read.errors, "Erreur");
      return read.errors.some((error) => error.code.startsWith("FILE_")) ? EXIT.usage : EXIT.invalid;
    }
    const { answers } = read;
    const plan = await loadPlanner().plan(answers, read.warnings);
    const structure = { entity: plan.contract.presentedEntity, finess: plan.contract.presentedFiness };
    const subject = buildSubject(answers, profile, structure);
    if (!subject.ok) {
      printFindings(io, subject.errors, "Erreur");
      return EXIT.invalid;
    }

    const base = join(output, profile);
    const keyFile = `${base}.key`;
    const csrFile = `${base}.csr`;
    for (const target of [keyFile, csrFile]) {
      if (await fileExists(resolve(io.cwd, target))) {
        printFindings(
          io,
          [
            {
              path: target,
              code: "FILE_EXISTS",
              message: `${target} existe déjà : il n'est pas écrasé (une clé perdue ne se retrouve pas). Choisissez un autre dossier avec -o.`,
            },
          ],
          "Erreur",
        );
        return EXIT.invalid;
      }
    }
    let passphrase: string | undefined;
    if (encrypt) {
      passphrase = await askSecret(
        io,
        KEY_PASSPHRASE_ENV,
        "Phrase de passe de la nouvelle clé privée :",
        true,
      );
      if (passphrase === undefined) {
        throw new UsageError(
          `donnez la phrase de passe de la clé dans la variable d'environnement ${KEY_PASSPHRASE_ENV} ou lancez la commande dans un terminal ; --no-encrypt écrit la clé en clair (déconseillé).`,
        );
      }
      const weak = passphraseProblem(passphrase, KEY_PASSPHRASE_ENV);
      if (weak) {
        printFindings(io, [weak], "Erreur");
        return EXIT.usage;
      }
    }

    const keys = await generateRsaKeyPair(keySize);
    const request = await createCertificateRequest(subject.value, keys);
    const keyPem = privateKeyToPem(await keyObjectFromCryptoKey(keys.privateKey), passphrase);
    const keyError = await writeNewFile(io, keyFile, keyPem, 0o600);
    if (keyError) {
      printFindings(io, [keyError], "Erreur");
      return EXIT.invalid;
    }
    const csrError = await writeNewFile(io, csrFile, request.pem, 0o644);
    if (csrError) {
      printFindings(io, [csrError], "Erreur");
      return EXIT.invalid;
    }

    const warnings = [...read.warnings, ...subject.warnings];
    if (answers.keyGeneration === "online") {
      warnings.push({
        path: "keyGeneration",
        code: "CSR_BUT_ONLINE",
        message:
          "Vos réponses prévoient la génération de la clé en ligne (keyGeneration: online) : ce CSR ne sert que si vous choisissez de « charger votre CSR » lors de la commande (§3 Étape 4).",
      });
    }
    printFindings(io, warnings, "Attention");
    io.stdout.write(
      renderText("csr-summary", {
        profile,
        server: profile === "SSL_SERVEUR",
        subject: formatSubject(subject.value),
        serviceName: subject.value.commonName,
        structureEntity: structure.entity,
        structureFiness: structure.finess,
        keyFile,
        csrFile,
        keySize,
        encrypted: encrypt,
        passphraseEnv: KEY_PASSPHRASE_ENV,
      }),
    );
    return EXIT.ok;
  },
};
