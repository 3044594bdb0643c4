// Worker thread entry: loads the TypeScript worker through tsx, whether the parent runs under tsx or vitest.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
