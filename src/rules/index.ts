export * from "./decider.js";
export * from "./ruleset.js";
export * from "./types.js";
