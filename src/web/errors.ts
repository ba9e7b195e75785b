import type { FastifyError, FastifyInstance } from "fastify";
import { serveMessage } from "./texts.js";

/** Every error reply: `{error: {code, message}}` in French, never a stack trace. */

export interface ErrorBody {
  error: { code: string; message: string };
}

const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: "BODY_TOO_LARGE",
  FST_ERR_CTP_INVALID_MEDIA_TYPE: "UNSUPPORTED_MEDIA_TYPE",
  FST_ERR_CTP_EMPTY_JSON_BODY: "EMPTY_BODY",
  FST_ERR_CTP_INVALID_JSON_BODY: "INVALID_JSON",
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: "BAD_REQUEST",
  FST_ERR_BAD_URL: "BAD_REQUEST",
};

function sizeLabel(bytes: number): string {
  return `${Math.round(bytes / 1024)} Ko`;
}

export function errorBody(table: Record<string, string>, code: string, params = {}): ErrorBody {
  return { error: { code, message: serveMessage(table, code, params) } };
}

export function registerErrorHandlers(
  app: FastifyInstance,
  table: Record<string, string>,
  bodyLimit: number,
  logError: (error: unknown) => void,
): void {
  app.setErrorHandler(async (error: FastifyError, _request, reply) => {
    const status = typeof error.statusCode === "number" ? error.statusCode : 500;
    if (status >= 400 && status < 500) {
      const code =
        FASTIFY_CODES[error.code] ??
        (error instanceof SyntaxError
          ? "INVALID_JSON"
          : status === 415
            ? "UNSUPPORTED_MEDIA_TYPE"
            : "BAD_REQUEST");
      return reply.code(status).send(errorBody(table, code, { limit: sizeLabel(bodyLimit) }));
    }
    logError(error);
    return reply
      .code(status === 503 ? 503 : 500)
      .send(errorBody(table, status === 503 ? "UNAVAILABLE" : "INTERNAL"));
  });
  app.setNotFoundHandler(async (_request, reply) => reply.code(404).send(errorBody(table, "NOT_FOUND")));
}

/** The 422 reply for answers that do not validate: every error, in French, next to the general message. */
export function invalidAnswersBody(
  table: Record<string, string>,
  result: { errors: { path: string; code: string; message: string }[]; warnings: unknown[] },
) {
  return {
    ok: false,
    errors: result.errors,
    warnings: result.warnings,
    ...errorBody(table, "ANSWERS_INVALID", { count: result.errors.length }),
  };
}
