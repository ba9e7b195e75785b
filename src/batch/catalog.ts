import type { JsonSchema } from "../answers/messages.js";
import { readJsonAsset } from "../assets/root.js";
import { type ColumnCatalog, createColumnCatalog } from "./columns.js";

let catalog: ColumnCatalog | undefined;

/** The columns of the shipped answers schema, built once per process. */
export function loadColumnCatalog(): ColumnCatalog {
  catalog ??= createColumnCatalog(readJsonAsset<JsonSchema>("schemas", "answers.schema.json"));
  return catalog;
}
