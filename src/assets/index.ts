export * from "./load.js";
export * from "./root.js";
