import { readFileSync } from 'node:fs';
import { RESULTS_TEXT } from '../scripts/accuracy/text.js';
const doc = readFileSync('docs/results.md', 'utf8');
console.log(doc.includes(RESULTS_TEXT) ? 'text in sync' : 'TEXT DIFFERS');
