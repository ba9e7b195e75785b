export * from "./decider.js";
export * from "./quote.js";
export * from "./ruleset.js";
export * from "./schema-check.js";
export * from "./types.js";
