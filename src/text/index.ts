export * from "./plan-text.js";
