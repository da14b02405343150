import path from 'node:path';
import { Config } from '@backstage/config';
import { hclStringIssue } from './terraform/hcl';
import { TerraformModule } from './terraform/modules';

/**
 * Where skeletons live: a directory on the portal host (the repository's `skeletons/`)
 * or a URL the portal can read (the same folder on GitHub).
 */
export type SkeletonLocation =
  | { kind: 'dir'; dir: string }
  | { kind: 'url'; url: string };

/** Where golden paths publish, chosen once per environment. */
export type PublishTarget =
  | { kind: 'github' }
  | {
      kind: 'local';
      directory: string;
      /** `app.baseUrl`: local repositories are browsed in the portal. */
      portalBaseUrl: string;
    };

export type TerraformConfig = {
  /** The allow-list templates pick from, by name. */
  modules: ReadonlyMap<string, TerraformModule>;
  /** `required_version` of the stubs' `versions.tf`. */
  requiredVersion: string;
};

export type VaultAuth =
  | { kind: 'token'; token: string }
  | { kind: 'kubernetes'; role: string; mountPath: string; jwtPath: string };

export type VaultConfig = {
  address: URL;
  namespace?: string;
  auth: VaultAuth;
  /** The KV v2 mount used when a step names none. */
  kvMount: string;
  timeoutMs: number;
};

/** Where events go: `pavedRoad.events.target`, or `endpoint` when an endpoint is set. */
export type EventTarget = 'portal' | 'endpoint' | 'log';

export type EventsConfig = {
  target: EventTarget;
  /** Set for target `endpoint`. */
  endpoint?: URL;
  token?: string;
  /** Hosts the endpoint may have; the endpoint's own host unless configured. */
  allowedHosts: string[];
  /** Of one attempt, wherever events go. */
  timeoutMs: number;
  /** After a network error, a timeout, 429 or 5xx. */
  retries: number;
};

/**
 * Outside tools a service's links lead to, where this portal has them: each link is
 * left out where its tool is not configured.
 */
export type ExternalLinks = {
  /** `pavedRoad.argocd.url`: Argo CD's web UI. */
  argocd?: URL;
};

/** All of `pavedRoad.*`, read and checked once at startup. */
export type PavedRoadConfig = {
  links: ExternalLinks;
  skeletons: SkeletonLocation;
  publish: PublishTarget;
  terraform: TerraformConfig;
  /** Unset when `pavedRoad.vault` is not configured: `vault:secret:rotate` refuses to run. */
  vault?: VaultConfig;
  events: EventsConfig;
  /** Whom developers ask about what the portal does not do (`pavedRoad.selfService.contact`). */
  contact: string;
};

/** A mount or a path in Vault: segments of letters, digits, `_`, `-` and `.`, never `.` or `..`. */
export const VAULT_PATH =
  /^(?!.*(^|\/)\.\.?(\/|$))[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/;

const DEFAULT_SKELETONS = '../../skeletons';
const DEFAULT_CONTACT = 'the platform team';
const DEFAULT_REQUIRED_VERSION = '>= 1.5.0';
const DEFAULT_KV_MOUNT = 'secret';
const DEFAULT_KUBERNETES_MOUNT = 'kubernetes';
const DEFAULT_JWT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount/token';
const DEFAULT_VAULT_TIMEOUT_MS = 10_000;
const DEFAULT_EVENT_TIMEOUT_MS = 5000;
const MAX_EVENT_TIMEOUT_MS = 60_000;
const DEFAULT_RETRIES = 3;
const MAX_RETRIES = 10;

function configError(key: string, message: string): Error {
  return new Error(`Invalid config '${key}': ${message}`);
}

function readSkeletons(config: Config): SkeletonLocation {
  const location =
    config.getOptionalString('pavedRoad.skeletons.location') ??
    DEFAULT_SKELETONS;
  if (/^https?:\/\//.test(location)) {
    return { kind: 'url', url: location.replace(/\/?$/, '/') };
  }
  return { kind: 'dir', dir: path.resolve(location) };
}

function readPublish(config: Config): PublishTarget {
  const targetKey = 'pavedRoad.publish.target';
  const directoryKey = 'pavedRoad.publish.local.directory';
  const kind = config.getOptionalString(targetKey) ?? 'github';
  if (kind === 'github') {
    return { kind };
  }
  if (kind === 'local') {
    const directory = config.getOptionalString(directoryKey);
    if (!directory) {
      throw configError(directoryKey, `required when ${targetKey} is 'local'`);
    }
    return {
      kind,
      directory: path.resolve(directory),
      portalBaseUrl:
        config.getOptionalString('app.baseUrl') ?? 'http://localhost:3000',
    };
  }
  throw configError(targetKey, `must be 'github' or 'local', got '${kind}'`);
}

/** A string HCL reads back byte for byte, as the stubs write it into a string literal. */
function hclString(config: Config, key: string, fullKey: string) {
  const value = config.getString(key);
  const issue = hclStringIssue(value);
  if (issue) {
    throw configError(fullKey, issue);
  }
  return value;
}

function readTerraform(config: Config): TerraformConfig {
  const modulesKey = 'pavedRoad.terraform.modules';
  const modules = new Map<string, TerraformModule>();
  const section = config.getOptionalConfig(modulesKey);
  for (const name of section?.keys() ?? []) {
    const module = section!.getConfig(name);
    const key = `${modulesKey}.${name}`;
    modules.set(name, {
      source: hclString(module, 'source', `${key}.source`),
      version: module.has('version')
        ? hclString(module, 'version', `${key}.version`)
        : undefined,
      description: module.getOptionalString('description'),
    });
  }
  const versionKey = 'pavedRoad.terraform.requiredVersion';
  return {
    modules,
    requiredVersion: config.has(versionKey)
      ? hclString(config, versionKey, versionKey)
      : DEFAULT_REQUIRED_VERSION,
  };
}

/** An http(s) URL without credentials: those would end up in logs. */
function readHttpUrl(value: string, key: string, credentialsHint: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw configError(key, 'must be an absolute http or https URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw configError(key, 'must be an http or https URL');
  }
  if (url.username || url.password) {
    throw configError(key, `must not contain credentials${credentialsHint}`);
  }
  return url;
}

function readExternalLinks(config: Config): ExternalLinks {
  const links: ExternalLinks = {};
  for (const tool of ['argocd'] as const) {
    const key = `pavedRoad.${tool}.url`;
    const value = config.getOptionalString(key)?.trim();
    if (value) {
      const url = readHttpUrl(value, key, '');
      url.pathname = url.pathname.replace(/\/+$/, '');
      links[tool] = url;
    }
  }
  return links;
}

function readInteger(
  config: Config,
  key: string,
  bounds: { min: number; max: number; fallback: number },
): number {
  const value = config.getOptionalNumber(key);
  if (value === undefined) {
    return bounds.fallback;
  }
  if (!Number.isInteger(value) || value < bounds.min || value > bounds.max) {
    throw configError(
      key,
      `must be a whole number from ${bounds.min} to ${bounds.max}`,
    );
  }
  return value;
}

function readVault(config: Config): VaultConfig | undefined {
  const prefix = 'pavedRoad.vault';
  const vault = config.getOptionalConfig(prefix);
  if (!vault) {
    return undefined;
  }
  const address = readHttpUrl(
    vault.getString('address'),
    `${prefix}.address`,
    '',
  );
  const token = vault.getOptionalString('token');
  const kubernetes = vault.getOptionalConfig('kubernetes');
  if (token && kubernetes) {
    throw configError(
      `${prefix}.token`,
      'set either a token or kubernetes auth, not both',
    );
  }
  let auth: VaultAuth;
  if (token) {
    auth = { kind: 'token', token };
  } else if (kubernetes) {
    const mountPath =
      kubernetes.getOptionalString('mountPath') ?? DEFAULT_KUBERNETES_MOUNT;
    if (!VAULT_PATH.test(mountPath)) {
      throw configError(
        `${prefix}.kubernetes.mountPath`,
        'must be a Vault path',
      );
    }
    auth = {
      kind: 'kubernetes',
      role: kubernetes.getString('role'),
      mountPath,
      jwtPath: kubernetes.getOptionalString('jwtPath') ?? DEFAULT_JWT_PATH,
    };
  } else {
    throw configError(
      `${prefix}.token`,
      `Vault needs a token (${prefix}.token) or Kubernetes auth (${prefix}.kubernetes.role)`,
    );
  }
  const kvMount = vault.getOptionalString('kvMount') ?? DEFAULT_KV_MOUNT;
  if (!VAULT_PATH.test(kvMount)) {
    throw configError(
      `${prefix}.kvMount`,
      'must be a Vault path, such as secret',
    );
  }
  return {
    address,
    namespace: vault.getOptionalString('namespace') || undefined,
    auth,
    kvMount,
    timeoutMs: readInteger(config, `${prefix}.timeoutMs`, {
      min: 1,
      max: 120_000,
      fallback: DEFAULT_VAULT_TIMEOUT_MS,
    }),
  };
}

function readAllowedHosts(config: Config, key: string, endpoint?: URL) {
  const hosts = config.getOptionalStringArray(key);
  if (hosts === undefined) {
    return endpoint ? [endpoint.host] : [];
  }
  return hosts.map(entry => {
    const host = entry.trim().toLowerCase();
    let parsed: URL | undefined;
    try {
      parsed = new URL(`http://${host}`);
    } catch {
      parsed = undefined;
    }
    if (!host || !parsed || parsed.host !== host) {
      throw configError(
        key,
        `'${entry}' is not a host name; give 'host' or 'host:port'`,
      );
    }
    return host;
  });
}

function readEvents(config: Config): EventsConfig {
  const prefix = 'pavedRoad.events';
  const rawTarget = config.getOptionalString(`${prefix}.target`);
  const rawEndpoint = config.getOptionalString(`${prefix}.endpoint`);
  let target: EventTarget;
  if (rawTarget === undefined) {
    target = rawEndpoint === undefined ? 'portal' : 'endpoint';
  } else if (
    rawTarget === 'portal' ||
    rawTarget === 'endpoint' ||
    rawTarget === 'log'
  ) {
    target = rawTarget;
  } else {
    throw configError(`${prefix}.target`, 'must be portal, endpoint or log');
  }
  if (target === 'endpoint' && rawEndpoint === undefined) {
    throw configError(
      `${prefix}.endpoint`,
      `is required when ${prefix}.target is endpoint`,
    );
  }
  const endpoint =
    rawEndpoint === undefined
      ? undefined
      : readHttpUrl(rawEndpoint, `${prefix}.endpoint`, `; use ${prefix}.token`);
  return {
    target,
    endpoint,
    token: config.getOptionalString(`${prefix}.token`) || undefined,
    allowedHosts: readAllowedHosts(config, `${prefix}.allowedHosts`, endpoint),
    timeoutMs: readInteger(config, `${prefix}.timeoutMs`, {
      min: 1,
      max: MAX_EVENT_TIMEOUT_MS,
      fallback: DEFAULT_EVENT_TIMEOUT_MS,
    }),
    retries: readInteger(config, `${prefix}.retries`, {
      min: 0,
      max: MAX_RETRIES,
      fallback: DEFAULT_RETRIES,
    }),
  };
}

/**
 * Reads and checks all of `pavedRoad.*` once, at startup: a mistake stops the backend
 * with a message naming the key (never its value, which may be a secret).
 */
export function readPavedRoadConfig(config: Config): PavedRoadConfig {
  return {
    skeletons: readSkeletons(config),
    links: readExternalLinks(config),
    publish: readPublish(config),
    terraform: readTerraform(config),
    vault: readVault(config),
    events: readEvents(config),
    contact:
      config.getOptionalString('pavedRoad.selfService.contact')?.trim() ||
      DEFAULT_CONTACT,
  };
}
