export interface Lock {
  packages: Record<string, { name?: string; version?: string; engines?: { node?: string }; dependencies?: Record<string, string>; devDependencies?: Record<string, string>; optionalDependencies?: Record<string, string>; peerDependencies?: Record<string, string> }>;
}
export declare const DIST_ROOTS: string[];
export declare function readLock(root: string): Lock;
export declare function reachable(lock: Lock, names: string[]): Set<string>;
export declare function partition(lock: Lock): { runtime: Set<string>; develop: Set<string>; dist: Set<string> };
export declare function rangeNotAdmitted(lock: Lock, paths: Iterable<string>, range: string): string[];
export declare function versionRefused(lock: Lock, paths: Iterable<string>, version: string): string[];
