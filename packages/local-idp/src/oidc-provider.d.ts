// oidc-provider ships no types; these cover the part of its API the local IdP uses.
declare module 'oidc-provider' {
  import type {
    IncomingHttpHeaders,
    IncomingMessage,
    ServerResponse,
  } from 'node:http';
  import type { JsonWebKey } from 'node:crypto';

  /** The part of koa's context the local IdP touches. */
  export interface KoaContext {
    method: string;
    path: string;
    querystring: string;
    headers: IncomingHttpHeaders;
    req: IncomingMessage;
    res: ServerResponse;
    status: number;
    type: string;
    body: unknown;
    redirect(url: string): void;
    set(field: string, value: string): void;
  }

  export type Middleware = (
    ctx: KoaContext,
    next: () => Promise<void>,
  ) => Promise<void>;

  export interface Account {
    accountId: string;
    claims(use: string, scope: string): Promise<Record<string, unknown>>;
  }

  export interface ClientMetadata {
    client_id: string;
    client_secret?: string;
    client_name?: string;
    redirect_uris: string[];
    grant_types?: string[];
    response_types?: string[];
    token_endpoint_auth_method?: string;
  }

  export interface Interaction {
    uid: string;
    prompt: {
      name: string;
      reasons: string[];
      details: {
        missingOIDCScope?: string[];
        missingOIDCClaims?: string[];
        missingResourceScopes?: Record<string, string[]>;
      };
    };
    params: { client_id: string; scope?: string; [key: string]: unknown };
    session?: { accountId: string };
    grantId?: string;
  }

  export type InteractionResults =
    | { login: { accountId: string } }
    | { consent: { grantId?: string } }
    | { error: string; error_description?: string };

  export type Route =
    | 'authorization'
    | 'end_session'
    | 'introspection'
    | 'jwks'
    | 'revocation'
    | 'token'
    | 'userinfo';

  export interface AdapterPayload {
    uid?: string;
    userCode?: string;
    grantId?: string;
    consumed?: number;
    [key: string]: unknown;
  }

  export interface Adapter {
    upsert(
      id: string,
      payload: AdapterPayload,
      expiresIn: number,
    ): Promise<void>;
    find(id: string): Promise<AdapterPayload | undefined>;
    findByUid(uid: string): Promise<AdapterPayload | undefined>;
    findByUserCode(userCode: string): Promise<AdapterPayload | undefined>;
    consume(id: string): Promise<void>;
    destroy(id: string): Promise<void>;
    revokeByGrantId(grantId: string): Promise<void>;
  }

  export interface Configuration {
    adapter?: new (model: string) => Adapter;
    ttl?: Record<string, number>;
    clients?: ClientMetadata[];
    claims?: Record<string, string[]>;
    scopes?: string[];
    cookies?: { keys: string[] };
    jwks?: { keys: JsonWebKey[] };
    features?: Partial<
      Record<
        'devInteractions' | 'introspection' | 'revocation' | 'userinfo',
        { enabled: boolean }
      >
    >;
    findAccount?(ctx: KoaContext, sub: string): Promise<Account | undefined>;
    interactions?: { url(ctx: KoaContext, interaction: Interaction): string };
    pkce?: { required(ctx: KoaContext, client: unknown): boolean };
    routes?: Partial<Record<Route, string>>;
  }

  export class Grant {
    constructor(properties: { accountId: string; clientId: string });
    addOIDCScope(scope: string): void;
    addOIDCClaims(claims: string[]): void;
    addResourceScope(indicator: string, scope: string): void;
    save(): Promise<string>;
  }

  export class Provider {
    constructor(issuer: string, configuration?: Configuration);
    readonly issuer: string;
    readonly Grant: typeof Grant & {
      find(id: string): Promise<Grant | undefined>;
    };
    readonly Client: {
      find(id: string): Promise<{ clientName?: string } | undefined>;
    };
    use(middleware: Middleware): void;
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    interactionDetails(
      req: IncomingMessage,
      res: ServerResponse,
    ): Promise<Interaction>;
    interactionResult(
      req: IncomingMessage,
      res: ServerResponse,
      result: InteractionResults,
      options?: { mergeWithLastSubmission?: boolean },
    ): Promise<string>;
    on(event: string, listener: (...args: unknown[]) => void): this;
  }

  export default Provider;
}
