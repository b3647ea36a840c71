/**
 * Actions: every change netmigrate makes to the host, as plain data. Steps compute them,
 * the dry run prints them, the executor journals and applies them, and rollback applies
 * their inverses newest first. A new kind fails to compile until `inverse` and `describe`
 * handle it (and `simulate`, in plan/simulate.ts, which the dry run of a later iteration uses).
 */
import type {EndpointRecord, Mode, NetworkSettings, StepInfo, SwarmAttachment} from './domain.js';

export type NetworkCreate = {kind: 'network.create'; network: string} & NetworkSettings;

/** Removes a network netmigrate created; refused while containers are attached. */
export type NetworkRemove = {kind: 'network.remove'; network: string} & NetworkSettings;

export type NetworkConnect = {
	kind: 'network.connect';
	network: string;
	container: string;
	service: string;
	aliases: string[];
	/** Addresses to pin (IPAMConfig): a rollback reconnecting an endpoint that had them. */
	ipv4?: string;
	ipv6?: string;
	/** -1 on Engine 28+: the new network never takes the container's default route (egress stays where it was). */
	gwPriority?: number;
};

/** The endpoint a disconnect removed, as configured: its aliases, pinned addresses and gateway priority. */
export type RemovedEndpoint = Omit<EndpointRecord, 'network'> & {gwPriority?: number};

export type NetworkDisconnect = {
	kind: 'network.disconnect';
	network: string;
	container: string;
	service: string;
	/** What to reconnect with on rollback when `endpoint` is absent: the names it was planned with. */
	aliases: string[];
	ipv4?: string;
	ipv6?: string;
	gwPriority?: number;
	/**
	 * The endpoint as it was, read by the executor just before it disconnects and journaled with
	 * the intent, so the rollback reconnects exactly: compose's aliases (the file's `aliases:` too)
	 * and the pinned `ipv4_address`, not only the names the plan knew. Absent in journals written
	 * before it was recorded: those reconnect with `aliases`/`ipv4`, as they always did.
	 */
	endpoint?: RemovedEndpoint;
};

/** Writes a whole file atomically, keeping its mode; `before`/`after` are sha256 of the contents. */
export type FileWrite = {
	kind: 'file.write';
	path: string;
	mode: number;
	sha256Before: string;
	sha256After: string;
	/** The new contents (stored in the 0600 journal; shown only masked). */
	content: string;
	/** The contents it replaces, so the inverse is a write too. */
	previous: string;
	/** Why: "networks of traefik, jellyfin", "FIREWALL_OUTBOUND_SUBNETS of gluetun". */
	reason: string;
};

/**
 * `docker compose up -d --no-deps --force-recreate <service>`, waited on until healthy, then the
 * services sharing its network namespace (they lose networking when it is recreated) in bounded
 * groups (source/namespace-recreate.ts). Recreates of independent services run side by side:
 * each waits for its own first healthcheck (a minute, where stacks write `interval: 1m`), and
 * one container's downtime does not grow with the others'; those whose services depend on one
 * another (`depends_on`) share a `queue` and run one after another, in the order given.
 */
export type ServiceRecreate = {
	kind: 'service.recreate';
	service: string;
	dependents: string[];
	reason: string;
	/**
	 * Without --no-deps: compose then sees the service's depends_on, as a plain `up -d` does, and
	 * labels the container with the hash `up -d` computes (with --no-deps it hashes the service
	 * without its depends_on, so the next `up -d` recreates it again). Only where every
	 * dependency is already as the files say, or compose would recreate those too (settle).
	 */
	withDependencies?: boolean;
	/** Recreates with the same queue run one after another; absent, the service's own name. */
	queue?: string;
};

/**
 * A swarm service's networks (with their aliases) set in one spec update, as `docker service
 * update --network-add` does, in the order given; the next service waits until this one's tasks
 * run the new spec and are healthy. Its inverse sets `before` again.
 */
export type SwarmUpdate = {
	kind: 'swarm.update';
	/** The service's full name (`media_traefik`). */
	service: string;
	before: SwarmAttachment[];
	after: SwarmAttachment[];
	order: 'start-first' | 'stop-first';
	/** Why that order: the plan says it. */
	orderReason: string;
};

/**
 * One variable of a swarm service's environment set in one spec update, as `docker service update
 * --env-add` does (an allow-list on a swarm: the stack file gets the same value beside it). The
 * variable keeps its place among the others; absent `before` or `after`: the variable is not set,
 * so the inverse of adding one removes it. Values are shown: only allow-lists are edited.
 */
export type SwarmEnv = {
	kind: 'swarm.env';
	/** The service's full name (`media_jellyfin`). */
	service: string;
	variable: string;
	before?: string;
	after?: string;
	order: 'start-first' | 'stop-first';
	orderReason: string;
};

export type Action = NetworkCreate | NetworkRemove | NetworkConnect | NetworkDisconnect | FileWrite | ServiceRecreate | SwarmUpdate | SwarmEnv;

export type ActionKind = Action['kind'];

/** One step's share of a planned iteration. */
export type PlannedStep = StepInfo & {actions: Action[]};

/**
 * A planned iteration: the value a dry run prints, the review shows and apply executes
 * (Terraform's plan). Every file's text before and after the whole iteration rides along.
 */
export type IterationPlan = {
	iteration: string;
	index: number;
	mode: Mode;
	steps: PlannedStep[];
	notes: string[];
	files: Array<{path: string; kind: 'compose' | 'env'; before: string; after: string; minimal: boolean}>;
};

export function inverse(action: Action): Action {
	switch (action.kind) {
		case 'network.create': {
			const {kind: _kind, ...rest} = action;
			return {kind: 'network.remove', ...rest};
		}
		case 'network.remove': {
			const {kind: _kind, ...rest} = action;
			return {kind: 'network.create', ...rest};
		}
		case 'network.connect': {
			const {kind: _kind, ...rest} = action;
			return {kind: 'network.disconnect', ...rest};
		}
		case 'network.disconnect':
			return reconnect(action);
		case 'file.write':
			return {
				...action,
				sha256Before: action.sha256After,
				sha256After: action.sha256Before,
				content: action.previous,
				previous: action.content,
				reason: `restore ${action.reason}`,
			};
		case 'service.recreate':
			// Recreating again after the files are restored brings back the old definition.
			return {...action, reason: `back to the restored definition (${action.reason})`};
		case 'swarm.update':
			return {...action, before: action.after, after: action.before};
		case 'swarm.env': {
			const {before, after, ...rest} = action;
			return {...rest, ...(after === undefined ? {} : {before: after}), ...(before === undefined ? {} : {after: before})};
		}
	}
}

/** A disconnect's inverse: the endpoint as it recorded it, else (an older journal) as it was planned. */
function reconnect(action: NetworkDisconnect): NetworkConnect {
	const {kind: _kind, endpoint, ...rest} = action;
	if (!endpoint) return {kind: 'network.connect', ...rest};
	const {network, container, service} = action;
	return {
		kind: 'network.connect',
		network,
		container,
		service,
		aliases: endpoint.aliases ?? action.aliases,
		...(endpoint.ipv4Address ? {ipv4: endpoint.ipv4Address} : {}),
		...(endpoint.ipv6Address ? {ipv6: endpoint.ipv6Address} : {}),
		...(endpoint.gwPriority === undefined ? {} : {gwPriority: endpoint.gwPriority}),
	};
}

/**
 * A resumed run journals the intent of an interrupted action again. A disconnect the crash let
 * through finds nothing left to record, so the first intent's record of the endpoint stands.
 */
export function replayedIntent(first: Action, again: Action): Action {
	if (first.kind === 'network.disconnect' && again.kind === 'network.disconnect' && first.endpoint && !again.endpoint) return {...again, endpoint: first.endpoint};
	return again;
}

/**
 * Where an inverse goes in a rollback. Files first: a recreate must see the restored
 * definitions. Then live network changes (networks it needs are back first), then the
 * recreates, then removals of the networks netmigrate created — only an empty one can go.
 */
function rollbackPhase(action: Action): number {
	switch (action.kind) {
		case 'file.write':
			return 0;
		case 'network.create':
			return 1;
		case 'network.connect':
		case 'network.disconnect':
		case 'swarm.update':
		case 'swarm.env':
			return 2;
		case 'service.recreate':
			return 3;
		case 'network.remove':
			return 4;
	}
}

/**
 * Inverses, given newest first, in the order a rollback applies them: grouped by
 * `rollbackPhase`, newest first within a group, and each service recreated once — in the
 * order its changes were first made.
 */
export function rollbackOrder(inverses: Action[]): Action[] {
	const recreated = new Set<string>();
	const once = [...inverses].reverse().filter((action) => {
		if (action.kind !== 'service.recreate') return true;
		if (recreated.has(action.service)) return false;
		recreated.add(action.service);
		return true;
	});
	const newestFirst = once.reverse();
	const recreates = newestFirst.filter((action) => action.kind === 'service.recreate').reverse();
	const others = newestFirst.filter((action) => action.kind !== 'service.recreate');
	return [...others, ...recreates].sort((a, b) => rollbackPhase(a) - rollbackPhase(b));
}

/** One line an operator reads in a plan, a log or the journal viewer; file paths relative to `root` when given. */
export function describe(action: Action, root?: string): string {
	switch (action.kind) {
		case 'network.create':
			return `create network ${action.network} (${action.subnet}${action.gateway ? ` gw ${action.gateway}` : ''}${action.internal ? ', internal' : ''})`;
		case 'network.remove':
			return `remove network ${action.network} (${action.subnet})`;
		case 'network.connect':
			return `connect ${action.container} to ${action.network} as ${action.aliases.join(', ')}${[action.ipv4, action.ipv6].some(Boolean) ? ` at ${[action.ipv4, action.ipv6].filter(Boolean).join(', ')}` : ''}`;
		case 'network.disconnect':
			return `disconnect ${action.container} from ${action.network}`;
		case 'file.write':
			return `write ${root && action.path.startsWith(`${root}/`) ? action.path.slice(root.length + 1) : action.path} (${action.reason})`;
		case 'service.recreate':
			return `recreate ${[action.service, ...action.dependents].join(' → ')} (${action.reason})`;
		case 'swarm.update': {
			const names = (list: SwarmAttachment[]) => list.map((item) => item.network);
			const added = names(action.after).filter((network) => !names(action.before).includes(network));
			const removed = names(action.before).filter((network) => !names(action.after).includes(network));
			return `update swarm service ${action.service}: ${[...added.map((network) => `+ ${network}`), ...removed.map((network) => `- ${network}`)].join(', ')} (${action.order}: ${action.orderReason})`;
		}
		case 'swarm.env':
			return `update swarm service ${action.service}: ${envChange(action)} (${action.order}: ${action.orderReason})`;
	}
}

/** `TRUSTED_PROXIES += 10.231.11.0/24`: the entries of a comma-separated list added and removed, else the new value. */
function envChange({variable, before, after}: SwarmEnv): string {
	if (after === undefined) return `${variable} removed`;
	if (before === undefined) return `${variable} = ${after}`;
	const entries = (value: string) => value.split(',').map((entry) => entry.trim()).filter(Boolean);
	const added = entries(after).filter((entry) => !entries(before).includes(entry));
	const removed = entries(before).filter((entry) => !entries(after).includes(entry));
	const parts = [...(added.length > 0 ? [`${variable} += ${added.join(', ')}`] : []), ...(removed.length > 0 ? [`${variable} -= ${removed.join(', ')}`] : [])];
	return parts.length > 0 ? parts.join(', ') : `${variable} = ${after}`;
}

/**
 * Network creates/removes and connects/disconnects each touch one object (a network or a
 * container) and may run side by side; the key says which object, so two never touch the
 * same one at once. Other kinds run alone, in order.
 */
export function concurrencyKey(action: Action): string | undefined {
	switch (action.kind) {
		case 'network.connect':
		case 'network.disconnect':
			return `container:${action.container}`;
		case 'network.create':
		case 'network.remove':
			return `network:${action.network}`;
		case 'service.recreate':
			// With its dependencies, compose may recreate one another's: those never run side by side.
			return action.withDependencies ? 'recreate:with-dependencies' : `recreate:${action.queue ?? action.service}`;
		case 'file.write':
		case 'swarm.update':
		case 'swarm.env':
			return undefined;
	}
}
