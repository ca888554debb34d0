/**
 * What a TokenDesk that finds another one running says before it quits. The other instance gets
 * 'second-instance' and comes to the front; this one leaves
 * (https://www.electronjs.org/docs/latest/api/app#apprequestsingleinstancelockadditionaldata).
 * `npm start` (scripts/start-plan.mjs, diagnose) recognises this line and says so, instead of
 * reporting a start that did not happen as a success. Plain text: the folder is the user's own path.
 */
export const ANOTHER_INSTANCE_MARK = 'TokenDesk: another TokenDesk is already running';

export function anotherInstanceMessage(userData: string | undefined): string {
  return `${ANOTHER_INSTANCE_MARK} with this data folder${userData ? ` (${userData})` : ''}; its window was brought to the front and this one quits.`;
}
