/**
 * The shape of the code, checked by `npm test` (npm run check:deps) on src, bench and scripts:
 * - no import cycle (type-only imports included);
 * - @cantoo/pdf-lib, @pdf-lib/fontkit and nodemailer imported in src/render alone (the fence, see
 *   src/render/README.md), and src/render entered only through its interface, src/render/index.ts;
 * - the fence decides nothing: it imports neither src/forms nor src/layout (mapping, fitting, annex, layout,
 *   findings), but the line breaking of src/layout/fit.ts, which its blank templates' labels share;
 * - src/cli imported by nothing else in src (adapters share the I/O port of src/io/port.ts); a benchmark
 *   may only run a command as a user would, through runMain (src/cli/main.ts);
 * - every import resolves, and no import of a package the package.json does not declare.
 * Tests (test/) may reach inside the fence: they are its judges.
 */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "An import cycle: move what both modules need to a third one.",
      from: {},
      to: { circular: true },
    },
    {
      name: "byte-writers-behind-the-fence",
      severity: "error",
      comment: "pdf-lib, fontkit and nodemailer are imported in src/render only.",
      from: { pathNot: "^src/render/" },
      to: { path: "(^|/)node_modules/(@cantoo/pdf-lib|@pdf-lib/fontkit|nodemailer)/" },
    },
    {
      name: "render-through-its-interface",
      severity: "error",
      comment: "Outside src/render, use src/render/index.ts: plain data, no library type.",
      from: { pathNot: "^src/render/" },
      to: { path: "^src/render/", pathNot: "^src/render/index\\.ts$" },
    },
    {
      name: "fence-decides-nothing",
      severity: "error",
      comment:
        "src/render writes what src/forms and src/layout decide, and imports neither (but the line breaking of src/layout/fit.ts).",
      from: { path: "^src/render/" },
      to: { path: "^src/(forms|layout)/", pathNot: "^src/layout/fit\\.ts$" },
    },
    {
      name: "cli-imported-by-cli-only",
      severity: "error",
      comment: "src/cli is an adapter: nothing outside it imports it (shared I/O: src/io/port.ts).",
      from: { path: "^src/", pathNot: "^src/cli/" },
      to: { path: "^src/cli/" },
    },
    {
      name: "bench-runs-the-cli-as-a-user",
      severity: "error",
      comment: "Benchmarks may run a command as a user would (runMain in src/cli/main.ts), nothing else of src/cli.",
      from: { path: "^(bench|scripts)/" },
      to: { path: "^src/cli/", pathNot: "^src/cli/main\\.ts$" },
    },
    {
      name: "not-to-unresolvable",
      severity: "error",
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: "no-undeclared-dependency",
      severity: "error",
      comment: "A package imported but not in package.json.",
      from: {},
      to: { dependencyTypes: ["npm-no-pkg", "npm-unknown"] },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^dist/" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default", "types"] },
  },
};
