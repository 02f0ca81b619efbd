import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';

/**
 * Where a push may be sent, and the one HTTP request that sends it.
 *
 * A subscription's endpoint is a URL a client chose, so pushing is a request from this server
 * to anywhere (SSRF). Endpoints must be https: on a public address: loopback, private,
 * link-local, CGNAT, multicast, documentation and NAT64/6to4 ranges (and IPv4-mapped forms) are refused
 * when subscribing (literal addresses and local names) and again when sending, against every
 * address the name resolves to at that moment (the connection uses only an address that passed,
 * so a name re-pointed after subscribing cannot reach inside). Redirects are never followed.
 * Tests only (`pushAllowLoopback`): loopback addresses are allowed, over plain http too.
 */

export const PUSH_ENDPOINT_MAX = 2048;

const blocked = new net.BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.88.99.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24],
  ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) blocked.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  // IPv4-mapped addresses (::ffff:a.b.c.d) need no rule: BlockList checks them against the IPv4 rules.
  ['::', 128], ['::1', 128], ['64:ff9b::', 96], ['64:ff9b:1::', 48], ['100::', 64], ['2001::', 23], ['2001:db8::', 32],
  ['2002::', 16], ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8],
] as const) blocked.addSubnet(network, prefix, 'ipv6');

const loopback = new net.BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

function familyOf(address: string): 'ipv4' | 'ipv6' | undefined {
  const v = net.isIP(address);
  return v === 4 ? 'ipv4' : v === 6 ? 'ipv6' : undefined;
}

/** Whether a push may connect to this IP address. */
export function isAllowedPushAddress(address: string, allowLoopback: boolean): boolean {
  const family = familyOf(address);
  if (!family) return false;
  if (allowLoopback && loopback.check(address, family)) return true;
  return !blocked.check(address, family);
}

/** Names that never leave the local network (RFC 6761, 6762, 8375), and single labels. */
function isLocalName(host: string): boolean {
  const name = host.toLowerCase().replace(/\.$/, '');
  if (!name.includes('.')) return true;
  return /\.(localhost|local|internal|lan|home\.arpa|localdomain)$/.test(name);
}

/** Why an endpoint cannot be subscribed, or undefined when it can. */
export function pushEndpointProblem(raw: string, allowLoopback: boolean): string | undefined {
  if (raw.length > PUSH_ENDPOINT_MAX) return `is too long (maximum is ${PUSH_ENDPOINT_MAX} characters)`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'is not a valid URL';
  }
  if (url.username !== '' || url.password !== '') return 'must not contain credentials';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const literal = familyOf(host) !== undefined;
  const isLoopbackHost = literal ? loopback.check(host, familyOf(host)!) : host.toLowerCase() === 'localhost';
  if (url.protocol === 'http:') {
    if (!(allowLoopback && isLoopbackHost)) return 'must be an https URL';
  } else if (url.protocol !== 'https:') {
    return 'must be an https URL';
  }
  if (literal) return isAllowedPushAddress(host, allowLoopback) ? undefined : 'must be on a public address';
  if (isLoopbackHost) return allowLoopback ? undefined : 'must be on a public address';
  if (isLocalName(host)) return 'must be on a public host';
  return undefined;
}

export class PushEndpointRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PushEndpointRefused';
  }
}

/** A push service's answer outside 2xx. */
export class PushServiceError extends Error {
  constructor(
    readonly statusCode: number,
    readonly body: string,
    readonly endpoint: string,
  ) {
    super(`push service answered ${statusCode}${body ? `: ${body.slice(0, 200)}` : ''}`);
    this.name = 'PushServiceError';
  }
}

export interface PushRequest {
  endpoint: string;
  headers: Record<string, string | number>;
  body: Buffer | null;
}

/** dns.lookup for the connection: only addresses a push may reach; refuses when none is left. */
function guardedLookup(allowLoopback: boolean): net.LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { all: true, verbatim: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const family = (options as dns.LookupOptions).family;
      const wanted = family === 4 || family === 6 ? addresses.filter((a) => a.family === family) : addresses;
      const allowed = wanted.filter((a) => isAllowedPushAddress(a.address, allowLoopback));
      if (allowed.length === 0) return callback(new PushEndpointRefused(`${hostname} resolves to no public address`), '', 0);
      if ((options as dns.LookupOptions).all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, allowed);
      callback(null, allowed[0].address, allowed[0].family);
    });
  };
}

const RESPONSE_LIMIT = 16 * 1024;

/** Sends one push request (POST); resolves with the status on 2xx, rejects with PushServiceError otherwise. */
export function sendPushRequest(request: PushRequest, options: { allowLoopback: boolean; timeoutMs: number; signal?: AbortSignal }): Promise<number> {
  const problem = pushEndpointProblem(request.endpoint, options.allowLoopback);
  if (problem) return Promise.reject(new PushEndpointRefused(`endpoint ${problem}`));
  const url = new URL(request.endpoint);
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(
      url,
      {
        method: 'POST',
        headers: request.headers,
        lookup: guardedLookup(options.allowLoopback),
        timeout: options.timeoutMs,
        signal: options.signal,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          if (size < RESPONSE_LIMIT) chunks.push(chunk);
          size += chunk.length;
        });
        res.on('error', reject);
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) resolve(status);
          else reject(new PushServiceError(status, Buffer.concat(chunks).toString('utf8').slice(0, RESPONSE_LIMIT), request.endpoint));
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`push request timed out after ${options.timeoutMs} ms`)));
    req.on('error', reject);
    req.end(request.body ?? undefined);
  });
}
