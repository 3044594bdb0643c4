// The explanation under the table of docs/results.md (edited by hand; the numbers above it are measured).
export const RESULTS_TEXT = `## How to read this

(to be completed with the measured comparison)`;
