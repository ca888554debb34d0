import { EnvironmentSchema, type Environment } from '../../src-main/core/config/schema.js';
import type { ExportInput } from '../../src-main/core/exports/index.js';

export function makeEnv(over: Partial<Environment> = {}): Environment {
  return EnvironmentSchema.parse({
    id: 'env1',
    name: 'staging',
    provider: 'supabase',
    baseUrl: 'https://txpaxbxhnvnhsjwwaeoy.supabase.co',
    variables: { organization_id: '40e9bb4c-3b1c-4e5b-8c7d-2f5a9b8e1c3d' },
    createdAt: 1,
    ...over,
  });
}

export const SUPABASE_SECRETS = {
  anonKey: 'eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiYW5vbiJ9.anonsig',
  apiKey: 'cg_abc123def456',
  accessToken: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1MSJ9.usersig',
  refreshToken: 'v1.refresh-abc',
};

export function supabaseInput(over: Partial<ExportInput> = {}): ExportInput {
  return { env: makeEnv(), secrets: { ...SUPABASE_SECRETS }, identityEmail: 'dev@example.com', ...over };
}

export function sessionInput(over: Partial<ExportInput> = {}): ExportInput {
  return {
    env: makeEnv({ name: 'local', provider: 'session', baseUrl: 'http://localhost:3000', variables: {} }),
    secrets: { accessToken: 'e9f753d94b5eba91aabaa2dc8206d7dc03d29056abcda037acb4f2f56c6bc3c5' },
    accountId: '2311',
    identityEmail: 'test@test.com',
    ...over,
  };
}
