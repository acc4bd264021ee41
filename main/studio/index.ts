// The studio in browser mode: `attachStudio(server)` adds its routes to a running endpoint and
// returns the link (with this run's token) to print.
import type { SortkeyServer } from '../server/index.js';
import { packageVersion } from '../cli/version.js';
import { createStudioBackend } from './backend.js';
import { createStudioRoutes } from './routes.js';
import type { StudioRoutesOptions } from './routes.js';
import { defaultAssetsDir, studioBuilt } from './assets.js';

export {
  createStudioBackend,
  invokeBackend,
  toErrorShape,
  StudioError,
  sameItem,
  versionCondition,
} from './backend.js';
export type { StudioBackendImpl, StudioBackendOptions } from './backend.js';
export { createStudioRoutes, cookieName, hostAllowed, newToken, parseHost, TOKEN_HEADER } from './routes.js';
export type { StudioRoutes, StudioRoutesOptions } from './routes.js';
export { STUDIO_CSP, defaultAssetsDir, packageRoot, studioBuilt } from './assets.js';

export interface AttachStudioOptions extends Omit<StudioRoutesOptions, 'backend'> {
  region?: string;
}

export interface AttachedStudio {
  /** `http://host:port/studio/?token=…` */
  readonly url: string;
  readonly token: string;
  /** False when renderer/dist is missing (the studio then explains how to build it). */
  readonly built: boolean;
}

/** Serves the studio from `server` (browser mode). */
export function attachStudio(server: SortkeyServer, options: AttachStudioOptions = {}): AttachedStudio {
  const backend = createStudioBackend({
    engine: server.engine,
    info: () => ({
      version: packageVersion(),
      mode: 'browser',
      region: options.region ?? 'us-east-1',
      endpoint: server.url,
      ...(server.dbPath !== undefined ? { database: server.dbPath } : {}),
      ...(server.audit ? { auditLog: server.audit.file } : {}),
    }),
    ...(server.audit ? { auditFile: server.audit.file } : {}),
  });
  const loopback = ['127.0.0.1', 'localhost', '::1'].includes(server.host);
  const wildcard = server.host === '0.0.0.0' || server.host === '::';
  const studio = createStudioRoutes({
    ...options,
    backend,
    // A server bound to a named interface accepts that name as Host too (for allowRemote setups).
    extraHosts: [...(options.extraHosts ?? []), ...(loopback || wildcard ? [] : [server.host])],
  });
  server.handler.routes.unshift(studio.route);
  const base = wildcard ? server.url.replace(/\/\/(\[::\]|0\.0\.0\.0)/, '//127.0.0.1') : server.url;
  return {
    url: studio.link(base),
    token: studio.token,
    built: studioBuilt(options.assetsDir ?? defaultAssetsDir()),
  };
}
