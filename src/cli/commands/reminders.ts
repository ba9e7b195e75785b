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
import { errnoText } from "../../io/texts.js";
import { printFindings, readInputFile, secretSources } from "../certificate-io.js";
import { type Command, describedOptions, stringOption } from "../command.js";
import { cliTexts, errorLine } from "../texts.js";

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

const texts = cliTexts().commands.reminders;

export const remindersCommand: Command = {
  name: "reminders",
  usage: texts.usage(),
  help: texts.help(),
  options: describedOptions(texts, {
    ics: { type: "string" },
    "order-date": { type: "string" },
    profile: { type: "string" },
  }),
  minPositionals: 1,
  async run({ values, positionals, io }) {
    const ics = stringOption(values, "ics");
    const t = texts.messages;
    if (!ics) throw new UsageError(t.icsRequired());
    const orderText = stringOption(values, "order-date");
    const orderDate = orderText === undefined ? undefined : parseIsoDate(orderText);
    if (orderText !== undefined && !orderDate) throw new UsageError(t.orderDate({ value: orderText }));
    const profileText = stringOption(values, "profile");
    const profile = profileText === undefined ? undefined : parseProfile(profileText);
    if (profileText !== undefined && !profile)
      throw new UsageError(cliTexts().certificates.unknownProfile({ profile: profileText }));

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
        if (leaves.length === 0) errors.push(finding(input, "NO_END_ENTITY", t.noEndEntity({ file: input })));
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
                t.profileUnknown({ subject: certificate.subject, file: input }),
              ),
            );
          }
        }
        continue;
      }
      if (!orderDate) {
        throw new UsageError(t.notOrdered({ file: input }));
      }
      const answersFile = kind === "dossier" ? join(input, DOSSIER_ANSWERS) : input;
      if (kind === "dossier") {
        try {
          await stat(resolve(io.cwd, input, DOSSIER_PLAN));
        } catch {
          warnings.push(
            finding(input, "DOSSIER_WITHOUT_PLAN", t.noPlan({ file: input, plan: DOSSIER_PLAN })),
          );
        }
      }
      const read = await readAnswersFile(answersFile, io.cwd, loadAnswersValidator());
      if (!read.ok) {
        if (read.errors.some((error) => error.code.startsWith("FILE_"))) errors.push(...read.errors);
        else {
          invalidAnswers = true;
          printFindings(io, read.errors, "error");
        }
        continue;
      }
      const key = `${read.answers.establishment.finessEJ}|${read.answers.establishment.finessEG}|${read.answers.gap.fqdn}`;
      subjects.push(...expectedReminderSubjects(read.answers, orderDate, key));
    }

    printFindings(io, warnings, "warning");
    if (errors.length > 0) {
      printFindings(io, errors, "error");
      return EXIT.usage;
    }
    if (invalidAnswers) return EXIT.invalid;
    if (subjects.length === 0) {
      io.stderr.write(`${errorLine(t.nothing())}\n`);
      return EXIT.usage;
    }

    const written = sourceDateEpoch(io.env);
    if (written === "invalid")
      throw new UsageError(t.sourceDateEpoch({ value: io.env.SOURCE_DATE_EPOCH ?? "" }));
    const events = reminderEvents(subjects);
    try {
      await writeFile(resolve(io.cwd, ics), renderCalendar(events, written ?? io.now()));
    } catch (error) {
      io.stderr.write(`${errorLine(t.writeFailed({ file: ics, reason: errnoText(error) }))}\n`);
      return EXIT.usage;
    }
    const today = io.now();
    io.stdout.write(`${t.written({ file: ics, count: events.length })}\n`);
    for (const event of events) {
      const past = event.day.getTime() + 86_400_000 <= today.getTime() ? t.past() : "";
      io.stdout.write(`${t.event({ day: frenchCalendarDay(event.day), summary: event.summary, past })}\n`);
    }
    io.stdout.write(`${t.importHint()}\n`);
    return EXIT.ok;
  },
};
