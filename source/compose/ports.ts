/**
 * `ports:` entries read the way compose reads them, after interpolation: short syntax
 * `[[HOST_IP:]HOST_PORT:]CONTAINER_PORT[/PROTOCOL]` (an IPv6 host address bracketed, `[::1]:80:80`,
 * or bare, `::1:80:80`, whose last two parts are the ports — go-connections' splitParts), ranges
 * (`8000-8010:8000-8010`), and long syntax (`target:`, `published:`, `host_ip:`, `protocol:`).
 * Callers must hand in interpolated values: `${BIND_LAN:?err}:${PORT}:8096` split on `:` as
 * written gave `?err}` as the host port (issue 23). `compose/edits.ts` interpolates the file's
 * own entries before matching them, so the edit still removes the text as written.
 */
import {interpolateDeep, InterpolationError, type Variables} from './interpolate.js';

export type PortEntry = {
	/** The host address it binds (`127.0.0.1`, `::1`, brackets dropped); undefined for every address. */
	hostIp?: string;
	/** The host port or range (`8096`, `8000-8010`); undefined when the engine picks one. */
	published?: string;
	/** The container port or range. */
	target: string;
	protocol: string;
};

/** One entry parsed, or undefined when it is not a port entry compose would accept. */
export function parsePort(entry: unknown): PortEntry | undefined {
	if (entry && typeof entry === 'object') return parseLong(entry as Record<string, unknown>);
	if (typeof entry !== 'string' && typeof entry !== 'number') return undefined;
	const [spec = '', protocol = 'tcp'] = String(entry).trim().split('/');
	let hostIp: string | undefined;
	let rest = spec;
	const bracketed = /^\[([^\]]*)\]:(.*)$/.exec(spec);
	if (bracketed) {
		hostIp = bracketed[1];
		rest = bracketed[2] ?? '';
	}
	const parts = rest.split(':');
	const target = parts.at(-1) ?? '';
	if (!/^\d+(-\d+)?$/.test(target)) return undefined;
	let published: string | undefined;
	if (parts.length >= 2) published = parts.at(-2);
	if (parts.length >= 3 && hostIp === undefined) hostIp = parts.slice(0, -2).join(':');
	if (parts.length >= 3 && bracketed) return undefined;
	return {...(hostIp ? {hostIp} : {}), ...(published ? {published} : {}), target, protocol: protocol.toLowerCase()};
}

function parseLong(entry: Record<string, unknown>): PortEntry | undefined {
	const target = entry.target;
	if (target === undefined || target === null || target === '') return undefined;
	const published = entry.published;
	const hostIp = entry.host_ip;
	return {
		...(typeof hostIp === 'string' && hostIp !== '' ? {hostIp: hostIp.replace(/^\[(.*)\]$/, '$1')} : {}),
		...(published === undefined || published === null || published === '' ? {} : {published: String(published)}),
		target: String(target),
		protocol: String(entry.protocol ?? 'tcp').toLowerCase(),
	};
}

/** The host port an entry publishes (a range as written), undefined when it publishes no fixed host port. */
export function publishedPort(entry: unknown): string | undefined {
	return parsePort(entry)?.published;
}

/** Whether an entry binds only a loopback address (`127.0.0.1:…`, `[::1]:…`): reachable from the host alone. */
export function loopbackOnly(entry: PortEntry): boolean {
	return entry.hostIp !== undefined && (/^127\./.test(entry.hostIp) || entry.hostIp === '::1' || entry.hostIp === 'localhost');
}

/** Every entry of a `ports:`/`expose:` value that parses (compose refuses the rest before we run). */
export function portEntries(value: unknown): PortEntry[] {
	return Array.isArray(value) ? value.map(parsePort).filter((entry): entry is PortEntry => entry !== undefined) : [];
}

/** An entry as written in a file, interpolated as compose would (as written when a required variable is missing: the load has said so already). */
export function interpolatedEntry(entry: unknown, variables: Variables): unknown {
	try {
		return interpolateDeep(entry, variables);
	} catch (error) {
		if (error instanceof InterpolationError) return entry;
		throw error;
	}
}
