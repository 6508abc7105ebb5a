#!/usr/bin/env node
// The project runs on Node 22 (package.json `engines`, .nvmrc). npm puts node_modules/.bin first on the PATH of
// every npm script, and the `node` devDependency puts Node 22 there, so `npm start` / `npm test` run on Node 22
// whatever the system Node is. This fails at once, with the fix, when that did not happen.
const REQUIRED = 22;
const major = Number(process.versions.node.split(".")[0]);
if (major !== REQUIRED) {
  console.error(`\nThis project runs on Node ${REQUIRED}, but this is Node ${process.versions.node}.\n` +
    `Fix: run it through npm (\`npm install\` brings Node ${REQUIRED} as a devDependency; then \`npm start\` / \`npm test\`),\n` +
    `  or use Node ${REQUIRED} yourself: \`nvm install\` (reads .nvmrc), or \`npx -y node@${REQUIRED} <script>\`.\n`);
  process.exit(1);
}
