import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { baseAnswers } from "../helpers/answers.js";
import { run } from "../helpers/io.js";
import { hasPython, runPython } from "../helpers/python.js";
import { createTestPki, NOW, pem, type TestPki, tempDir, write } from "./pki.js";

let pki: TestPki;
let dir: string;

async function reminders(args: string[]) {
  return run(["reminders", ...args], { cwd: dir, now: NOW });
}

function ics(name: string): string {
  return readFileSync(join(dir, name), "utf8");
}

/** The VEVENT blocks of a calendar, unfolded, as maps of property name (with parameters) to value. */
function events(text: string): Record<string, string>[] {
  const lines = text.replace(/\r\n[ \t]/g, "").split("\r\n");
  const out: Record<string, string>[] = [];
  let current: Record<string, string> | undefined;
  let depth = 0;
  for (const line of lines) {
    if (line === "BEGIN:VEVENT") current = {};
    else if (line === "END:VEVENT" && current) {
      out.push(current);
      current = undefined;
    } else if (line.startsWith("BEGIN:VALARM")) depth++;
    else if (line.startsWith("END:VALARM")) depth--;
    else if (current && depth === 0) {
      const colon = line.indexOf(":");
      current[line.slice(0, colon)] = line.slice(colon + 1);
    }
  }
  return out;
}

beforeAll(async () => {
  pki = await createTestPki();
  dir = tempDir("reminders");
  const client = await pki.issue({
    cn: "Client_Diapason_PSP",
    serial: "0d01",
    notBefore: new Date("2026-02-12T10:00:00Z"),
    notAfter: new Date("2029-02-12T10:00:00Z"),
  });
  // 23:30 UTC is already the next day in Paris.
  const server = await pki.issue({
    cn: "gap01.ch-ville.fr",
    dns: ["gap01.ch-ville.fr"],
    usage: "server",
    serial: "0d02",
    notBefore: new Date("2026-03-31T08:00:00Z"),
    notAfter: new Date("2029-03-30T23:30:00Z"),
  });
  write(dir, "client.pem", pem(client));
  write(dir, "server.der", server.rawData);
  const dossier = join(dir, "dossier");
  mkdirSync(dossier);
  write(dossier, "reponses.json", JSON.stringify(baseAnswers()));
  write(dossier, "plan.json", "{}");
  write(dir, "reponses.json", JSON.stringify(baseAnswers()));
});

describe("reminders", () => {
  it("writes an alert one month before and the expiry day of each certificate, as all-day events", async () => {
    const { code, stdout, stderr } = await reminders(["client.pem", "server.der", "--ics", "rappels.ics"]);
    expect(code, stderr).toBe(0);
    expect(stdout).toContain("Calendrier écrit : rappels.ics (4 événements)");
    const found = events(ics("rappels.ics"));
    expect(found.map((e) => [e["DTSTART;VALUE=DATE"], e["DTEND;VALUE=DATE"], e.SUMMARY])).toEqual([
      [
        "20290112",
        "20290113",
        "Diapason : renouveler le certificat client ORG AUTH_CLI de Centre hospitalier de Test",
      ],
      [
        "20290212",
        "20290213",
        "Diapason : le certificat client ORG AUTH_CLI de Centre hospitalier de Test expire",
      ],
      [
        "20290228",
        "20290301",
        "Diapason : renouveler le certificat serveur SSL_SERVEUR de Centre hospitalier de Test",
      ],
      [
        "20290331",
        "20290401",
        "Diapason : le certificat serveur SSL_SERVEUR de Centre hospitalier de Test expire",
      ],
    ]);
    const [alert] = found;
    // DTSTAMP: when the file was written (the clock of the test, 2026-03-15 10:00 UTC).
    expect(alert?.DTSTAMP).toBe("20260315T100000Z");
    expect(alert?.DESCRIPTION).toContain("expire le 12 février 2029 à 11:00");
    expect(alert?.DESCRIPTION).toContain(
      "commande un nouveau certificat ORG_AUTH_CLI sur la Plateforme IGC-Santé",
    );
    expect(alert?.DESCRIPTION).toContain("Numéro de série : 0D01.");
    expect(found[3]?.DESCRIPTION).toContain("le TPE refusera la connexion à la GAP");
  });

  it("writes a calendar Outlook and Thunderbird open: VCALENDAR 2.0, PRODID, METHOD:PUBLISH, CRLF, short lines", async () => {
    const text = ics("rappels.ics");
    expect(
      text.startsWith(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//diapason-dossier//rappels-certificats//FR\r\nMETHOD:PUBLISH\r\n",
      ),
    ).toBe(true);
    expect(text.endsWith("END:VEVENT\r\nEND:VCALENDAR\r\n")).toBe(true);
    expect(text.replace(/\r\n/g, "")).not.toContain("\n");
    for (const line of text.split("\r\n")) expect(Buffer.byteLength(line, "utf8")).toBeLessThanOrEqual(75);
    expect(text.match(/BEGIN:VEVENT/g)).toHaveLength(4);
    expect(text.match(/END:VEVENT/g)).toHaveLength(4);
    expect(text).toMatch(/UID:[0-9a-f]{32}@diapason-dossier\r\n/);
  });

  it("gives the same file, UIDs included, on every run and whatever the order of the inputs", async () => {
    await reminders(["server.der", "client.pem", "client.pem", "--ics", "encore.ics"]);
    expect(ics("encore.ics")).toBe(ics("rappels.ics"));
  });

  it("gives the expected dates of a dossier not yet ordered from --order-date, for both certificates", async () => {
    const { code, stderr } = await reminders(["dossier", "--order-date", "2026-04-01", "--ics", "prevu.ics"]);
    expect(code, stderr).toBe(0);
    const found = events(ics("prevu.ics"));
    expect(found.map((e) => e["DTSTART;VALUE=DATE"])).toEqual([
      "20290301",
      "20290301",
      "20290401",
      "20290401",
    ]);
    expect(found.map((e) => e.SUMMARY)).toContain(
      "Diapason : renouveler le certificat serveur SSL_SERVEUR de Centre hospitalier de Ville",
    );
    const server = found.find((e) => e.SUMMARY?.includes("renouveler le certificat serveur"));
    expect(server?.DESCRIPTION).toContain("devrait expirer le 1er avril 2029");
    expect(server?.DESCRIPTION).toContain("Dates prévues pour une commande le 1er avril 2026");
    expect(server?.DESCRIPTION).toContain("service applicatif « gap01.ch-ville.fr »");
    expect(server?.DESCRIPTION).toContain("Élodie Lefèvre (elodie.lefevre@ch-ville.fr)");
    expect(found[0]?.DTSTAMP).toBe("20260315T100000Z");
    const fromAnswers = await reminders([
      "reponses.json",
      "--order-date",
      "2026-04-01",
      "--ics",
      "prevu2.ics",
    ]);
    expect(fromAnswers.code).toBe(0);
    expect(ics("prevu2.ics")).toBe(ics("prevu.ics"));
  });

  it("asks for --order-date for a dossier and refuses an impossible date", async () => {
    const missing = await reminders(["dossier", "--ics", "x.ics"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("--order-date AAAA-MM-JJ");
    const impossible = await reminders(["dossier", "--order-date", "2026-02-30", "--ics", "x.ics"]);
    expect(impossible.code).toBe(2);
    expect(impossible.stderr).toContain("--order-date attend une date AAAA-MM-JJ (reçu « 2026-02-30 »)");
  });

  it("stamps the events with the time of writing, fixed by SOURCE_DATE_EPOCH, and a SEQUENCE that grows with it", async () => {
    const at = async (name: string, env: Record<string, string>, now = NOW) => {
      const r = await run(["reminders", "client.pem", "--ics", name], { cwd: dir, now, env });
      expect(r.code, r.stderr).toBe(0);
      return events(ics(name));
    };
    const fixed = await at("fixe.ics", { SOURCE_DATE_EPOCH: "1780000000" });
    expect(fixed.map((e) => e.DTSTAMP)).toEqual(["20260528T202640Z", "20260528T202640Z"]);
    // The same epoch on another day: the same bytes.
    await at("fixe2.ics", { SOURCE_DATE_EPOCH: "1780000000" }, new Date("2027-01-01T00:00:00Z"));
    expect(ics("fixe2.ics")).toBe(ics("fixe.ics"));
    // Regenerated later (same events, same UIDs): every SEQUENCE is greater, so calendars take the update.
    const later = await at("plus-tard.ics", { SOURCE_DATE_EPOCH: "1780000060" });
    expect(later.map((e) => e.UID)).toEqual(fixed.map((e) => e.UID));
    fixed.forEach((e, i) => {
      expect(Number(later[i]?.SEQUENCE)).toBeGreaterThan(Number(e.SEQUENCE));
    });
    expect(Number(later[0]?.SEQUENCE) - Number(fixed[0]?.SEQUENCE)).toBe(60);
    const bad = await run(["reminders", "client.pem", "--ics", "x.ics"], {
      cwd: dir,
      now: NOW,
      env: { SOURCE_DATE_EPOCH: "demain" },
    });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("SOURCE_DATE_EPOCH vaut « demain »");
  });

  it.skipIf(!hasPython("icalendar"))(
    "is read by Python's icalendar: the events, their DTSTAMP and SEQUENCE, nothing after the last CRLF",
    async () => {
      const script = [
        "import sys, icalendar",
        "data = sys.stdin.buffer.read()",
        "cal = icalendar.Calendar.from_ical(data)",
        "print(repr(data[-15:]))",
        "for e in cal.walk('VEVENT'):",
        "    print(e.get('UID'), e.decoded('DTSTAMP').isoformat(), int(e.get('SEQUENCE')), e.get('SUMMARY'))",
      ].join("\n");
      const out = runPython(["icalendar"], script, readFileSync(join(dir, "fixe.ics")))
        .trim()
        .split("\n");
      expect(out[0]).toBe("b'END:VCALENDAR\\r\\n'");
      expect(out).toHaveLength(3);
      for (const line of out.slice(1)) {
        expect(line).toMatch(
          /^[0-9a-f]{32}@diapason-dossier 2026-05-28T20:26:40\+00:00 12774400 Diapason : /,
        );
      }
    },
  );

  it("exits 2 on an unreadable certificate", async () => {
    write(dir, "vide.pem", "");
    const { code, stderr } = await reminders(["vide.pem", "--ics", "x.ics"]);
    expect(code).toBe(2);
    expect(stderr).toContain("vide.pem : le fichier est vide");
  });
});
