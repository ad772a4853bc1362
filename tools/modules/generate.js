// Lowers each fixtures/modules/CASE to CommonJS with the TypeScript
// compiler, runs CASE/entry with node and writes CASE/expected.txt.
'use strict';
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');
const ts = require('typescript');

const [fixtures, outRoot] = process.argv.slice(2);
const SHIM = "require.async = function (p) { return Promise.resolve().then(function () { return require(p); }); };\n";

for (const name of fs.readdirSync(fixtures).sort()) {
  const caseDir = path.join(fixtures, name);
  if (!fs.statSync(caseDir).isDirectory()) continue;
  const outDir = path.join(outRoot, name);
  fs.mkdirSync(outDir, { recursive: true });
  for (const file of fs.readdirSync(caseDir)) {
    if (!/\.(js|ts)$/.test(file) || file.endsWith('.d.ts')) continue;
    const source = fs.readFileSync(path.join(caseDir, file), 'utf8');
    const output = ts.transpileModule(source, {
      fileName: file,
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2019,
        esModuleInterop: true,
        experimentalDecorators: true,
        allowJs: true,
      },
    }).outputText;
    fs.writeFileSync(path.join(outDir, file.replace(/\.ts$/, '.js')), SHIM + output);
  }
  const stdout = execFileSync('node', [path.join(outDir, 'entry.js')], { encoding: 'utf8' });
  fs.writeFileSync(path.join(caseDir, 'expected.txt'), stdout);
  console.log(name + ': ' + stdout.split('\n').length + ' lines');
}
