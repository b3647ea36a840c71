/**
 * The ports a network namespace listens on, as the Nomad export carries them. Reference 001's
 * strategy: a port is static (the same number on every client, opened in the firewall) only
 * when the stack publishes it to users — a `ports:` entry with a host port, still published
 * after the chosen iteration (an iteration's `unpublish:` retires it) — and dynamic (`to =` the
 * container port, the host side picked by Nomad in 20000–32000) otherwise.
 *
 * Where a port comes from, first found first: the service's `expose:`, the container side of
 * its `ports:`, the plan's checks that probe it, then the catalog's default ports for its image.
 * Owner first, then its followers, so a port both declare is the owner's.
 */
import {publishedPort} from '../../compose/ports.js';
import type {ComposeModel, ServiceModel} from '../../compose/project.js';
import {identify} from '../../plan/images.js';
import type {Plan} from '../../plan/schema.js';

export type PortSource = 'expose' | 'ports' | 'check' | 'catalog';

export type ListeningPort = {
	/** The container port. */
	port: number;
	protocols: Array<'tcp' | 'udp'>;
	/** The service of the namespace that listens on it (the first that says so). */
	service: string;
	from: PortSource;
	/** Host ports the stack still publishes for it after the iteration (the first becomes Nomad's `static`). */
	published: number[];
	/** The host address a published entry binds to (`127.0.0.1:18080:80`), which Nomad does not carry. */
	hostAddress?: string;
};

type Entry = {port: number; protocol: 'tcp' | 'udp'; published?: number; hostAddress?: string};

/** `8080`, `8080/udp`, `127.0.0.1:18080:80`, `{target: 80, published: 18080, protocol: tcp}`; ranges are left out (with `ranges`). */
function portEntry(item: unknown, ranges: string[]): Entry | undefined {
	if (item && typeof item === 'object') {
		const long = item as {target?: unknown; published?: unknown; protocol?: unknown; host_ip?: unknown};
		const published = publishedPort(item);
		const entry: Entry = {port: Number(long.target), protocol: long.protocol === 'udp' ? 'udp' : 'tcp'};
		if (published !== undefined && /^\d+$/.test(published)) entry.published = Number(published);
		if (typeof long.host_ip === 'string') entry.hostAddress = long.host_ip;
		return Number.isInteger(entry.port) && entry.port > 0 ? entry : undefined;
	}
	const text = String(item);
	const protocol = /\/udp$/.test(text) ? 'udp' : 'tcp';
	if (/\/sctp$/.test(text)) return undefined;
	const bare = text.replace(/\/(tcp|udp)$/, '');
	const parts = bare.replace(/^\[[^\]]*\]:/, '').split(':');
	const target = parts.at(-1) ?? '';
	if (!/^\d+$/.test(target)) {
		ranges.push(text);
		return undefined;
	}
	const entry: Entry = {port: Number(target), protocol};
	const published = publishedPort(item);
	if (published !== undefined) {
		if (/^\d+$/.test(published)) entry.published = Number(published);
		else ranges.push(text);
	}
	const address = /^\[([^\]]*)\]:/.exec(bare)?.[1] ?? (parts.length === 3 ? parts[0] : undefined);
	if (address) entry.hostAddress = address;
	return entry;
}

/** Host ports the plan's iterations 0..`through` unpublish, per service. */
export function unpublishedThrough(plan: Plan, through: number): Map<string, Set<number>> {
	const gone = new Map<string, Set<number>>();
	for (const iteration of plan.iterations.slice(0, through + 1)) {
		for (const [service, ports] of Object.entries(iteration.unpublish)) {
			const set = gone.get(service) ?? new Set<number>();
			for (const port of ports) set.add(Number(port));
			gone.set(service, set);
		}
	}
	return gone;
}

function entriesOf(service: ServiceModel, from: PortSource, plan: Plan, ranges: string[]): Entry[] {
	const list = (value: unknown) => (Array.isArray(value) ? value : []);
	switch (from) {
		case 'expose':
			return list(service.config.expose).flatMap((item) => portEntry(String(item), ranges) ?? []);
		case 'ports':
			return list(service.config.ports).flatMap((item) => portEntry(item, ranges) ?? []);
		case 'check':
			return plan.iterations
				.flatMap((iteration) => iteration.checks)
				.filter((check) => check.to.split(':')[0] === service.name)
				.map((check) => ({port: Number(check.to.split(':')[1]), protocol: 'tcp' as const}));
		case 'catalog': {
			const command = Array.isArray(service.config.command) ? service.config.command.join(' ') : String(service.config.command ?? '');
			const containerName = typeof service.config.container_name === 'string' ? service.config.container_name : undefined;
			const found = identify({
				name: service.name,
				...(service.image ? {image: service.image} : {}),
				...(containerName ? {containerName} : {}),
				command,
			});
			return (found?.entry.ports ?? []).map((port) => ({port, protocol: 'tcp' as const}));
		}
	}
}

/** Every port the namespace of `members` (owner first) listens on, in the order above; `ranges`: entries left out. */
export function namespacePorts(
	project: ComposeModel,
	plan: Plan,
	members: string[],
	unpublished: Map<string, Set<number>>,
	ranges: string[] = [],
): ListeningPort[] {
	const byPort = new Map<number, ListeningPort>();
	for (const from of ['expose', 'ports', 'check', 'catalog'] as const) {
		for (const name of members) {
			const service = project.services.get(name);
			if (!service) continue;
			for (const entry of entriesOf(service, from, plan, ranges)) {
				const known = byPort.get(entry.port) ?? {port: entry.port, protocols: [], service: name, from, published: []};
				if (!known.protocols.includes(entry.protocol)) known.protocols.push(entry.protocol);
				const stillPublished = entry.published !== undefined && !unpublished.get(name)?.has(entry.published);
				if (stillPublished && !known.published.includes(entry.published as number)) known.published.push(entry.published as number);
				if (stillPublished && entry.hostAddress) known.hostAddress = entry.hostAddress;
				byPort.set(entry.port, known);
			}
		}
	}
	return [...byPort.values()];
}

/** Nomad's port label for a container port: `p8096`. */
export const portLabel = (port: number): string => `p${port}`;

/**
 * The local port an upstream binds to inside the source's namespace: the target's own port
 * (so `localhost:8989` reads like `sonarr:8989`) unless the namespace already uses it, it is
 * privileged, or it falls in Nomad's dynamic range (where the sidecar's own listener lands);
 * else the next free port from 40000. Deterministic: callers ask in a sorted order.
 */
export function bindPortChooser(taken: Iterable<number>): (wanted: number) => number {
	const used = new Set(taken);
	let next = 40_000;
	return (wanted) => {
		let port = wanted;
		if (used.has(port) || port < 1024 || (port >= 20_000 && port <= 32_000)) {
			while (used.has(next)) next++;
			port = next;
		}
		used.add(port);
		return port;
	};
}
