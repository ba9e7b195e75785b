import { readFile, stat } from "node:fs/promises";
import { basename, resolve } from "node:path";
import { describePdfFields, fieldsText, mappingSkeleton } from "../../pdf/field-list.js";
import { errorText, pdfMessages, renderText } from "../../pdf/messages.js";
import { booleanOption, type Command } from "../command.js";
import { type CliIo, EXIT } from "../io.js";

/** A form PDF is a few hundred kilobytes; anything far larger is not one. */
const MAX_PDF_BYTES = 50 * 1024 * 1024;

async function readPdf(file: string, io: CliIo): Promise<Uint8Array | string> {
  const path = resolve(io.cwd, file);
  try {
    const info = await stat(path);
    if (info.isDirectory()) return errorText("FILE_IS_DIRECTORY", { file });
    if (info.size > MAX_PDF_BYTES) {
      return errorText("FILE_TOO_LARGE", {
        file,
        size: Math.ceil(info.size / 1024 / 1024),
        limit: MAX_PDF_BYTES / 1024 / 1024,
      });
    }
    return new Uint8Array(await readFile(path));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return errorText("FILE_NOT_FOUND", { file });
    return errorText("FILE_UNREADABLE", { file, reason: code === "EACCES" ? "accès refusé" : String(code) });
  }
}

export const fieldsCommand: Command = {
  name: "fields",
  summary:
    "Liste les champs d'un formulaire PDF (nom, type, choix, valeurs d'export), pour écrire sa correspondance.",
  usage: "<formulaire.pdf>",
  help: `Sert à remplacer un modèle fourni par un autre PDF (par exemple le formulaire officiel de l'ANS) :
listez ses champs, écrivez <formulaire>.mapping.json (champ du PDF → chemin dans le plan ou les réponses),
puis passez le dossier qui contient le PDF et sa correspondance à « generate --templates <dossier> ».
Codes de sortie : 0 liste écrite, 1 fichier illisible ou PDF invalide, 2 erreur d'utilisation.`,
  options: {
    json: {
      type: "boolean",
      description: "Écrit la liste en JSON : [{name, type, page, label, options, exportValues…}].",
    },
    mapping: {
      type: "boolean",
      description:
        "Écrit un squelette de correspondance (<formulaire>.mapping.json) où chaque champ est ignoré.",
    },
  },
  minPositionals: 1,
  maxPositionals: 1,
  async run({ values, positionals, io }) {
    const file = positionals[0] ?? "";
    const bytes = await readPdf(file, io);
    const fail = (message: string) => {
      io.stderr.write(`${renderText(pdfMessages().fields.error, { message })}\n`);
      return EXIT.invalid;
    };
    if (typeof bytes === "string") return fail(bytes);
    const result = await describePdfFields(bytes, file);
    if (!result.ok) return fail(result.error.message);
    if (booleanOption(values, "mapping")) io.stdout.write(mappingSkeleton(result.fields, basename(file)));
    else if (booleanOption(values, "json")) io.stdout.write(`${JSON.stringify(result.fields, null, 2)}\n`);
    else io.stdout.write(fieldsText(result.fields, file));
    return EXIT.ok;
  },
};
