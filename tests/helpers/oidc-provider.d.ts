/**
 * The little of oidc-provider 9's API the test peer uses (the package ships no types; its
 * DefinitelyTyped types are a separate package this project does not add for one helper).
 */
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  interface Grant {
    addOIDCScope(scope: string): void;
    addResourceScope(resource: string, scope: string): void;
    save(): Promise<string>;
  }
  interface KoaContext {
    path: string;
    status: number;
    body: unknown;
    oidc: {
      client?: { clientId: string };
      session?: { accountId?: string; grantIdFor(clientId: string): string | undefined };
      provider: Provider;
    };
  }
  interface ClientLike {
    grantTypeAllowed(type: string): boolean;
  }
  export default class Provider {
    constructor(issuer: string, configuration: Record<string, unknown> & {
      findAccount?: (ctx: KoaContext, sub: string) => unknown;
      loadExistingGrant?: (ctx: KoaContext) => Promise<Grant | undefined>;
      issueRefreshToken?: (ctx: KoaContext, client: ClientLike) => Promise<boolean>;
    });
    Grant: { new (init: { clientId: string; accountId: string }): Grant; find(id: string): Promise<Grant | undefined> };
    use(middleware: (ctx: KoaContext, next: () => Promise<void>) => Promise<void>): void;
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
  }
}
