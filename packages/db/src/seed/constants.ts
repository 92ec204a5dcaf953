// Fixed ids make the seed idempotent and let tests and docs name seeded rows.
export const SEED_IDS = {
  acme: '0a000000-0000-4000-8000-000000000001',
  globex: '0a000000-0000-4000-8000-000000000002',
  admin: '0b000000-0000-4000-8000-000000000001',
  member: '0b000000-0000-4000-8000-000000000002',
} as const;
