export { predictScores } from './scores.js';
