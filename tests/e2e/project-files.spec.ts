/**
 * Issue 24 in the window, through the web bridge: a linked tokendesk.json's environment is edited in
 * the file (the file on disk changes, its formatting and unknown fields kept, the window shows the new
 * value; a file changed meanwhile is not overwritten) or copied to the user's own (the copy selected,
 * a name clash said in place).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures/bridge.js';
import { sidebar } from './fixtures/window.js';

let repo: string;
let file: string;
const TEAM_DOC = {
  version: 1,
  environments: [{ name: 'staging', provider: 'session', url: 'http://127.0.0.1:5000', teamNote: 'ask #platform', variables: { organization_id: '42' } }],
};
/** The team's style: four spaces, a field TokenDesk does not know. */
const teamText = (doc: unknown) => `${JSON.stringify(doc, null, 4)}\n`;

test.beforeEach(() => {
  repo = mkdtempSync(join(tmpdir(), 'tokendesk-e2e-repo-'));
  mkdirSync(join(repo, '.git'));
  file = join(repo, 'tokendesk.json');
  writeFileSync(file, teamText(TEAM_DOC));
});
test.afterEach(() => rmSync(repo, { recursive: true, force: true }));

const projectList = (page: Page) => sidebar(page).getByRole('list', { name: `Environments of the project ${basename(repo)}` });

/** A teammate's first run: the welcome links the repository's file by its path (the browser shell has no file dialog). */
async function linkFromWelcome(page: Page): Promise<void> {
  await expect(page.getByRole('heading', { name: 'Welcome to TokenDesk' })).toBeVisible();
  await page.getByRole('button', { name: 'Open project file…' }).click();
  await page.getByLabel('Path of a tokendesk.json on this machine').fill(file);
  await page.getByRole('button', { name: 'Link', exact: true }).click();
  await projectList(page).getByRole('button', { name: /^staging/ }).click();
  await expect(page.getByText(`From the project ${basename(repo)} · ${file}`)).toBeVisible();
}

test('edit in file: the file on disk changes, keeping its formatting and unknown fields; a file changed meanwhile is not overwritten', async ({ app: page }) => {
  await linkFromWelcome(page);
  // Keyboard: the action is a button reached and pressed without the mouse.
  await page.getByRole('button', { name: `Edit in file: staging in ${file}` }).focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Edit staging in its project file' });
  await expect(dialog.getByTestId('project-file-notice')).toContainText(file);
  await expect(dialog.getByLabel('Base URL')).toBeFocused();
  await dialog.getByLabel('Base URL').fill('http://127.0.0.1:5000/v2');
  await dialog.getByLabel('Label (optional)').fill('team EU');
  await dialog.getByRole('button', { name: 'Save to file' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('region', { name: 'Notifications' })).toContainText(`Saved to ${file}`);

  // Only what changed is written, in the team's style: four spaces, key order, the unknown field.
  const edited = { ...TEAM_DOC, environments: [{ ...TEAM_DOC.environments[0]!, url: 'http://127.0.0.1:5000/v2', label: 'team EU' }] };
  expect(readFileSync(file, 'utf8')).toBe(teamText(edited));
  // The window shows the file's new values.
  await expect(page.locator('.env-header')).toContainText('http://127.0.0.1:5000/v2');
  await expect(page.locator('.env-header')).toContainText('team EU');

  // A `git pull` lands while the form is open: the save is refused in place and the pulled file stays.
  await page.getByRole('button', { name: `Edit in file: staging in ${file}` }).click();
  const pulled = teamText({ ...edited, environments: [{ ...edited.environments[0]!, url: 'http://127.0.0.1:5000/v3' }] });
  writeFileSync(file, pulled);
  await dialog.getByLabel('Label (optional)').fill('team US');
  await dialog.getByRole('button', { name: 'Save to file' }).click();
  await expect(dialog.getByRole('alert')).toContainText('changed on disk since this form was opened: nothing was written');
  expect(readFileSync(file, 'utf8')).toBe(pulled);
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.locator('.env-header')).toContainText('http://127.0.0.1:5000/v3');
});

test('copy to my environments: the name asked, the copy selected as the user\'s own; a name taken is said in place', async ({ app: page }) => {
  await linkFromWelcome(page);
  await page.getByRole('button', { name: 'Copy to my environments: staging' }).click();
  const dialog = page.getByRole('dialog', { name: 'Copy staging to my environments' });
  await expect(dialog.getByLabel('Name of the copy')).toHaveValue('staging (copy)');
  await expect(dialog.getByLabel('Name of the copy')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  // Selected, and the user's own: edited in place, not in a file; listed apart from the project's.
  await expect(page.getByRole('heading', { name: 'staging (copy)' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Edit environment staging (copy)' })).toBeVisible();
  await expect(page.getByText(/^From the project/)).toHaveCount(0);
  await expect(projectList(page).getByRole('button', { name: /^staging \(copy\)/ })).toHaveCount(0);
  expect(readFileSync(file, 'utf8')).toBe(teamText(TEAM_DOC));

  // Again: the next free name is offered; the taken one typed is refused where it was typed.
  await projectList(page).getByRole('button', { name: /^staging/ }).click();
  await page.getByRole('button', { name: 'Copy to my environments: staging' }).click();
  await expect(dialog.getByLabel('Name of the copy')).toHaveValue('staging (copy 2)');
  await dialog.getByLabel('Name of the copy').fill('staging (copy)');
  await dialog.getByRole('button', { name: 'Copy', exact: true }).click();
  await expect(dialog.getByRole('alert')).toContainText('already exists');
});
