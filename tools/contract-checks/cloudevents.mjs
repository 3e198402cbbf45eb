// Validates CloudEvents (a JSON array of events in structured mode) with the CloudEvents JavaScript SDK in strict
// mode, as a subscriber using it would. Usage: node cloudevents.mjs <events.json>
import { readFileSync } from 'node:fs';
import { CloudEvent } from 'cloudevents';

const file = process.argv[2];
const events = JSON.parse(readFileSync(file, 'utf8'));
let errors = 0;
for (const attributes of events) {
  try {
    new CloudEvent(attributes, true).validate();
  } catch (e) {
    errors++;
    console.log(`${attributes.type} ${attributes.id}: ${e.message}`);
  }
}
console.log(`CloudEvents JavaScript SDK: ${events.length} event(s), ${errors} invalid`);
process.exit(errors === 0 && events.length > 0 ? 0 : 1);
