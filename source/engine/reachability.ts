/**
 * The observed half of the reachability matrix: for every network namespace of a stack (an owner
 * container; its followers share it), the TCP ports it really listens on — read in its own
 * namespace from /proc/net/tcp and /proc/net/tcp6, never guessed from the compose file — and,
 * from every other namespace, a TCP connect to each of its addresses on each of those ports.
 * One probe per source namespace connects to all its targets at once (busybox `nc` in the
 * background, each bounded by a short timeout, since a blocked pair costs the whole timeout);
 * sources run side by side, bounded. Besides, for a pair the plan keeps apart, a port the target
 * publishes is tried on the source's own gateway addresses — the engine host's bridge, never any
 * other address: a published port answering there reaches the target around the networks.
 */
import {probeLabel, type ContainerInfo} from '../domain.js';
import {inPool} from '../pool.js';
import {containerProcFile} from './namespace.js';
import type {Engine} from './docker.js';
import type {Prober} from './probe.js';
import {stackIdentity} from './stack-labels.js';

/** A namespace as the prober sees it: its owner's name and container, and its addresses on each network. */
export type ProbedNamespace = {
	owner: string;
	containerId: string;
	addresses: Array<{network: string; address: string; gateway: string}>;
	/** Host ports the namespace publishes (on all of the host's addresses). */
	published: number[];
	/** The owner as the engine reports it: on an engine on this machine, its listeners are read from /proc/<pid>. */
	container?: ContainerInfo;
};

/** One connect: from a namespace to another's address on one port. */
export type ObservedConnect = {from: string; to: string; port: number; address: string; network: string; reachable: boolean};

/** A published port of `to` answering on `from`'s gateway: a way around the networks. */
export type HostPath = {from: string; to: string; port: number; gateway: string; network: string};

export type Observation = {listening: Map<string, number[]>; connects: ObservedConnect[]; hostPaths: HostPath[]; durationMs: number};

export type ObserveOptions = {
	/** Seconds a connect may take before the pair counts as blocked. */
	timeoutSeconds?: number;
	/** Source namespaces probed at once. */
	concurrency?: number;
	/** The engine runs on this machine (a unix socket): listeners read from /proc/<pid>/net, no probe needed for them. */
	local?: boolean;
	/**
	 * Pairs whose closed connects are tried once more, with a longer timeout, before they count
	 * as blocked (the plan expects them reachable: a mismatch is worth a second look; a busy host
	 * can starve a connect of its first second).
	 */
	recheck?: (from: string, to: string) => boolean;
	/** Pairs to try the host path for (the plan keeps them apart); none: no host-path probes. */
	apart?: (from: string, to: string) => boolean;
};

const listenState = '0A';

/**
 * Ports listened on for other namespaces, from /proc/net/tcp{,6} text: state LISTEN, bound to
 * any address but loopback (a port on 127.0.0.1 or ::1 answers only inside the namespace).
 */
export function listeningPorts(tcp: string, tcp6: string): number[] {
	const ports = new Set<number>();
	for (const [text, loopback] of [
		[tcp, (hex: string) => hex.endsWith('7F')],
		[tcp6, (hex: string) => hex === '00000000000000000000000001000000' || /^0000000000000000FFFF0000.{6}7F$/.test(hex)],
	] as const) {
		for (const line of text.split('\n').slice(1)) {
			const fields = line.trim().split(/\s+/);
			const [addressHex, portHex] = (fields[1] ?? '').split(':');
			if (fields[3] !== listenState || !addressHex || !portHex || loopback(addressHex.toUpperCase())) continue;
			ports.add(Number.parseInt(portHex, 16));
		}
	}
	return [...ports].sort((a, b) => a - b);
}

/**
 * `sh -c` lines that connect to every `address port` given as arguments at once and print
 * `address port open|closed` per target. busybox `nc -w` bounds the connect (a blocked pair's SYN
 * is dropped, never refused); `-e true` closes it as soon as it is made, whatever the service
 * would say or wait for. Three small processes a target, not the checks' five: a 200-service
 * stack has 400 targets a source.
 */
export function connectAllScript(timeoutSeconds: number): string {
	return [
		'running=0',
		'while [ $# -ge 2 ]; do',
		`  ( if nc -w ${timeoutSeconds} "$1" "$2" -e true </dev/null >/dev/null 2>&1; then echo "$1 $2 open"; else echo "$1 $2 closed"; fi ) &`,
		'  shift 2',
		// At most 64 connects in flight a source: a 200-service stack's 400 at once, from eight
		// sources, is thousands of processes that starve one another past the timeout.
		'  running=$((running + 1)); if [ "$running" -ge 64 ]; then wait; running=0; fi',
		'done',
		'wait',
	].join('\n');
}

/** `address port open|closed` lines, keyed `address port`. */
export function connectResults(output: string): Map<string, {open: boolean}> {
	const results = new Map<string, {open: boolean}>();
	for (const line of output.split('\n')) {
		const match = /^(\S+) (\d+) (open|closed)$/.exec(line.trim());
		if (match) results.set(`${match[1]} ${match[2]}`, {open: match[3] === 'open'});
	}
	return results;
}

/** The whole observation: listeners of every namespace, then every source's connects, bounded. */
export async function observeReachability(
	prober: Prober,
	namespaces: ProbedNamespace[],
	options: ObserveOptions = {},
): Promise<Observation> {
	const started = performance.now();
	const timeoutSeconds = options.timeoutSeconds ?? 1;
	const listening = new Map<string, number[]>();
	await inPool(namespaces, options.concurrency ?? 8, async (namespace) => {
		const read = async (file: string) =>
			(options.local && namespace.container ? containerProcFile(namespace.container, `net/${file}`) : undefined) ??
			prober.readInNamespace(namespace.containerId, `/proc/net/${file}`);
		const [tcp, tcp6] = await Promise.all([read('tcp'), read('tcp6')]);
		listening.set(namespace.owner, listeningPorts(tcp ?? '', tcp6 ?? ''));
	});
	const connects: ObservedConnect[] = [];
	const hostPaths: HostPath[] = [];
	await inPool(namespaces, options.concurrency ?? 8, async (source) => {
		const targets = namespaces.filter((target) => target !== source);
		const tries = targets.flatMap((target) =>
			target.addresses.flatMap((address) => (listening.get(target.owner) ?? []).map((port) => ({target, address, port}))),
		);
		const around = options.apart
			? targets
					.filter((target) => options.apart?.(source.owner, target.owner))
					.flatMap((target) =>
						[...new Set(source.addresses.map((address) => address.gateway).filter(Boolean))].flatMap((gateway) =>
							target.published.map((port) => ({target, gateway, port})),
						),
					)
			: [];
		if (tries.length === 0 && around.length === 0) return;
		const args = [
			...tries.flatMap((item) => [item.address.address, String(item.port)]),
			...around.flatMap((item) => [item.gateway, String(item.port)]),
		];
		const output = await prober.runInNamespace(
			source.containerId,
			['sh', '-c', connectAllScript(timeoutSeconds), 'connect-all', ...args],
			(timeoutSeconds * 2 + 20) * 1000,
		);
		const results = connectResults(output);
		for (const item of tries) {
			const result = results.get(`${item.address.address} ${item.port}`);
			connects.push({
				from: source.owner,
				to: item.target.owner,
				port: item.port,
				address: item.address.address,
				network: item.address.network,
				reachable: result?.open ?? false,
			});
		}
		for (const item of around) {
			if (!results.get(`${item.gateway} ${item.port}`)?.open) continue;
			const network = source.addresses.find((address) => address.gateway === item.gateway)?.network ?? '';
			hostPaths.push({from: source.owner, to: item.target.owner, port: item.port, gateway: item.gateway, network});
		}
	});
	await recheckClosed(prober, namespaces, connects, options.recheck ?? (() => false));
	return {listening, connects, hostPaths, durationMs: Math.round(performance.now() - started)};
}

/**
 * Closed connects tried again from their sources with a 3-second timeout — those of pairs `recheck`
 * names, and any to an address on a network the source is on too (on one bridge a connect fails
 * only to a port nobody listens on; a starved first second must not hide a stray attachment,
 * seen on a loaded CI machine) — and counted open when they open.
 */
async function recheckClosed(
	prober: Prober,
	namespaces: ProbedNamespace[],
	connects: ObservedConnect[],
	recheck: (from: string, to: string) => boolean,
): Promise<void> {
	const networksOf = new Map(
		namespaces.map((namespace) => [namespace.owner, new Set(namespace.addresses.map((address) => address.network))]),
	);
	const doubtful = connects.filter(
		(connect) => !connect.reachable && (recheck(connect.from, connect.to) || networksOf.get(connect.from)?.has(connect.network)),
	);
	const sources = namespaces.filter((namespace) => doubtful.some((connect) => connect.from === namespace.owner));
	// Fewer sources at once than the first pass: its storm of connects (every source to every
	// target at once) can overflow a small server's accept queue (busybox httpd listens with a
	// backlog of 9), whose dropped SYNs are what is being tried again; eight again would repeat it.
	await inPool(sources, 2, async (source) => {
		const mine = doubtful.filter((connect) => connect.from === source.owner);
		const output = await prober.runInNamespace(
			source.containerId,
			['sh', '-c', connectAllScript(3), 'connect-all', ...mine.flatMap((connect) => [connect.address, String(connect.port)])],
			30_000,
		);
		const results = connectResults(output);
		for (const connect of mine) if (results.get(`${connect.address} ${connect.port}`)?.open) connect.reachable = true;
	});
}

/**
 * The running namespaces of a compose project: each container with a network namespace of its
 * own (a follower's is its owner's), named by its service, with its addresses, gateways and
 * published TCP ports. Containers not running have no namespace to probe.
 */
export async function stackNamespaces(engine: Engine, project: string): Promise<ProbedNamespace[]> {
	const summaries = (await engine.listSummaries(project)).filter(
		(summary) => summary.State === 'running' && !summary.Labels?.[probeLabel],
	);
	const owners = summaries.filter((summary) => !(summary.HostConfig?.NetworkMode ?? '').startsWith('container:'));
	// Read side by side: one inspect after another adds up on a 200-service stack.
	const inspected = await inPool(owners, 16, async (summary) => ({summary, container: await engine.inspectContainer(summary.Id)}));
	const namespaces: ProbedNamespace[] = [];
	for (const {summary, container} of inspected) {
		if (!container) continue;
		const name = stackIdentity(summary.Labels ?? {}).service ?? container.name;
		const published = [
			...new Set((summary.Ports ?? []).filter((port) => port.PublicPort && port.Type === 'tcp').map((port) => port.PublicPort)),
		].sort((a, b) => a - b);
		const addresses = container.networks
			.filter((endpoint) => endpoint.ipv4)
			.map((endpoint) => ({network: endpoint.network, address: endpoint.ipv4, gateway: endpoint.gateway}));
		namespaces.push({owner: name, containerId: container.id, addresses, published, container});
	}
	return namespaces.sort((a, b) => a.owner.localeCompare(b.owner));
}
