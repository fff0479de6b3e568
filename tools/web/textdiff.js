// The maintained line diff the web app shows a fork's changes with (jsdiff, npm "diff"), as one
// ES module: tools/setup.sh bundles this file with esbuild into oracle/web/js/lib/textdiff.js
// (a build output, not in git), beside lib/ethereum.js. docs/web.md ("For developers").

export { diffLines } from "diff";
