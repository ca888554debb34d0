import keytar from 'keytar';

/** Why this process cannot reach the OS keychain (undefined: it can), from a lookup that finds nothing. */
export async function keychainUnreachableReason(): Promise<string | undefined> {
  try {
    await keytar.findCredentials('TokenDesk reachability check');
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}
