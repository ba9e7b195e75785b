export * from "../render/field-list.js";
export * from "../render/fill.js";
export * from "../render/fonts.js";
export * from "../render/form-templates.js";
export * from "./form-mapping.js";
