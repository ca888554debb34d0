import type { ProviderKind } from '../../src-main/contract/types.js';

export interface Preset {
  id: string;
  title: string;
  name: string;
  baseUrl: string;
  color: string;
  production?: boolean;
  hint?: string;
}

export const COLORS: Array<{ value: string; name: string }> = [
  { value: '#16a34a', name: 'Green' },
  { value: '#2563eb', name: 'Blue' },
  { value: '#7c3aed', name: 'Violet' },
  { value: '#d97706', name: 'Amber' },
  { value: '#0891b2', name: 'Teal' },
  { value: '#64748b', name: 'Slate' },
  { value: '#d92d20', name: 'Red (production)' },
];

export const PRESETS: Record<ProviderKind, Preset[]> = {
  supabase: [
    { id: 'sb-local', title: 'Local (supabase start)', name: 'local', baseUrl: 'http://127.0.0.1:54321', color: '#16a34a', hint: 'The anon key is printed by `supabase start` (or `supabase status`).' },
    { id: 'sb-staging', title: 'Hosted staging', name: 'staging', baseUrl: 'https://<project-ref>.supabase.co', color: '#d97706', hint: 'Dashboard → Project Settings → API: the project URL and the anon / publishable key.' },
    { id: 'sb-prod', title: 'Hosted production', name: 'production', baseUrl: 'https://<project-ref>.supabase.co', color: '#d92d20', production: true, hint: 'Production is shown in red with a band across the window.' },
  ],
  session: [
    { id: 'ss-local', title: 'Local API', name: 'local', baseUrl: 'http://localhost:3000', color: '#16a34a', hint: 'The base URL the login endpoint lives under (POST …/login).' },
    { id: 'ss-staging', title: 'Staging API', name: 'staging', baseUrl: 'https://api.staging.<your-domain>', color: '#d97706' },
    { id: 'ss-prod', title: 'Production API', name: 'production', baseUrl: 'https://api.<your-domain>', color: '#d92d20', production: true, hint: 'Production is shown in red with a band across the window.' },
  ],
  bearer: [
    { id: 'pt-github', title: 'GitHub API', name: 'github', baseUrl: 'https://api.github.com', color: '#64748b', hint: 'A personal access token from Settings → Developer settings; check path /user.' },
    { id: 'pt-gitlab', title: 'GitLab API', name: 'gitlab', baseUrl: 'https://gitlab.com/api/v4', color: '#d97706', hint: 'A personal access token; header PRIVATE-TOKEN, check path /user.' },
    { id: 'pt-own', title: 'Your API', name: 'staging', baseUrl: 'https://api.staging.<your-domain>', color: '#2563eb', hint: 'Any API that takes a bearer token: paste it after adding the environment.' },
  ],
};
