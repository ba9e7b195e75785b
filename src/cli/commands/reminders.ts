import { stat, writeFile } from "node:fs/promises";
import { extname, join, resolve } from "node:path";
import { readAnswersFile } from "../../answers-file/index.js";
import { loadAnswersValidator } from "../../assets/index.js";
import {
  certificateReminderSubject,
  endEntityCertificates,
  expectedReminderSubjects,
  type Finding,
  finding,
  frenchCalendarDay,
  parseIsoDate,
  parseProfile,
  type ReminderSubject,
  readCertificateFile,
  reminderEvents,
  renderCalendar,
  sha256Hex,
} from "../../certificates/index.js";
import { sourceDateEpoch } from "../../dossier/dates.js";
import { type CliIo, EXIT, UsageError } from "../../io/port.js";
import { printFindings, readInputFile, secretSources } from "../certificate-io.js";
import { type Command, stringOption } from "../command.js";

const ANSWERS_EXTENSIONS = [".json", ".yaml", ".yml"];
/** What `generate` writes in a dossier folder. */
const DOSSIER_ANSWERS = "reponses.json";
const DOSSIER_PLAN = "plan.json";

async function kindOf(io: CliIo, input: string): Promise<"dossier" | "answers" | "certificate"> {
  try {
    if ((await stat(resolve(io.cwd, input))).isDirectory()) return "dossier";
  } catch {
    // missing: reported when read
  }
  return ANSWERS_EXTENSIONS.includes(extname(input).toLowerCase()) ? "answers" : "certificate";
}

export const remindersCommand: Command = {
  name: "reminders",
  usage: "<certificats ou dossiers…> --ics <rappels.ics>",
  help: `Pour chaque certificat (PEM, DER ou PKCS#12) : l'alerte de renouvellement un mois avant l'échéance et
le jour de l'échéance (validité de 3 ans). Pour un dossier pas encore commandé (dossier écrit par generate,
ou fichier de réponses), --order-date donne les dates prévues des deux certificats.
Le fichier .ics s'importe dans Outlook et Thunderbird ; le régénérer met à jour les mêmes événements
(leur numéro de version SEQUENCE croît avec l'heure d'écriture, que SOURCE_DATE_EPOCH peut figer).
Codes de sortie : 0 calendrier écrit, 1 réponses à corriger, 2 erreur d'utilisation ou fichier illisible.`,
  options: {
    ics: {
      type: "string",
      description: "Fichier iCalendar à écrire (remplacé s'il existe).",
      valueName: "<fichier.ics>",
    },
    "order-date": {
      type: "string",
      description: "Date de commande prévue (AAAA-MM-JJ) des dossiers pas encore commandés.",
      valueName: "<date>",
    },
    profile: {
      type: "string",
      description: "Profil des certificats dont le profil ne se déduit pas : ORG_AUTH_CLI ou SSL_SERVEUR.",
      valueName: "<profil>",
    },
  },
  minPositionals: 1,
  async run({ values, positionals, io }) {
    const ics = stringOption(values, "ics");
    if (!ics) throw new UsageError("précisez le fichier à écrire avec --ics <rappels.ics>.");
    const orderText = stringOption(values, "order-date");
    const orderDate = orderText === undefined ? undefined : parseIsoDate(orderText);
    if (orderText !== undefined && !orderDate)
      throw new UsageError(`--order-date attend une date AAAA-MM-JJ (reçu « ${orderText} »).`);
    const profileText = stringOption(values, "profile");
    const profile = profileText === undefined ? undefined : parseProfile(profileText);
    if (profileText !== undefined && !profile)
      throw new UsageError(`profil « ${profileText} » inconnu : ORG_AUTH_CLI ou SSL_SERVEUR.`);

    const secrets = secretSources(io);
    const subjects: ReminderSubject[] = [];
    const errors: Finding[] = [];
    const warnings: Finding[] = [];
    let invalidAnswers = false;

    for (const input of positionals) {
      const kind = await kindOf(io, input);
      if (kind === "certificate") {
        const bytes = await readInputFile(io, input, "certificate");
        const material = bytes.ok ? await readCertificateFile(bytes.value, input, secrets) : bytes;
        if (!material.ok) {
          errors.push(...material.errors);
          continue;
        }
        const leaves = endEntityCertificates(material.value.certificates);
        if (leaves.length === 0)
          errors.push(finding(input, "NO_END_ENTITY", `${input} ne contient aucun certificat de service.`));
        for (const certificate of leaves) {
          const subject = certificateReminderSubject(
            certificate,
            sha256Hex(new Uint8Array(certificate.rawData)),
            profile,
          );
          if (subject) subjects.push(subject);
          else {
            warnings.push(
              finding(
                input,
                "PROFILE_UNKNOWN",
                `Le profil du certificat « ${certificate.subject} » (${input}) ne se déduit pas : précisez --profile ORG_AUTH_CLI ou SSL_SERVEUR. Il est ignoré.`,
              ),
            );
          }
        }
        continue;
      }
      if (!orderDate) {
        throw new UsageError(
          `${input} est un dossier pas encore commandé : donnez la date de commande prévue avec --order-date AAAA-MM-JJ.`,
        );
      }
      const answersFile = kind === "dossier" ? join(input, DOSSIER_ANSWERS) : input;
      if (kind === "dossier") {
        try {
          await stat(resolve(io.cwd, input, DOSSIER_PLAN));
        } catch {
          warnings.push(
            finding(
              input,
              "DOSSIER_WITHOUT_PLAN",
              `${input} ne contient pas ${DOSSIER_PLAN} : est-ce bien un dossier écrit par « diapason-dossier generate » ?`,
            ),
          );
        }
      }
      const read = await readAnswersFile(answersFile, io.cwd, loadAnswersValidator());
      if (!read.ok) {
        if (read.errors.some((error) => error.code.startsWith("FILE_"))) errors.push(...read.errors);
        else {
          invalidAnswers = true;
          printFindings(io, read.errors, "Erreur");
        }
        continue;
      }
      const key = `${read.answers.establishment.finessEJ}|${read.answers.establishment.finessEG}|${read.answers.gap.fqdn}`;
      subjects.push(...expectedReminderSubjects(read.answers, orderDate, key));
    }

    printFindings(io, warnings, "Attention");
    if (errors.length > 0) {
      printFindings(io, errors, "Erreur");
      return EXIT.usage;
    }
    if (invalidAnswers) return EXIT.invalid;
    if (subjects.length === 0) {
      io.stderr.write("Erreur : aucun certificat à mettre au calendrier.\n");
      return EXIT.usage;
    }

    const written = sourceDateEpoch(io.env);
    if (written === "invalid")
      throw new UsageError(
        `SOURCE_DATE_EPOCH vaut « ${io.env.SOURCE_DATE_EPOCH} » : un nombre entier de secondes depuis le 01/01/1970 est attendu.`,
      );
    const events = reminderEvents(subjects);
    try {
      await writeFile(resolve(io.cwd, ics), renderCalendar(events, written ?? io.now()));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      io.stderr.write(
        `Erreur : impossible d'écrire ${ics} (${code === "EACCES" ? "accès refusé" : String(code)}).\n`,
      );
      return EXIT.usage;
    }
    const today = io.now();
    io.stdout.write(`Calendrier écrit : ${ics} (${events.length} événements)\n`);
    for (const event of events) {
      const past = event.day.getTime() + 86_400_000 <= today.getTime() ? " (date passée)" : "";
      io.stdout.write(`  ${frenchCalendarDay(event.day)} : ${event.summary}${past}\n`);
    }
    io.stdout.write(
      "Importez-le dans Outlook ou Thunderbird (Fichier > Ouvrir > Calendrier, ou Importer).\n",
    );
    return EXIT.ok;
  },
};
