// Checks a coop.json before a coop ships it: prints the configuration Plenary would use
// (addresses normalised) or every problem, naming the setting.
//   npm run check:coop -- build/coop.json
import { readFileSync } from 'node:fs';
import { parseCoopConfig } from '../../main/core/config/coop-config';

const path = process.argv[2];
if (!path) {
  console.error('Usage: npm run check:coop -- <path to coop.json>');
  process.exit(2);
}
const result = parseCoopConfig(readFileSync(path, 'utf8'));
if (!result.ok) {
  console.error(`${path} would be ignored by Plenary:\n  ${result.messages.join('\n  ')}`);
  process.exit(1);
}
console.log(`${path} is valid. Plenary will use:\n${JSON.stringify(result.config, null, 2)}`);
