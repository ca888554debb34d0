/**
 * The local credential endpoint's fixed default port: fixed so a Postman environment, a script or a
 * container's configuration written once keeps working across restarts (aws-vault's random port
 * forces every caller to be started by it). Chosen from the unassigned part of the IANA registry;
 * settings.endpointPort or `tokendesk serve --port N` change it.
 */
export const DEFAULT_ENDPOINT_PORT = 47321;

/** Only ever the loopback address: the endpoint hands out tokens. */
export const ENDPOINT_HOST = '127.0.0.1';

export const endpointUrl = (port: number): string => `http://${ENDPOINT_HOST}:${port}`;

/** The routes, versioned so Postman scripts written against v1 keep working. */
export const ENDPOINT_ROUTES = {
  token: '/v1/token',
  headers: '/v1/headers',
  postman: '/v1/postman',
  status: '/v1/status',
} as const;
