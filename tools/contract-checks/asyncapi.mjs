// Parses an AsyncAPI document with the official AsyncAPI parser (@asyncapi/parser) and fails on any error.
// Usage: node asyncapi.mjs <document>
import { Parser, fromFile } from '@asyncapi/parser';

const SEVERITY = ['error', 'warning', 'info', 'hint'];
const file = process.argv[2];
const { document, diagnostics } = await fromFile(new Parser(), file).parse();
for (const d of diagnostics) {
  console.log(`${file}: ${SEVERITY[d.severity]} ${d.code} at ${d.path.join('.') || '/'}: ${d.message}`);
}
const errors = diagnostics.filter((d) => d.severity === 0).length;
console.log(`AsyncAPI parser ${document ? document.version() : '(no document)'}: ${file}: ${errors} error(s), `
  + `${diagnostics.length - errors} other diagnostic(s)`);
process.exit(errors === 0 && document ? 0 : 1);
