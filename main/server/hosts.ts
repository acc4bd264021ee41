// The endpoint's guard against DNS rebinding. A web page on http://evil.example:8000 whose name is
// rebound to 127.0.0.1 talks to the local endpoint as a same-origin page: the browser sends no
// preflight, yet the request still carries `Host: evil.example:8000`. So the endpoint answers only
// Host names it was told about: the loopback names (with its port, or none), plus `allowedHosts`
// (`sortkey serve --allowed-hosts`, for docker/compose setups that reach it by a service name).

/** Names every endpoint answers to: the loopback addresses and `localhost`. */
export const LOOPBACK_HOST_NAMES: readonly string[] = ['localhost', '127.0.0.1', '[::1]'];

/** True for an interface address that only this machine can reach. */
export function isLoopbackInterface(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Splits a Host header (or an `--allowed-hosts` entry) into a lower-case name and a port ('' when absent). */
export function splitHost(host: string): { name: string; port: string } {
  const h = host.trim().toLowerCase();
  if (h.startsWith('[')) {
    const end = h.indexOf(']');
    if (end < 0) return { name: h, port: '' };
    const rest = h.slice(end + 1);
    return { name: h.slice(0, end + 1), port: rest.startsWith(':') ? rest.slice(1) : '' };
  }
  const colon = h.indexOf(':');
  if (colon < 0) return { name: h, port: '' };
  // A bare IPv6 address in an --allowed-hosts entry (::1, fe80::1): bracket it as Host headers do.
  if (h.indexOf(':', colon + 1) >= 0) return { name: `[${h}]`, port: '' };
  return { name: h.slice(0, colon), port: h.slice(colon + 1) };
}

/**
 * Parses `--allowed-hosts`: a comma-separated list of host names, each optionally with `:port`
 * (without one, any port), or `*` to accept every Host (no DNS-rebinding protection).
 */
export function parseAllowedHosts(spec: string | readonly string[]): string[] {
  const list = (typeof spec === 'string' ? spec.split(',') : spec).map((s) => s.trim()).filter(Boolean);
  for (const entry of list) {
    if (entry !== '*' && !/^(\[[0-9a-fA-F:.]+\]|[^\s/[\]@]+)(:\d{1,5})?$/.test(entry)) {
      throw new Error(
        `invalid --allowed-hosts entry '${entry}': expected a host name such as dynamodb or dynamodb:8000`,
      );
    }
  }
  return list;
}

/** Why an endpoint bound beyond loopback will not start without a Host list (or --auth). */
export function hostListNeeded(host: string): string {
  return (
    `listening on ${host} makes the endpoint reachable from other machines, and from web pages that ` +
    `rebind a DNS name to it: name the Host values clients use with --allowed-hosts NAME[,NAME…] ` +
    `(for example the docker compose service name; '*' accepts any), or turn on --auth`
  );
}

export interface HostGuard {
  /** True when a request with this Host header may be answered. */
  allows(host: string | undefined): boolean;
  /** Why a Host was refused, naming the flag that would let it in. */
  refusal(host: string): string;
}

export interface HostGuardOptions {
  /** The port the endpoint listens on (read when checking: it is known only after listen). */
  readonly port: () => number;
  /** Extra accepted names (`--allowed-hosts`); `*` among them accepts any Host. */
  readonly allowedHosts?: readonly string[] | undefined;
  /** Accept any Host: set for an endpoint bound to another interface with --auth and no list. */
  readonly anyHost?: boolean;
}

export function createHostGuard(options: HostGuardOptions): HostGuard {
  const entries = (options.allowedHosts ?? []).map((entry) => (entry === '*' ? undefined : splitHost(entry)));
  const anyHost = options.anyHost === true || entries.includes(undefined);
  const allowed = entries.filter((e): e is { name: string; port: string } => e !== undefined);
  // The last Host accepted: clients send the same one on every request.
  let lastAllowed: string | undefined;

  function allows(host: string | undefined): boolean {
    // A request without Host (HTTP/1.0) does not come from a browser, so it cannot be rebinding.
    if (anyHost || host === undefined || host === lastAllowed) return true;
    const { name, port } = splitHost(host);
    const ok =
      (LOOPBACK_HOST_NAMES.includes(name) && (port === '' || port === String(options.port()))) ||
      allowed.some((e) => e.name === name && (e.port === '' || e.port === port));
    if (ok) lastAllowed = host;
    return ok;
  }

  function refusal(host: string): string {
    const { name } = splitHost(host);
    return (
      `This endpoint does not answer to Host '${host}' (a guard against DNS rebinding): ` +
      `use 127.0.0.1, localhost or [::1] with port ${options.port()}, ` +
      `or start sortkey serve with --allowed-hosts ${name || 'NAME'} to accept this name`
    );
  }

  return { allows, refusal };
}
