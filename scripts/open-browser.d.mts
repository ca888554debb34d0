export function redirectPage(url: string): string;
export function openViaRedirectFile(
  url: string,
  deps: { platform?: NodeJS.Platform; spawn: (cmd: string, args: string[]) => void; tmp?: string },
): { file: string; remove: () => void };
