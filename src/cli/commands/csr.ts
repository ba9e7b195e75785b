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
import { type Command, describedOptions, stringOption } from "../command.js";
import { cliTexts } from "../texts.js";

const texts = cliTexts().commands.csr;

export const csrCommand: Command = {
  name: "csr",
  usage: texts.usage(),
  help: texts.help({ keyEnv: KEY_PASSPHRASE_ENV }),
  options: describedOptions(texts, {
    profile: { type: "string" },
    output: { type: "string", short: "o" },
    "key-size": { type: "string", default: String(DEFAULT_KEY_SIZE) },
    encrypt: { type: "boolean", default: true },
  }),
  minPositionals: 1,
  maxPositionals: 1,
  async run({ values, positionals, io }) {
    const profileText = stringOption(values, "profile");
    if (profileText === undefined) throw new UsageError(texts.messages.profileRequired());
    const profile = parseProfile(profileText);
    if (!profile) throw new UsageError(cliTexts().certificates.unknownProfile({ profile: profileText }));
    const output = stringOption(values, "output");
    if (output === undefined) throw new UsageError(texts.messages.outputRequired());
    const keySize = parseKeySize(stringOption(values, "key-size") ?? String(DEFAULT_KEY_SIZE));
    if (!keySize) throw new UsageError(texts.messages.keySize());
    const encrypt = values.encrypt !== false;

    const file = positionals[0] ?? "";
    const read = await readAnswersFile(file, io.cwd, loadAnswersValidator());
    if (!read.ok) {
      printFindings(io, read.errors, "error");
      return read.errors.some((error) => error.code.startsWith("FILE_")) ? EXIT.usage : EXIT.invalid;
    }
    const { answers } = read;
    const plan = await loadPlanner().plan(answers, read.warnings);
    const structure = { entity: plan.contract.presentedEntity, finess: plan.contract.presentedFiness };
    const subject = buildSubject(answers, profile, structure);
    if (!subject.ok) {
      printFindings(io, subject.errors, "error");
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
              message: texts.messages.keyExists({ file: target }),
            },
          ],
          "error",
        );
        return EXIT.invalid;
      }
    }
    let passphrase: string | undefined;
    if (encrypt) {
      passphrase = await askSecret(io, KEY_PASSPHRASE_ENV, texts.messages.passphrasePrompt(), true);
      if (passphrase === undefined)
        throw new UsageError(texts.messages.passphraseMissing({ env: KEY_PASSPHRASE_ENV }));
      const weak = passphraseProblem(passphrase, KEY_PASSPHRASE_ENV);
      if (weak) {
        printFindings(io, [weak], "error");
        return EXIT.usage;
      }
    }

    const keys = await generateRsaKeyPair(keySize);
    const request = await createCertificateRequest(subject.value, keys);
    const keyPem = privateKeyToPem(await keyObjectFromCryptoKey(keys.privateKey), passphrase);
    const keyError = await writeNewFile(io, keyFile, keyPem, 0o600);
    if (keyError) {
      printFindings(io, [keyError], "error");
      return EXIT.invalid;
    }
    const csrError = await writeNewFile(io, csrFile, request.pem, 0o644);
    if (csrError) {
      printFindings(io, [csrError], "error");
      return EXIT.invalid;
    }

    const warnings = [...read.warnings, ...subject.warnings];
    if (answers.keyGeneration === "online") {
      warnings.push({
        path: "keyGeneration",
        code: "CSR_BUT_ONLINE",
        message: texts.messages.onlineKey(),
      });
    }
    printFindings(io, warnings, "warning");
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
