export { supabaseProvider, SUPABASE_API_VERSION } from './provider.js';
export { parseGoTrueError, mapGoTrueError, supabaseErrorFromResponse, type GoTrueError, type SupabaseOperation } from './errors.js';
export { profileFromUser, displayNameOf } from './profile.js';
