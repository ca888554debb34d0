// Types for scripts/icons.mjs.
export const LINUX_SIZES: number[];
export const ICO_SIZES: number[];
export const ICNS_TYPES: Array<[string, number]>;
export function pngSize(png: Buffer): { width: number; height: number };
export function icoFromPngs(pngs: Buffer[]): Buffer;
export function icnsFromPngs(elements: Array<[string, Buffer]>): Buffer;
export function buildIcons(svgPath: string, outDir: string): Promise<string[]>;
