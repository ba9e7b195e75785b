export * from "./handlebars.js";
