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
import {connectAllScript, connectBatch, connectResults, listeningPorts} from './connect-script.js';
import {containerProcFile} from './namespace.js';
import {
	NeighbourPace,
	neighbourBatches,
	neighbourCost,
	neighbourLimits,
	neighboursPerWindow,
	paceEstimateMs,
	type NeighbourLimits,
} from './neighbours.js';
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

export type Observation = {
	listening: Map<string, number[]>;
	connects: ObservedConnect[];
	hostPaths: HostPath[];
	durationMs: number;
	/**
	 * The host's neighbour-table thresholds (source/engine/neighbours.ts), the least time their pace
	 * needed by the estimate made before the connects, and the time they really waited.
	 */
	limits: NeighbourLimits;
	/** The neighbour entries all the connects make, by `neighbourCost`. */
	cost: number;
	estimateMs: number;
	neighbourWaitMs: number;
	/** `proceed` said no: listeners read, no connect made. */
	skipped: boolean;
};

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
	/** The neighbour table's thresholds that pace the connects; by default, the engine host's. */
	limits?: NeighbourLimits;
	/** Told, before any connect, how long the pace needs at least; false skips the connects. */
	proceed?: (estimateMs: number, limits: NeighbourLimits, cost: number) => boolean;
};

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
	const limits = options.limits ?? (await neighbourLimits(prober, options.local ?? false));
	const pace = new NeighbourPace(neighboursPerWindow(limits));
	const plans = namespaces.map((source) => sourcePlan(source, namespaces, listening, options.apart));
	const cost = plans.reduce((sum, plan) => sum + neighbourCost(plan.networks, plan.targets), 0);
	const estimateMs = paceEstimateMs(cost, pace.perWindow);
	const observation = {listening, connects: [] as ObservedConnect[], hostPaths: [] as HostPath[], estimateMs, limits, cost};
	if (options.proceed && !options.proceed(estimateMs, limits, cost))
		return {...observation, durationMs: Math.round(performance.now() - started), neighbourWaitMs: 0, skipped: true};
	// Sixteen sources at once: the probing is bound by starting processes (one a connect) and by
	// blocked connects' timeouts, which overlap: on a 200-service stack the first pass took 107 s
	// with eight, 93 with sixteen.
	await inPool(plans, options.concurrency ?? 16, async (plan) => {
		const results = await connectFrom(prober, pace, plan.source, timeoutSeconds, plan.targets);
		for (const item of plan.tries) {
			observation.connects.push({
				from: plan.source.owner,
				to: item.target.owner,
				port: item.port,
				address: item.address.address,
				network: item.address.network,
				reachable: results.get(`${item.address.address} ${item.port}`)?.open ?? false,
			});
		}
		for (const item of plan.around) {
			if (results.get(`${item.gateway} ${item.port}`)?.open)
				observation.hostPaths.push({
					from: plan.source.owner,
					to: item.target.owner,
					port: item.port,
					gateway: item.gateway,
					network: item.network,
				});
		}
	});
	await recheckClosed(prober, namespaces, observation.connects, options.recheck ?? (() => false));
	return {
		...observation,
		durationMs: Math.round(performance.now() - started),
		neighbourWaitMs: Math.round(pace.waitedMs),
		skipped: false,
	};
}

/**
 * What one source tries: every address of every other namespace on each port it listens on —
 * starting at the namespace after itself, so sources side by side knock on different targets,
 * whose small servers' accept queues (busybox httpd: 9) a burst of SYNs from every source at once
 * would overflow — and, for pairs kept `apart`, each port a target publishes on the source's own
 * gateways.
 */
function sourcePlan(
	source: ProbedNamespace,
	namespaces: ProbedNamespace[],
	listening: Map<string, number[]>,
	apart: ObserveOptions['apart'],
) {
	const at = namespaces.indexOf(source);
	const others = [...namespaces.slice(at + 1), ...namespaces.slice(0, at)];
	const tries = others.flatMap((target) =>
		target.addresses.flatMap((address) => (listening.get(target.owner) ?? []).map((port) => ({target, address, port}))),
	);
	const gateways = [...new Map(source.addresses.filter((address) => address.gateway).map((address) => [address.gateway, address]))];
	const around = apart
		? others
				.filter((target) => apart(source.owner, target.owner))
				.flatMap((target) =>
					gateways.flatMap(([gateway, address]) =>
						target.published.map((port) => ({target, gateway, network: address.network, port})),
					),
				)
		: [];
	return {
		source,
		tries,
		around,
		networks: new Set(source.addresses.map((address) => address.network)),
		targets: [
			...tries.map((item) => ({address: item.address.address, network: item.address.network, port: item.port})),
			...around.map((item) => ({address: item.gateway, network: item.network, port: item.port})),
		],
	};
}

/**
 * Connects from `source`'s namespace to each `address port`, in batches that keep within the
 * neighbour table's pace (source/engine/neighbours.ts); the open ones, keyed `address port`.
 */
async function connectFrom(
	prober: Prober,
	pace: NeighbourPace,
	source: ProbedNamespace,
	timeoutSeconds: number,
	targets: Array<{address: string; network: string; port: number}>,
): Promise<Map<string, {open: boolean}>> {
	const results = new Map<string, {open: boolean}>();
	const networks = new Set(source.addresses.map((address) => address.network));
	for (const batch of neighbourBatches(networks, targets, pace.perWindow)) {
		await pace.take(neighbourCost(networks, batch));
		const output = await prober.runInNamespace(
			source.containerId,
			['sh', '-c', connectAllScript(timeoutSeconds), 'connect-all', ...batch.flatMap((item) => [item.address, String(item.port)])],
			(timeoutSeconds * 2 * Math.ceil(batch.length / connectBatch) + 20) * 1000,
		);
		for (const [key, value] of connectResults(output)) results.set(key, value);
	}
	return results;
}

/**
 * Closed connects tried again from their sources with a 3-second timeout — those of pairs `recheck`
 * names on which nothing opened, and any to an address on a network the source is on too (on one
 * bridge a connect fails only to a port nobody listens on; a starved first second must not hide a
 * stray attachment, seen on a loaded CI machine) — and counted open when they open. A pair that
 * opened on one address is reachable: its other addresses, on networks the source is not on,
 * are blocked by the isolation, and trying each again cost a 200-service stack five minutes.
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
	const opened = new Map<string, Set<string>>();
	for (const connect of connects.filter((item) => item.reachable))
		opened.set(connect.from, (opened.get(connect.from) ?? new Set()).add(connect.to));
	const doubtful = connects.filter(
		(connect) =>
			!connect.reachable &&
			((recheck(connect.from, connect.to) && !opened.get(connect.from)?.has(connect.to)) ||
				networksOf.get(connect.from)?.has(connect.network)),
	);
	const sources = namespaces.filter((namespace) => doubtful.some((connect) => connect.from === namespace.owner));
	// Fewer sources at once than the first pass: its storm of connects (every source to every
	// target at once) can overflow a small server's accept queue (busybox httpd listens with a
	// backlog of 9), whose dropped SYNs are what is being tried again; eight again would repeat it.
	await inPool(sources, 2, async (source) => {
		const mine = doubtful.filter((connect) => connect.from === source.owner);
		// Not paced: the first pass tried these addresses seconds ago, and their entries are still there.
		const results = await connectFrom(prober, new NeighbourPace(Number.MAX_SAFE_INTEGER), source, 3, mine);
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
