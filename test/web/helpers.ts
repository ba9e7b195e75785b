import { readFileSync } from "node:fs";
import { join } from "node:path";
import YAML from "yaml";
import { createApp, defaultWebDeps, type WebDeps } from "../../src/web/index.js";
import { ROOT } from "../helpers/answers.js";

/** The web application over the shipped assets; `overrides` replace dependencies (a fake dossier builder…). */
export function testApp(overrides: Partial<WebDeps> = {}) {
  const errors: unknown[] = [];
  const deps: WebDeps = {
    ...defaultWebDeps({ loopbackOnly: true, logError: (e) => errors.push(e) }),
    ...overrides,
  };
  return { app: createApp(deps), deps, errors };
}

export function exampleAnswers(name = "ch-ville.yaml"): Record<string, unknown> {
  return YAML.parse(readFileSync(join(ROOT, "examples", name), "utf8")) as Record<string, unknown>;
}

export function exampleText(name = "ch-ville.yaml"): string {
  return readFileSync(join(ROOT, "examples", name), "utf8");
}
