export { DEFAULT_ARCHITECTURE, defaultRecipe, recipeConvBlocks } from './recipe.js';
export type { TrainingRecipe } from './recipe.js';
