import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import type { RegisterDeps } from "../../src/track/register.js";
import { createApp, type DossierBuilder, defaultWebDeps, listen } from "../../src/web/index.js";

export { readZip } from "../web/zip.js";

/** The web questionnaire served on 127.0.0.1 in-process, and Debian's Chromium, headless, on a fresh profile. */

export const CHROMIUM = "/usr/bin/chromium";
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--lang=fr-FR",
];

export interface Harness {
  url: string;
  context: BrowserContext;
  page: Page;
  /** Errors the page logged or threw. */
  pageErrors: string[];
  serverErrors: unknown[];
  close(): Promise<void>;
}

/** Records the errors a page logs or throws. @param errors where they go */
function watchErrors(page: Page, errors: string[]): void {
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => {
    // Chromium logs every non-2xx fetch; 422 (answers to fix) and 503 are answers the page handles.
    if (m.type() === "error" && !/status of (422|503)/.test(m.text())) errors.push(m.text());
  });
}

export async function startHarness(buildDossier?: DossierBuilder, track?: RegisterDeps): Promise<Harness> {
  const serverErrors: unknown[] = [];
  const app: FastifyInstance = createApp(
    defaultWebDeps({
      loopbackOnly: true,
      logError: (e) => serverErrors.push(e),
      ...(buildDossier ? { buildDossier } : {}),
      ...(track ? { track } : {}),
    }),
  );
  const listening = await listen(app, "127.0.0.1", 0);
  if (!listening.ok) throw new Error(listening.reason);
  const profile = mkdtempSync(join(tmpdir(), "diapason-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    acceptDownloads: true,
    viewport: { width: 1280, height: 900 },
    locale: "fr-FR",
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const pageErrors: string[] = [];
  watchErrors(page, pageErrors);
  return {
    url: listening.url,
    context,
    page,
    pageErrors,
    serverErrors,
    async close() {
      await context.close();
      await app.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export async function openQuestionnaire(h: Harness, page: Page = h.page): Promise<void> {
  h.pageErrors.length = 0;
  await page.goto(h.url);
  await page.waitForSelector("body[data-ready=true]");
}

/**
 * A page of its own for one test, closed whatever happens: a test that fails leaves no page in front of the
 * next tests' (a page in the background gets no animation frame) nor requests held by its routes. Its errors
 * go to `h.pageErrors` with the main page's.
 */
export async function onNewPage(h: Harness, test: (page: Page) => Promise<void>): Promise<void> {
  const page = await h.context.newPage();
  watchErrors(page, h.pageErrors);
  try {
    await test(page);
  } finally {
    await page.close();
  }
}

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** axe-core over the page (WCAG 2.0/2.1 A and AA rules); the serious and critical violations. */
export async function axeSeriousViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run: (ctx: Document, o: object) => Promise<{ violations: AxeViolation[] }> };
      }
    ).axe;
    const result = await axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] },
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target })),
    }));
  });
  return violations.filter((v) => v.impact === "serious" || v.impact === "critical");
}
