/**
 * The engine host's IPv4 routes, read from /proc/net/route (no `ip` binary, no shell) — on this
 * machine, or on the engine's through a probe. A VPN or LAN route that overlaps a planned subnet
 * is the classic "Pool overlaps" failure, or worse, a network that silently shadows part of the LAN.
 */
import {readFileSync} from 'node:fs';
import type {HostRoute} from '../domain.js';
import type {Prober} from './probe.js';

export function readHostRoutes(file = '/proc/net/route'): HostRoute[] {
	let text: string;
	try {
		text = readFileSync(file, 'utf8');
	} catch {
		return [];
	}
	return parseProcRoutes(text);
}

/** /proc/net/route holds destination and mask as little-endian hex; the default route (mask 0) is skipped. */
export function parseProcRoutes(text: string): HostRoute[] {
	const routes: HostRoute[] = [];
	for (const line of text.split('\n').slice(1)) {
		const fields = line.trim().split(/\s+/);
		if (fields.length < 8) continue;
		const [iface, destination, , , , , , mask] = fields as [string, string, string, string, string, string, string, string];
		const bits = countBits(Number.parseInt(mask, 16));
		if (bits === 0) continue;
		routes.push({interface: iface, subnet: `${littleEndianHexToIpv4(destination)}/${bits}`});
	}
	return routes;
}

/** The default route's gateway in /proc/net/route text, if there is a default route. */
export function parseDefaultGateway(text: string): string | undefined {
	for (const line of text.split('\n').slice(1)) {
		const [, destination, gateway, , , , , mask] = line.trim().split(/\s+/);
		if (destination === '00000000' && mask === '00000000' && gateway) return littleEndianHexToIpv4(gateway);
	}
	return undefined;
}

function littleEndianHexToIpv4(hex: string): string {
	const value = Number.parseInt(hex, 16);
	return [0, 8, 16, 24].map((shift) => (value >>> shift) & 0xff).join('.');
}

function countBits(value: number): number {
	let bits = 0;
	for (let rest = value >>> 0; rest; rest >>>= 1) bits += rest & 1;
	return bits;
}

/**
 * The engine host's routes: this machine's for an engine on it (a unix socket); for an engine on
 * another machine, read there by a short-lived container in the host's network namespace (with
 * `prober`'s image). Undefined when they could not be read.
 */
export async function engineHostRoutes(host: string, prober?: Prober): Promise<HostRoute[] | undefined> {
	if (host.startsWith('unix://')) return readHostRoutes();
	const text = await prober?.readOnHost('/proc/net/route').catch(() => undefined);
	return text === undefined ? undefined : parseProcRoutes(text);
}
