import ts from "typescript";

/**
 * Finds the French wording written in TypeScript: the string and template literals (never comments) that hold a
 * French accented letter, a guillemet « », a French elision (l'option, n'est, qu'il…) or two different French
 * function words (« le fichier de réponses », « ne contient pas »). Reliable on this code base: its English strings
 * (codes, paths, PDF and MIME names, SQL) hold none of these.
 */

const ACCENTED = /[àâäçéèêëîïôöùûüÿœæÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸŒÆ]/;
const GUILLEMETS = /[«»]/;
const ELISION = /(?<![\p{L}\p{N}_])(?:[dlnjstm]|qu)['’]\p{L}/iu;
const FUNCTION_WORDS = new Set([
  "le",
  "la",
  "les",
  "un",
  "une",
  "des",
  "du",
  "de",
  "au",
  "aux",
  "et",
  "ou",
  "est",
  "sont",
  "ne",
  "pas",
  "pour",
  "dans",
  "avec",
  "sans",
  "sur",
  "par",
  "en",
  "qui",
  "que",
  "ce",
  "cette",
  "ces",
  "son",
  "sa",
  "ses",
  "vous",
  "votre",
  "vos",
  "aucun",
  "aucune",
]);

/** Why a text reads as French, or undefined. */
export function frenchReason(text: string): string | undefined {
  if (ACCENTED.test(text)) return "lettre accentuée";
  if (GUILLEMETS.test(text)) return "guillemets « »";
  if (ELISION.test(text)) return "élision";
  const words = new Set(
    (text.toLowerCase().match(/\p{L}+/gu) ?? []).filter((word) => FUNCTION_WORDS.has(word)),
  );
  return words.size >= 2 ? `mots français (${[...words].join(", ")})` : undefined;
}

export interface FrenchLiteral {
  line: number;
  text: string;
  reason: string;
}

function isErrorConstructor(expression: ts.Expression): boolean {
  return ts.isIdentifier(expression) && expression.text === "Error";
}

function extendsError(node: ts.Node): boolean {
  for (let p: ts.Node | undefined = node; p; p = p.parent) {
    if (ts.isClassLike(p))
      return (p.heritageClauses ?? []).some((clause) =>
        clause.types.some((type) => isErrorConstructor(type.expression)),
      );
  }
  return false;
}

/**
 * A programmer's fault: an argument of `new Error(…)`, `Error(…)` or the `super(…)` of a class extending Error.
 * It reaches a user only behind cli.fr.json's « Erreur interne inattendue », as a diagnosis to report: it stays
 * beside the code that raises it.
 */
function inFault(node: ts.Node): boolean {
  for (let child: ts.Node = node, p = node.parent; p; child = p, p = p.parent) {
    if (ts.isNewExpression(p) || ts.isCallExpression(p)) {
      const inArguments = (p.arguments ?? []).some((argument) => argument === child);
      if (inArguments && isErrorConstructor(p.expression)) return true;
      if (inArguments && p.expression.kind === ts.SyntaxKind.SuperKeyword && extendsError(p)) return true;
    }
    if (ts.isFunctionLike(p) || ts.isSourceFile(p)) return false;
  }
  return false;
}

/** A literal that is a type (`"inchangé" | "modifié"`), a module name or a property name is no wording. */
function notText(node: ts.Node): boolean {
  const p = node.parent;
  return (
    ts.isLiteralTypeNode(p) ||
    ts.isImportDeclaration(p) ||
    ts.isExportDeclaration(p) ||
    ts.isExternalModuleReference(p) ||
    (ts.isPropertyAssignment(p) && p.name === node) ||
    (ts.isPropertySignature(p) && p.name === node)
  );
}

/** The French literals of a TypeScript or JavaScript source (by its name); a template counts as its fixed parts together. */
export function frenchLiterals(
  fileName: string,
  source: string,
  options: {
    /** The code shows an Error's message to its user (the pages' scripts do): its arguments are wording too. */
    errorsShown?: boolean;
  } = {},
): FrenchLiteral[] {
  const kind = fileName.endsWith(".js") ? ts.ScriptKind.JS : ts.ScriptKind.TS;
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, kind);
  const found: FrenchLiteral[] = [];
  const report = (node: ts.Node, text: string) => {
    if (notText(node) || (!options.errorsShown && inFault(node))) return;
    const reason = frenchReason(text);
    if (reason === undefined) return;
    const line = file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1;
    found.push({ line, text, reason });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) report(node, node.text);
    else if (ts.isTemplateExpression(node))
      report(node, [node.head.text, ...node.templateSpans.map((span) => span.literal.text)].join("…"));
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}
