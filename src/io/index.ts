export * from "./bounded-read.js";
export * from "./limits.js";
export * from "./texts.js";
