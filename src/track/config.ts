import { resolve } from "node:path";
import type { StoreConfig } from "./store/store.js";

/** Where the register is: PostgreSQL when DIAPASON_DATABASE_URL is set, else a SQLite file. */

export const DATABASE_URL_ENV = "DIAPASON_DATABASE_URL";
export const DEFAULT_DB_FILE = "suivi.sqlite";

export function storeConfig(
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
  dbOption: string | undefined,
  create: boolean,
): StoreConfig {
  const url = env[DATABASE_URL_ENV];
  if (url !== undefined && url !== "" && dbOption === undefined) return { kind: "postgres", url };
  return { kind: "sqlite", file: resolve(cwd, dbOption ?? DEFAULT_DB_FILE), create };
}
