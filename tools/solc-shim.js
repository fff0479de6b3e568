#!/usr/bin/env node
// A solc-compatible command backed by solc-js (npm `solc`), for py-solc-x, brownie and forge.
// Speaks `--version` and `--standard-json` (input on stdin); every other flag is ignored
// except the path flags, which say where imported files may be read from.
'use strict';
const fs = require('fs');
const path = require('path');

const args = process.argv.slice(2);
const solc = require(path.join(__dirname, '..', 'node_modules', 'solc', 'wrapper.js'))(
  require(path.join(__dirname, '..', 'node_modules', 'solc', 'soljson.js')),
);

function printVersion() {
  // Same two lines as the native binary; callers parse "Version: X.Y.Z+commit.H".
  const full = solc.version().replace('.Emscripten.clang', '.Linux.g++');
  process.stdout.write(`solc, the solidity compiler commandline interface\nVersion: ${full}\n`);
}

function flagValues(name) {
  const values = [];
  args.forEach((arg, i) => {
    if (arg === name && args[i + 1] !== undefined) values.push(args[i + 1]);
    else if (arg.startsWith(name + '=')) values.push(arg.slice(name.length + 1));
  });
  return values.flatMap((v) => v.split(','));
}

function importReader() {
  const roots = [process.cwd(), ...flagValues('--base-path'), ...flagValues('--include-path'),
    ...flagValues('--allow-paths')];
  return (importPath) => {
    const candidates = path.isAbsolute(importPath)
      ? [importPath]
      : roots.map((root) => path.resolve(root, importPath));
    for (const file of candidates) {
      if (fs.existsSync(file) && fs.statSync(file).isFile()) {
        return { contents: fs.readFileSync(file, 'utf8') };
      }
    }
    return { error: `File not found: ${importPath} (searched ${roots.join(', ')})` };
  };
}

function compileStandardJson() {
  const input = fs.readFileSync(0, 'utf8');
  process.stdout.write(solc.compile(input, { import: importReader() }));
  process.stdout.write('\n');
}

if (args.includes('--version') || args.includes('-v')) {
  printVersion();
} else if (args.includes('--standard-json')) {
  compileStandardJson();
} else {
  process.stderr.write('solc-shim: only --version and --standard-json are supported\n');
  process.exit(1);
}
