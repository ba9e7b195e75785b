import Ajv2020, { type ValidateFunction } from "ajv/dist/2020.js";
import { domainChecks } from "./domain-checks.js";
import { FieldNames, type JsonSchema, type MessageCatalog } from "./messages.js";
import { normalizeAnswers } from "./normalize.js";
import { shapeError } from "./parse.js";
import { schemaErrors } from "./schema-errors.js";
import { shapeProblem } from "./shape.js";
import type { Answers, ValidationResult } from "./types.js";

export interface AnswersValidatorAssets {
  schema: JsonSchema;
  catalog: MessageCatalog;
}

export interface AnswersValidator {
  /** Every error at once, as French values; on success the normalized answers. Pure. */
  validate(input: unknown): ValidationResult;
  names: FieldNames;
  catalog: MessageCatalog;
}

/** Compiles the answers schema once; the returned validator is reused for every input. */
export function createAnswersValidator(assets: AnswersValidatorAssets): AnswersValidator {
  const ajv = new Ajv2020.default({
    allErrors: true,
    strict: true,
    strictRequired: false,
    strictTypes: false,
  });
  ajv.addVocabulary(["x-messages", "x-enumTitles", "x-enumRequires"]);
  const check: ValidateFunction = ajv.compile(assets.schema);
  const names = new FieldNames(assets.schema, assets.catalog);
  return {
    names,
    catalog: assets.catalog,
    validate(input: unknown): ValidationResult {
      // Answers from anywhere (a request body, a spreadsheet line) are bounded before anything recurses into them.
      const problem = shapeProblem(input);
      if (problem) return { ok: false, errors: [shapeError(problem, assets.catalog)], warnings: [] };
      const schemaOk = check(input);
      const errors = schemaOk ? [] : schemaErrors(check.errors ?? [], input, names, assets.catalog);
      const domain = domainChecks(input, names, assets.catalog);
      const taken = new Set(errors.map((e) => e.path));
      // A field already wrong in shape gets no second message about its content.
      errors.push(...domain.errors.filter((e) => !taken.has(e.path)));
      if (errors.length > 0) return { ok: false, errors, warnings: domain.warnings };
      return { ok: true, answers: normalizeAnswers(input as Answers), warnings: domain.warnings };
    },
  };
}
