// Types for scripts/test-plan.mjs (plain JS: it runs before any build).
export function keyringCommand(inputs: { platform: NodeJS.Platform | string; env: Record<string, string | undefined>; argv: string[] }): [string, string[]];

export interface TestStep {
  name: string;
  /** [package, bin name]: run with node from the package's own bin entry (no .cmd shim, no shell). */
  bin?: [string, string];
  script?: string;
  args: string[];
  env?: Record<string, string>;
}
export const TEST_STEPS: TestStep[];
export const REPORTS: string[];

export function skippedTests(vitest: unknown, playwright: unknown, root?: string): string[];
