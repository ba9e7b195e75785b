export * from "./dns.js";
export * from "./email.js";
export * from "./finess.js";
export { FieldNames, type MessageCatalog } from "./messages.js";
export * from "./normalize.js";
export * from "./parse.js";
export * from "./types.js";
export * from "./validate.js";
