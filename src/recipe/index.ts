export { DEFAULT_ARCHITECTURE, defaultRecipe } from './recipe.js';
export type { TrainingRecipe } from './recipe.js';
