/** `npm run web` settings from the environment, parsed strictly (a typo must not open a random port silently). */
export const DEFAULT_WEB_PORT = 5179;

export interface WebSettings {
  port: number;
  /** True when the user chose the port: then a taken port is an error, not a fallback. */
  explicitPort: boolean;
  /** A fixed secret (tests, scripted runs); otherwise a random one per run. */
  secret?: string;
}

export function readWebSettings(env: NodeJS.ProcessEnv): WebSettings {
  const rawPort = env.TOKENDESK_WEB_PORT;
  let port = DEFAULT_WEB_PORT;
  let explicitPort = false;
  if (rawPort !== undefined && rawPort !== '') {
    if (!/^\d{1,5}$/.test(rawPort) || Number(rawPort) > 65535) throw new Error(`TOKENDESK_WEB_PORT must be a port number (0-65535), not "${rawPort.slice(0, 20)}"`);
    port = Number(rawPort);
    explicitPort = true;
  }
  const secret = env.TOKENDESK_WEB_SECRET;
  if (secret !== undefined && secret !== '' && secret.length < 16) throw new Error('TOKENDESK_WEB_SECRET must be at least 16 characters');
  return { port, explicitPort, secret: secret || undefined };
}
