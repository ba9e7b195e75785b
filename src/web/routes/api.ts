import type { FastifyInstance } from "fastify";
import { decodeAnswersBytes } from "../../answers-file/read.js";
import { loadRuleSet } from "../../assets/load.js";
import { planDraft } from "../../questionnaire/plan-draft.js";
import type { WebDeps } from "../deps.js";
import { invalidAnswersBody } from "../errors.js";
import { planDraftSummary, planSummary } from "../plan-summary.js";

/** The questionnaire's API: the schema and texts, validation, the live plan, and reading a saved answers file. */
export function registerApiRoutes(app: FastifyInstance, deps: WebDeps): void {
  const { validator, planner, questionnaire, labels } = deps;
  const schemaPayload = JSON.stringify({
    schema: questionnaire.schema,
    questionnaire: questionnaire.model,
    why: questionnaire.why,
    texts: questionnaire.texts,
  });

  app.get("/api/schema", async (_request, reply) =>
    reply.type("application/json; charset=utf-8").send(schemaPayload),
  );

  app.post("/api/validate", async (request) => {
    const result = validator.validate(request.body);
    return result.ok
      ? { ok: true, errors: [], warnings: result.warnings }
      : { ok: false, errors: result.errors, warnings: result.warnings };
  });

  app.post("/api/plan", async (request, reply) => {
    const result = validator.validate(request.body);
    if (!result.ok) {
      return reply.code(422).send(invalidAnswersBody(deps.texts.http, result));
    }
    const plan = await planner.plan(result.answers, result.warnings);
    return { ok: true, warnings: result.warnings, plan: planSummary(plan, labels) };
  });

  // The plan as it forms, for answers not yet complete: the rules decide for every completion that matters.
  const draftDeps = { validator, planner, model: questionnaire.model, ruleSet: loadRuleSet() };
  app.post("/api/plan/draft", async (request) => {
    const draft = await planDraft(request.body, draftDeps);
    return {
      draft: draft ? planDraftSummary(draft, labels, questionnaire.texts.plan.designeeN ?? "") : null,
    };
  });

  app.post("/api/answers/load", async (request, reply) => {
    const body = request.body;
    const bytes = Buffer.isBuffer(body) ? body : Buffer.alloc(0);
    const read = decodeAnswersBytes(bytes, deps.texts.uploadName, validator);
    if (!read.ok) return reply.code(422).send({ ok: false, errors: read.errors, warnings: [] });
    const result = validator.validate(read.data);
    return {
      ok: true,
      data: read.data,
      valid: result.ok,
      errors: result.ok ? [] : result.errors,
      warnings: result.warnings,
    };
  });
}
