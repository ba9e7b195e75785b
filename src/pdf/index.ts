export * from "./field-list.js";
export * from "./fill.js";
export * from "./fonts.js";
export * from "./form-mapping.js";
export * from "./form-templates.js";
