/** What the front ends use of project files (`tokendesk.json`, issue 24): a chunk of their own (facade.ts loadProjects). */
export { readProjectFile, parseProjectFile, type LoadedProjectFile } from './read.js';
export { syncProjectFile, type SyncOutcome } from './sync.js';
export { projectFileOf } from './convert.js';
export { secretInProjectFile } from './guard.js';
export { PROJECT_FILE_NAME, PROJECT_FILE_VERSION, type ProjectFile } from './schema.js';
