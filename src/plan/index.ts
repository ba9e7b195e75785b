export * from "./build.js";
export * from "./context.js";
export * from "./labels.js";
export * from "./next.js";
export * from "./planner.js";
export * from "./types.js";
