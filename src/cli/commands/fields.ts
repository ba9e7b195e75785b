import { basename, resolve } from "node:path";
import { readFileBounded } from "../../io/index.js";
import { type CliIo, EXIT } from "../../io/port.js";
import { pdfMessages, renderText } from "../../pdf/messages.js";
import { describePdfFields, fieldsText, mappingSkeleton } from "../../render/index.js";
import { booleanOption, type Command } from "../command.js";

async function readPdf(file: string, io: CliIo): Promise<Uint8Array | string> {
  const read = await readFileBounded(resolve(io.cwd, file), file, "pdfTemplate");
  return read.ok ? read.bytes : read.problem.message;
}

export const fieldsCommand: Command = {
  name: "fields",
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
