export * from "./facts.js";
