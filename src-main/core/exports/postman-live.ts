import { ENDPOINT_ROUTES } from '../endpoint/constants.js';
import { sanitizeForDisplay } from '../text/sanitize.js';
import { EXPORTED_USING, type PostmanEnvironment } from './postman.js';

/**
 * The Postman variables the live script reads and keeps. The endpoint's URL and secret come from the
 * environment (`--format postman --live`); the expiry and the key list are the script's own cache.
 */
export const LIVE_VARS = {
  endpoint: 'tokendesk_endpoint',
  secret: 'tokendesk_secret',
  env: 'tokendesk_env',
  expiresAt: 'tokendesk_expires_at',
  keys: 'tokendesk_keys',
} as const;

/**
 * A collection-level pre-request script for Postman's sandbox (plain ES5, no modules). It asks the
 * local endpoint only when a variable it set last time is missing or the stored expiry is inside the
 * margin, so a run of many requests calls the endpoint once per token, not once per request. A
 * failure is a failed test saying why, and the request is skipped (pm.execution.skipRequest), never
 * sent with a stale token.
 */
export function postmanLiveScript(envName: string, marginSeconds: number): string {
  const v = LIVE_VARS;
  const s = JSON.stringify;
  return `// TokenDesk: keeps this collection's token variables fresh from the local credential endpoint.
// Paste as the collection's Pre-request script; the environment needs ${v.endpoint} and ${v.secret}
// (tokendesk export --env ${s(envName)} --format postman --live).
(function () {
  var MARGIN_MS = ${Math.max(0, Math.trunc(marginSeconds))} * 1000;
  var env = pm.environment;
  var endpoint = env.get(${s(v.endpoint)});
  var secret = env.get(${s(v.secret)});
  var name = env.get(${s(v.env)}) || ${s(envName)};
  var keys = [];
  try { keys = JSON.parse(env.get(${s(v.keys)}) || '[]'); } catch (e) { keys = []; }
  var expiry = env.get(${s(v.expiresAt)});
  var cached = keys.length > 0 && keys.every(function (k) { var x = env.get(k); return x !== undefined && x !== null && x !== ''; });
  // 'never': a token without an expiry (an API key) is asked for once.
  var fresh = expiry === 'never' || (Number(expiry) > 0 && Number(expiry) - Date.now() > MARGIN_MS);
  if (cached && fresh) return;
  // An error thrown inside pm.sendRequest's callback is lost and the request would go out with the old
  // token: the failure is a failed test with the reason, and the request is not sent.
  function fail(message) {
    pm.test(message, function () { throw new Error(message); });
    if (pm.execution && pm.execution.skipRequest) pm.execution.skipRequest();
  }
  if (!endpoint || !secret) {
    return fail('TokenDesk: set ${v.endpoint} and ${v.secret} in the environment (tokendesk export --env ' + JSON.stringify(name) + ' --format postman --live)');
  }
  pm.sendRequest({
    url: String(endpoint).replace(/\\/+$/, '') + ${s(ENDPOINT_ROUTES.postman)} + '?env=' + encodeURIComponent(name),
    method: 'GET',
    header: { Authorization: 'Bearer ' + secret }
  }, function (err, res) {
    if (err) return fail('TokenDesk: the endpoint at ' + endpoint + ' cannot be reached (' + (typeof err.message === 'string' && err.message ? err.message : err.code || JSON.stringify(err)) + '): start the TokenDesk app or tokendesk serve');
    var body;
    try { body = res.json(); } catch (e) { body = undefined; }
    if (res.code !== 200 || !body || typeof body.variables !== 'object') {
      return fail('TokenDesk: the endpoint answered ' + res.code + ' for ' + JSON.stringify(name) + ': ' + ((body && body.message) || res.text().slice(0, 200)));
    }
    var got = Object.keys(body.variables);
    got.forEach(function (k) { env.set(k, body.variables[k]); });
    env.set(${s(v.keys)}, JSON.stringify(got));
    env.set(${s(v.expiresAt)}, body.expiresAt === null ? 'never' : String(body.expiresAt));
  });
})();
`;
}

export interface LiveEnvironmentInput {
  id: string;
  envName: string;
  endpointUrl: string;
  secret: string;
}

/** The environment the live script reads: the endpoint's URL and secret (typed secret), never a token. */
export function toPostmanLiveEnvironment(input: LiveEnvironmentInput, now: Date = new Date()): PostmanEnvironment {
  return {
    id: input.id,
    name: sanitizeForDisplay(`${input.envName} (TokenDesk live)`),
    values: [
      { key: LIVE_VARS.endpoint, value: input.endpointUrl, type: 'default', enabled: true },
      { key: LIVE_VARS.secret, value: input.secret, type: 'secret', enabled: true },
      { key: LIVE_VARS.env, value: input.envName, type: 'default', enabled: true },
    ],
    _postman_variable_scope: 'environment',
    _postman_exported_at: now.toISOString(),
    _postman_exported_using: EXPORTED_USING,
  };
}
