import type { EnvironmentPreset } from '../../src-main/contract/providers.js';

/** The form's starting points are each kind's own (catalogue `presets`); only the colours are the form's. */
export type Preset = EnvironmentPreset;

export const COLORS: Array<{ value: string; name: string }> = [
  { value: '#16a34a', name: 'Green' },
  { value: '#2563eb', name: 'Blue' },
  { value: '#7c3aed', name: 'Violet' },
  { value: '#d97706', name: 'Amber' },
  { value: '#0891b2', name: 'Teal' },
  { value: '#64748b', name: 'Slate' },
  { value: '#d92d20', name: 'Red (production)' },
];
