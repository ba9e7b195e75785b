/** Calls to the local server. Every error reply carries a French message. */

import { STRINGS } from "./strings.js";

/**
 * @param {string} url @param {RequestInit} [init]
 * @returns {Promise<{status: number, body: any, response: Response}>}
 */
async function call(url, init) {
  let response;
  try {
    response = await fetch(url, init);
  } catch {
    throw new Error(STRINGS.serverDown);
  }
  const type = response.headers.get("content-type") ?? "";
  const body = type.includes("application/json") ? await response.json() : undefined;
  return { status: response.status, body, response };
}

/** @param {string} url @param {unknown} data */
export function postJson(url, data) {
  return call(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(data),
  });
}

export function getSchema() {
  return call("/api/schema");
}

/** @param {ArrayBuffer} bytes */
export function loadAnswersFile(bytes) {
  return call("/api/answers/load", {
    method: "POST",
    headers: { "content-type": "application/octet-stream" },
    body: bytes,
  });
}

/** @param {unknown} answers */
export async function downloadDossier(answers) {
  const result = await call("/api/dossier", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(answers),
  });
  if (result.status !== 200) return { ...result, blob: undefined, fileName: undefined, notes: undefined };
  const disposition = result.response.headers.get("content-disposition") ?? "";
  const fileName = /filename="([^"]+)"/.exec(disposition)?.[1] ?? "dossier-diapason.zip";
  return { ...result, blob: await result.response.blob(), fileName, notes: dossierNotes(result.response) };
}

/**
 * What the server says with the dossier: its points of attention and the next steps (French lines).
 * @param {Response} response @returns {{findings: string[], next: string[]}}
 */
function dossierNotes(response) {
  try {
    const notes = JSON.parse(decodeURIComponent(response.headers.get("x-dossier-notes") ?? ""));
    const lines = (/** @type {unknown} */ v) =>
      Array.isArray(v) ? v.filter((x) => typeof x === "string") : [];
    return { findings: lines(notes?.findings), next: lines(notes?.next) };
  } catch {
    return { findings: [], next: [] };
  }
}
