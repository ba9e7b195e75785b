import { randomBytes } from "node:crypto";
import fc from "fast-check";
import { type ParsedMail, simpleParser } from "mailparser";
import MailComposer from "nodemailer/lib/mail-composer/index.js";
import type Mail from "nodemailer/lib/mailer/index.js";
import { describe, expect, it } from "vitest";
import type { Answers } from "../../src/answers/types.js";
import { loadAnswersValidator, loadLabels, loadPlanner } from "../../src/assets/index.js";
import { buildForm413Email, type EmailInputs } from "../../src/dossier/email.js";
import { loadDossierTexts } from "../../src/dossier/texts.js";
import type { Plan } from "../../src/plan/types.js";
import {
  base64Lines,
  composeMime,
  encodeWords,
  type MimeMessage,
  quotedPrintable,
} from "../../src/render/mime.js";
import { baseAnswers, patch } from "../helpers/answers.js";
import { hasPython, runPython } from "../helpers/python.js";
import { decodeQuotedPrintable } from "./tools.js";

/** courriel-413.eml read back by a real parser (mailparser), and its raw lines checked. */

const STAMP = new Date("2025-03-13T21:06:40Z");
const TRACE = {
  toolVersion: "0.0.0-test",
  rulesVersion: "sha256:0123456789abcdef",
  answersHash: "sha256:feed",
};

async function planFor(change: unknown): Promise<{ plan: Plan; answers: Answers }> {
  const result = loadAnswersValidator().validate(patch(baseAnswers(), change));
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return { plan: await loadPlanner().plan(result.answers, result.warnings), answers: result.answers };
}

const TWO_DESIGNEES = {
  establishment: { name: "Clinique Œuvray – Saint-Ägidius" },
  legalRepresentative: { firstName: "María", lastName: "Nguyễn" },
  designees: [
    {
      role: "technicalAdministrator",
      firstName: "Łukasz",
      lastName: "Nguyễn",
      email: "lukasz@ch-ville.fr",
      hasActiveCard: true,
    },
    {
      role: "technicalAdministrator",
      firstName: "Jean",
      lastName: "Œuvray",
      email: "jean@ch-ville.fr",
      hasActiveCard: true,
    },
  ],
};

/** Two PDF-like attachments of the usual sizes, under names with accents. */
async function inputs(change: unknown = TWO_DESIGNEES, names?: string[]): Promise<EmailInputs> {
  const { plan, answers } = await planFor(change);
  const forms = plan.forms.filter((f) => f.form === "413");
  return {
    plan,
    answers,
    labels: loadLabels(),
    texts: loadDossierTexts(),
    attachments: forms.map((form, i) => ({
      form,
      fileName: names?.[i] ?? `413-${form.id}.pdf`,
      bytes: new Uint8Array(Buffer.concat([Buffer.from("%PDF-1.7\n"), randomBytes(20_000 + 70_000 * i)])),
    })),
    stamp: STAMP,
    trace: TRACE,
  };
}

/** Every line ends with CRLF (no lone CR or LF) and has at most 998 octets (RFC 5322 §2.1.1). */
function expectWellFormedLines(bytes: Uint8Array, max = 998): void {
  const text = Buffer.from(bytes).toString("latin1");
  expect(text.endsWith("\r\n")).toBe(true);
  expect(text.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
  const longest = Math.max(...text.split("\r\n").map((l) => l.length));
  expect(longest).toBeLessThanOrEqual(max);
  expect(text).not.toMatch(/[^\t\r\n -~]/);
}

const addresses = (field: ParsedMail["from"] | ParsedMail["to"]) =>
  [field ?? []].flat().flatMap((a) => a.value.map((v) => ({ name: v.name, address: v.address })));

describe("buildForm413Email", () => {
  it("reads back with mailparser: accented headers, the body, the forms byte for byte", async () => {
    const names = ["413-administrateur-technique-nguyễn-łukasz.pdf", "Formulaire n°413 – Jean Œuvray.pdf"];
    const input = await inputs(TWO_DESIGNEES, names);
    const eml = await buildForm413Email(input);
    expectWellFormedLines(eml, 78);
    const mail = await simpleParser(Buffer.from(eml));
    expect(mail.subject).toBe(
      "Formulaires n°413 – habilitation Diapason – Clinique Œuvray – Saint-Ägidius (FINESS 010003812)",
    );
    const signatory = [{ name: "María Nguyễn", address: "direction@ch-ville.fr" }];
    expect(addresses(mail.from)).toEqual(signatory);
    expect(addresses(mail.replyTo)).toEqual(signatory);
    expect(addresses(mail.to)).toEqual([{ name: "", address: "monserviceclient.certificats@asipsante.fr" }]);
    expect(mail.date?.toISOString()).toBe(STAMP.toISOString());
    expect(mail.messageId).toMatch(/^<diapason-413\.[0-9a-f]{32}@ch-ville\.fr>$/);
    expect(mail.headers.get("x-unsent")).toBe("1");
    expect(mail.headers.get("x-diapason-dossier")).toBe(
      "version=0.0.0-test; rules=sha256:0123456789abcdef; answers=sha256:feed",
    );
    expect(mail.headers.get("mime-version")).toBe("1.0");
    // The draft opens with what to receive before sending it, to remove before sending; then the letter.
    expect(mail.text?.startsWith("[À retirer avant l'envoi]\nÀ envoyer seulement une fois reçus :\n")).toBe(
      true,
    );
    expect(mail.text).toContain("[Fin du passage à retirer]\n\nBonjour,\n\nDans le cadre du raccordement");
    expect(mail.text).toContain(
      "- 413-administrateur-technique-nguyễn-łukasz.pdf : habilitation de Łukasz Nguyễn",
    );
    expect(mail.text).toContain("les formulaires n°413");
    expect(mail.text?.endsWith("María Nguyễn\nReprésentant légal\nClinique Œuvray – Saint-Ägidius\n")).toBe(
      true,
    );
    expect(mail.attachments.map((a) => [a.filename, a.contentType, a.contentDisposition])).toEqual([
      [names[0], "application/pdf", "attachment"],
      [names[1], "application/pdf", "attachment"],
    ]);
    mail.attachments.forEach((a, i) => {
      expect(Buffer.compare(a.content, Buffer.from(input.attachments[i]?.bytes ?? []))).toBe(0);
    });
  });

  it("writes the body as the same text the template gives, and the one form under its own name", async () => {
    const input = await inputs({}, ["413-administrateur-technique-lefevre-elodie.pdf"]);
    const eml = await buildForm413Email(input);
    expectWellFormedLines(eml, 78);
    const mail = await simpleParser(Buffer.from(eml));
    expect(mail.subject).toBe(
      "Formulaire n°413 – habilitation Diapason – Centre hospitalier de Ville (FINESS 010003812)",
    );
    expect(addresses(mail.from)).toEqual([{ name: "Marie Durand", address: "direction@ch-ville.fr" }]);
    expect(mail.text).toContain(
      "\n  Centre hospitalier de Ville\n  FINESS EJ 010003812 – FINESS EG 010003820\n",
    );
    expect(mail.text).toContain("habilitation d'Élodie Lefèvre, administrateur technique");
    // Base answers: no contract, no cards: the n°413 waits for the contract and both cards, named one by one.
    expect(mail.text).toContain(
      "À envoyer seulement une fois reçus :\n  – l'enregistrement du contrat de structure par l'ANS ;\n  – la carte CDE (ou CPS responsable) de Marie Durand, représentant légal ;\n  – la carte CPx d'Élodie Lefèvre ;\n",
    );
  });

  it("says when nothing is awaited: the e-mail can go once the form is signed", async () => {
    const input = await inputs(
      {
        contract: { exists: true, signedAt: "EJ" },
        legalRepresentative: { hasActiveCard: true },
        designees: [
          {
            role: "technicalAdministrator",
            firstName: "Élodie",
            lastName: "Lefèvre",
            email: "elodie.lefevre@ch-ville.fr",
            hasActiveCard: true,
          },
        ],
      },
      ["413-administrateur-technique-lefevre-elodie.pdf"],
    );
    const mail = await simpleParser(Buffer.from(await buildForm413Email(input)));
    expect(mail.text).toContain("Rien à attendre : ce courriel peut partir dès que le formulaire est signé");
    expect(mail.text).not.toContain("À envoyer seulement une fois reçus");
    expect(mail.text).toContain("vous trouverez ci-joint le formulaire n°413 de commande");
    expect(mail.attachments.map((a) => a.filename)).toEqual([
      "413-administrateur-technique-lefevre-elodie.pdf",
    ]);
  });

  it("gives the same bytes for the same inputs, other bytes for another date", async () => {
    const input = await inputs();
    const first = await buildForm413Email(input);
    expect(Buffer.from(await buildForm413Email(input)).equals(Buffer.from(first))).toBe(true);
    const later = await buildForm413Email({ ...input, stamp: new Date(STAMP.getTime() + 1000) });
    const boundary = (b: Uint8Array) => /boundary="([^"]+)"/.exec(Buffer.from(b).toString("latin1"))?.[1];
    expect(boundary(first)).toMatch(/^=_diapason-413-[0-9a-f]{16}$/);
    expect(boundary(later)).not.toBe(boundary(first));
  });

  it("refuses an e-mail without a form n°413", async () => {
    const input = await inputs();
    await expect(buildForm413Email({ ...input, attachments: [] })).rejects.toThrow("sans formulaire");
  });
});

const PDF = new Uint8Array(
  Buffer.concat([Buffer.from("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "latin1"), randomBytes(5000)]),
);

function message(over: Partial<MimeMessage> = {}): MimeMessage {
  return {
    headers: [["X-Unsent", "1"]],
    from: { name: "Łukasz Nguyễn", address: "lukasz@ch-ville.fr" },
    to: "monserviceclient.certificats@asipsante.fr",
    replyTo: { name: "Łukasz Nguyễn", address: "lukasz@ch-ville.fr" },
    subject: "Formulaire n°413 – habilitation Diapason – Clinique Œuvray (FINESS 010003812)",
    date: STAMP,
    messageId: "<diapason-413.0123@ch-ville.fr>",
    boundary: "=_diapason-413-0123456789abcdef",
    text: "Bonjour,\n\nCi-joint le formulaire n°413.\n",
    attachments: [{ fileName: "413-nguyễn-łukasz.pdf", contentType: "application/pdf", bytes: PDF }],
    ...over,
  };
}

/** What MailComposer writes for the same message: the reference the direct writer replaced. */
async function composed(m: MimeMessage): Promise<Buffer> {
  const options = {
    from: m.from,
    replyTo: m.replyTo,
    to: m.to,
    subject: m.subject,
    text: m.text,
    date: m.date,
    messageId: m.messageId,
    headers: Object.fromEntries(m.headers),
    attachments: m.attachments.map((a) => ({
      filename: a.fileName,
      content: Buffer.from(a.bytes),
      contentType: a.contentType,
    })),
  } satisfies Mail.Options;
  return new MailComposer(options).compile().build();
}

function essentials(mail: ParsedMail) {
  return {
    subject: mail.subject,
    from: addresses(mail.from),
    to: addresses(mail.to),
    replyTo: addresses(mail.replyTo),
    date: mail.date?.toISOString(),
    messageId: mail.messageId,
    xUnsent: mail.headers.get("x-unsent"),
    text: mail.text,
    attachments: mail.attachments.map((a) => ({
      filename: a.filename,
      contentType: a.contentType,
      disposition: a.contentDisposition,
      content: a.content.toString("base64"),
    })),
  };
}

describe("composeMime", () => {
  const cases: [string, Partial<MimeMessage>][] = [
    ["names and file names with accents", {}],
    [
      "quotes, a long subject, CJK and emoji, a very long file name",
      {
        from: { name: 'Jean "JJ" Dupont', address: "jj@ch-ville.fr" },
        replyTo: { name: "日本ソフト 株式会社", address: "info@nihon.example" },
        subject: `${"Objet très long – ".repeat(12)}😀 fin`,
        attachments: [
          {
            fileName: `${"formulaire-à-signer-".repeat(8)}Nguyễn.pdf`,
            contentType: "application/pdf",
            bytes: PDF,
          },
          { fileName: `${"a".repeat(120)}.pdf`, contentType: "application/pdf", bytes: PDF.subarray(0, 57) },
          { fileName: 'vide; "x" (1).pdf', contentType: "application/pdf", bytes: new Uint8Array() },
        ],
      },
    ],
    [
      "a body with long lines, trailing blanks, = signs and CRLF",
      {
        text: `${"é".repeat(200)}\nfin de ligne  \r\na=b =3D\t\n${"x".repeat(300)}\n--=_diapason-413-0123456789abcde\n.\n`,
      },
    ],
  ];
  it.each(cases)("reads back as MailComposer's message does: %s", async (_name, over) => {
    const m = message(over);
    const ours = composeMime(m);
    expectWellFormedLines(ours, 998);
    const mail = await simpleParser(Buffer.from(ours));
    const reference = await simpleParser(await composed(m));
    expect(essentials(mail)).toEqual(essentials(reference));
    expect(mail.text).toBe(m.text.replace(/\r\n/g, "\n"));
    expect(mail.attachments.map((a) => a.filename)).toEqual(m.attachments.map((a) => a.fileName));
  });

  it("refuses header injection and unsafe addresses, boundaries or message ids", () => {
    expect(() => composeMime(message({ to: "a@b.fr\r\nBcc: x@y.fr" }))).toThrow("adresse");
    expect(() => composeMime(message({ to: "Nom <a@b.fr>" }))).toThrow("adresse");
    expect(() => composeMime(message({ boundary: 'a"b' }))).toThrow("frontière");
    expect(() => composeMime(message({ messageId: "sans-chevrons@x" }))).toThrow("Message-ID");
    const folded = Buffer.from(composeMime(message({ subject: "a\r\nBcc: x@y.fr" }))).toString("latin1");
    expect(folded).not.toMatch(/^Bcc:/m);
  });
});

describe("encoded words in header fields", () => {
  /** Each encoded word of a header value, decoded on its own. */
  function decodedWords(value: string): string[] {
    return [...value.matchAll(/=\?UTF-8\?([QB])\?([^?]*)\?=/g)].map(([, kind, text]) =>
      kind === "B"
        ? Buffer.from(text ?? "", "base64").toString("utf8")
        : Buffer.from(
            (text ?? "")
              .replace(/_/g, " ")
              .replace(/=([0-9A-F]{2})/g, (_m, h) => String.fromCharCode(parseInt(h, 16))),
            "latin1",
          ).toString("utf8"),
    );
  }

  it("break only between words, each encoded word within 60 characters", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.constantFrom(
            "Bœuf-Çaëlle",
            "Anne-Sophie",
            "de",
            "Saint-Étienne-du-Rouvray",
            "n°413",
            "—",
            "日本ソフト",
            "😀",
          ),
          {
            minLength: 1,
            maxLength: 25,
          },
        ),
        (words) => {
          const value = words.join(" ");
          const encoded = encodeWords(value);
          for (const w of encoded.split(" ")) expect(w.length).toBeLessThanOrEqual(60);
          const parts = decodedWords(encoded);
          expect(parts.join("")).toBe(value);
          // Every part but the last ends with the space between two words: no word is cut.
          for (const part of parts.slice(0, -1)) expect(part.endsWith(" ")).toBe(true);
        },
      ),
    );
  });

  it.skipIf(!hasPython("email"))(
    "are read intact by Python's email, in the From, Reply-To and Subject fields, whatever the length",
    () => {
      const script = [
        "import sys, json, email, email.policy, email.header",
        "out = []",
        "for line in sys.stdin.read().split():",
        "    raw = bytes.fromhex(line)",
        "    m = email.message_from_bytes(raw, policy=email.policy.default)",
        "    old = email.message_from_bytes(raw)",
        "    d = lambda h: str(email.header.make_header(email.header.decode_header(old[h])))",
        "    out.append([m['From'].addresses[0].display_name, str(m['Subject']), d('From'), d('Subject')])",
        "print(json.dumps(out))",
      ].join("\n");
      const names = Array.from(
        { length: 40 },
        (_, n) => `${"Marie-".repeat(n % 6)}Anne Bœuf-Çaëlle${" Łukasz".repeat(n % 5)}`,
      );
      const input = names
        .map((name) =>
          Buffer.from(
            composeMime(
              message({
                from: { name, address: "a@ch-ville.fr" },
                subject: `Formulaire n°413 — ${name} — fin`,
              }),
            ),
          ).toString("hex"),
        )
        .join("\n");
      const read = JSON.parse(runPython(["email"], script, input)) as string[][];
      read.forEach(([defaultFrom, defaultSubject, oldFrom, oldSubject], i) => {
        const name = names[i] ?? "";
        const words = name.split(" ");
        // The words, never cut (Python's default policy puts a space between two encoded words of a name).
        expect(defaultFrom?.split(/ +/)).toEqual(words);
        expect(defaultSubject).toBe(`Formulaire n°413 — ${name} — fin`);
        expect(oldFrom).toBe(`${name} <a@ch-ville.fr>`);
        expect(oldSubject).toBe(`Formulaire n°413 — ${name} — fin`);
      });
      expect(read).toHaveLength(names.length);
      // A name that fits in one encoded word reads exactly, whatever the policy.
      expect(read[0]?.[0]).toBe("Anne Bœuf-Çaëlle");
    },
  );
});

describe("quotedPrintable", () => {
  it("round-trips any text, CRLF line ends, lines of at most 76 characters", () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.string({ unit: "grapheme" }), fc.constantFrom(" ", "\t", "=", "\n", "\r\n"))),
        (pieces) => {
          const text = pieces.join("");
          const qp = quotedPrintable(text);
          expect(qp).not.toMatch(/[^\t\r\n -~]/);
          expect(qp.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
          for (const line of qp.split("\r\n")) {
            expect(line.length).toBeLessThanOrEqual(76);
            expect(line).not.toMatch(/[ \t]$/);
          }
          expect(decodeQuotedPrintable(qp)).toBe(text.replace(/\r?\n/g, "\r\n"));
        },
      ),
    );
  });
});

describe("base64Lines", () => {
  it("is the bytes' base64 in lines of 76 characters", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 500 }), (bytes) => {
        const text = base64Lines(bytes);
        const lines = text === "" ? [] : text.split("\r\n");
        for (const line of lines.slice(0, -1)) expect(line).toHaveLength(76);
        expect(lines.at(-1)?.length ?? 0).toBeLessThanOrEqual(76);
        expect(lines.join("")).toBe(Buffer.from(bytes).toString("base64"));
      }),
    );
  });

  it("stays whole across the encoder's chunks (57 × 768 bytes each)", () => {
    const chunk = 57 * 768;
    for (const length of [chunk - 1, chunk, chunk + 1, chunk + 57, 2 * chunk + 2, 150_000]) {
      const bytes = new Uint8Array(randomBytes(length));
      const lines = base64Lines(bytes).split("\r\n");
      expect(lines.slice(0, -1).every((l) => l.length === 76)).toBe(true);
      expect(lines.join("")).toBe(Buffer.from(bytes).toString("base64"));
    }
  });
});
