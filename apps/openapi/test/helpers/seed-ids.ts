import { demoId } from '@enginy/db/seed';

// Rows of the deterministic demo seed that tests name directly.
export const ACME = {
  contact: (i: number) => demoId('acme', 4, i),
  company: (i: number) => demoId('acme', 3, i),
  list: (i: number) => demoId('acme', 5, i),
  campaign: (i: number) => demoId('acme', 6, i),
  identity: (i: number) => demoId('acme', 2, i),
  owner: (i: number) => demoId('acme', 1, i),
};
export const GLOBEX = { contact: (i: number) => demoId('globex', 4, i) };
export const MISSING = '00000000-0000-4000-8000-00000000dead';
