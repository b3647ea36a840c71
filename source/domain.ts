/**
 * The shared vocabulary: the words every layer speaks — a network, a container as the engine reports it, what a
 * run discovered, a check's result, a step's name, a position in the plan file. Types and constants (versions and
 * their comparison: source/versions.ts); it imports nothing of the project, so any layer (the engine adapter, the
 * plan, the steps, the state folder, the UI) may import it without reaching sideways into another layer's files.
 */

// ── Networks ─────────────────────────────────────────────────────────────────

/** The settings that make a network what it is; a subnet or `internal` never changes in place. */
export type NetworkSettings = {
	subnet: string;
	gateway?: string;
	internal: boolean;
	driver: string;
	labels: Record<string, string>;
	/** Overlay networks on a swarm: standalone containers (netmigrate's probes) may join. */
	attachable?: boolean;
	/** Overlay networks: IPsec between nodes. */
	encrypted?: boolean;
};

/** A network to create: its name and settings. */
export type NetworkSpec = NetworkSettings & {name: string};

/** A network as the engine reports it: the spec (first subnet), every subnet, and its members. */
export type NetworkInfo = NetworkSpec & {
	id: string;
	subnets: Array<{subnet: string; gateway?: string}>;
	/** Containers attached, with their addresses. */
	members: Array<{id: string; name: string; ipv4: string}>;
};

/** Networks netmigrate creates carry this label; it removes no network without it. */
export const managedLabel = 'managed-by';
export const managedValue = 'netmigrate';

/** Probe containers carry this label, so they are told apart from the stack's containers. */
export const probeLabel = 'netmigrate.probe';

// ── Containers ───────────────────────────────────────────────────────────────

export type ContainerHealth = 'healthy' | 'unhealthy' | 'starting' | 'none';

/**
 * A container's endpoint on one network as the engine reports it. `aliases` are the endpoint's
 * configured Aliases (an engine before API 1.45 also lists the short container id there);
 * `pinnedIPv4`/`pinnedIPv6` are the addresses its IPAM config asks for (compose's
 * `ipv4_address`), absent when the engine chose one — `ipv4` is whatever it has now.
 */
export type NetworkEndpoint = {
	network: string;
	ipv4: string;
	aliases: string[];
	gateway: string;
	gwPriority?: number;
	pinnedIPv4?: string;
	pinnedIPv6?: string;
	/** An address a rollback asked for to give it the one it had (source/engine/keep-addresses.ts): no pin of the stack's. */
	keptIPv4?: string;
	/** The rest of its configuration, which a reconnect carries as it is (the MAC as configured: read before a first start). */
	rest?: {links?: string[]; linkLocalIPs?: string[]; driverOpts?: Record<string, string>; macAddress?: string};
};

/** A container as the engine reports it. */
export type ContainerInfo = {
	id: string;
	name: string;
	/** A swarm task's slot (`media_traefik.1`): the same across the updates that replace its container. */
	slot?: string;
	project?: string;
	service?: string;
	state: string;
	/** The main process as the engine's host sees it (0 when not running). */
	pid: number;
	health: ContainerHealth;
	/** Of an exited container, with its restart policy: a one-shot (`restart: "no"`) that exited 0 is done, not down. */
	exitCode?: number;
	restartPolicy?: string;
	/** `service:<name>` / `container:<id>` when the container lives in another's namespace. */
	networkMode: string;
	networks: NetworkEndpoint[];
	env: string[];
	image: string;
	labels: Record<string, string>;
	/** A swarm task on another node than this engine's (its node id): known from its task record, not inspected. */
	node?: string;
};

/** What a planner needs of a container: its name, its networks, whether it runs. */
export type RunningContainer = {name: string; networks: string[]; running: boolean};

/** Where the stack runs: containers compose manages on one engine, or the services of a swarm stack. */
export type Target = 'compose' | 'swarm';

/** A service of a swarm stack as its spec says. */
export type SwarmService = {
	id: string;
	/** The full name (`media_traefik`); the stack's short name is the map key. */
	name: string;
	/** The spec's version index, which an update must quote. */
	version: number;
	networks: SwarmAttachment[];
	env: string[];
	replicas?: number;
	/** Whether two tasks of it may run at once (start-first): no bind or volume mount they would share. */
	mounts: number;
	/** The spec's image (as deployed: often pinned by digest). */
	image?: string;
};

/** A network a swarm service's tasks join, by name, with their aliases on it. */
export type SwarmAttachment = {network: string; aliases: string[]};

const envKey = (entry: string) => (entry.includes('=') ? entry.slice(0, entry.indexOf('=')) : entry);

/** `VAR`'s value in a spec's `KEY=value` list (the last entry wins, as in a container); a bare `VAR` has none. */
export function envValue(env: string[], variable: string): string | undefined {
	const entry = env.filter((item) => envKey(item) === variable).at(-1);
	return entry?.includes('=') ? entry.slice(variable.length + 1) : undefined;
}

/**
 * The list with `VAR=value` in the place of `VAR`'s first entry (appended when it has none), or
 * without `VAR` when `value` is undefined; every other entry stays as it was, in its order.
 */
export function withEnvValue(env: string[], variable: string, value: string | undefined): string[] {
	const first = env.findIndex((item) => envKey(item) === variable);
	const result = env.flatMap((item, index) =>
		envKey(item) !== variable ? [item] : index === first && value !== undefined ? [`${variable}=${value}`] : [],
	);
	return first < 0 && value !== undefined ? [...result, `${variable}=${value}`] : result;
}

/** The stack as a run found it. */
export type Discovered = {
	/** Where this picture came from: the engine, or the compose files when no engine answered. */
	source: 'engine' | 'compose-files';
	/** The engine's API version (absent without an engine): what a connect may ask of it. */
	apiVersion?: string;
	/** Compose's version, read only where the engine honours gw_priority: whether the files may carry it. */
	composeVersion?: string;
	/** Service → its containers (a swarm stack's: its running tasks on this engine). */
	containers: Map<string, RunningContainer[]>;
	/** A swarm stack's services (short name → service). */
	swarm?: Map<string, SwarmService>;
	networks: Map<string, NetworkSpec>;
};

/** A route of the engine's host (a LAN, a VPN): a planned subnet must not shadow it. */
export type HostRoute = {interface: string; subnet: string};

/** Container name → the networks it is on, sorted. */
export type MembershipSnapshot = Record<string, string[]>;

/**
 * A container's place on one network as it was configured, not as the engine fills it in: the
 * aliases it was given (compose's, or netmigrate's on a live connect) and the addresses pinned
 * in its IPAM config. What a rollback puts back and what verification compares.
 */
export type EndpointRecord = {
	network: string;
	/**
	 * Sorted, without what the engine adds by itself (source/membership.ts says what). Absent: not
	 * recorded — a backup from before netmigrate recorded aliases, or a swarm task, whose aliases
	 * and addresses the swarm assigns anew with every task.
	 */
	aliases?: string[];
	ipv4Address?: string;
	ipv6Address?: string;
};

/**
 * Whose network namespace a container lives in (`network_mode: service:X` / `container:X`) and
 * whether that namespace still has a network: a follower whose owner was recreated without it
 * points at a container that is gone, and is left with only `lo`.
 */
export type SharedNamespace = {
	/** The owner's name; its id, shortened, when no container has that id any more. */
	owner: string;
	alive: boolean;
	/** Why it is dead, in the operator's words. */
	detail?: string;
};

/** Container name → network → the IPv4 address it has (the engine's choice unless pinned): what a rollback can only report, not keep. */
export type AddressBook = Record<string, Record<string, string>>;

/** One container's membership: its service, its networks as configured, the namespace it shares. */
export type ContainerRecord = {service?: string; networks: EndpointRecord[]; sharesWith?: SharedNamespace};

/** Container name (a swarm task's slot) → its membership, taken before an iteration changes anything. */
export type MembershipRecord = Record<string, ContainerRecord>;

/** Container name → the network of its default route (null: none, e.g. only internal networks). */
export type DefaultRoutes = Record<string, string | null>;

export type MovedRoute = {container: string; before: string | null; after: string | null};

// ── Runs and steps ───────────────────────────────────────────────────────────

/** live: `network connect` on running containers; recreate: rolling `compose up -d` per service. */
export type Mode = 'live' | 'recreate';

export type RunKind = 'apply' | 'rollback';

/**
 * What a rollback does with a file the operator changed on the same lines netmigrate did:
 * stop before any change, keep their file as it is, or restore the backup after saving theirs.
 */
export type OnConflict = 'stop' | 'theirs' | 'backup';

/** The steps of an iteration, then those of a settle and of a rollback. */
export type StepName =
	| 'preflight'
	| 'backup'
	| 'networks'
	| 'multihome'
	| 'firewall'
	| 'labels'
	| 'ports'
	| 'detach'
	| 'checks'
	| 'report'
	| 'settle'
	| 'rollback'
	| 'verify';

/** What the step list shows of a step. */
export type StepInfo = {name: StepName; title: string; changesHost: boolean};

// ── Checks ───────────────────────────────────────────────────────────────────

/** Every pair of namespaces probed after an iteration (plan/matrix-changes.ts): `cut`/`opened` against the plan before it. */
export type IterationReachability = {
	pairs: number;
	probed: number;
	asIntended: number;
	mismatches: Array<{from: string; to: string; expected: 'reachable' | 'blocked'; reason: string}>;
	cut: Array<{from: string; to: string; asked: boolean}>;
	opened: Array<{from: string; to: string; asked: boolean}>;
	throughHost: Array<{from: string; to: string; port: number; reason: string}>;
	durationMs?: number;
};

export type CheckResult = {
	from: string;
	to: string;
	via?: string;
	expect: 'reachable' | 'blocked';
	ok: boolean;
	outcome: 'reachable' | 'blocked';
	address?: string;
	latencyMs?: number;
	httpStatus?: number;
	resolved?: string[];
	/** On a swarm, the node a probe task ran on for a source on another node than the manager's. */
	node?: string;
	detail: string;
};

/** A container's state at one moment, as the health gate judges it (a one-shot's exit code and restart policy included). */
export type HealthState = {service?: string; state: string; health: ContainerHealth; exitCode?: number; restartPolicy?: string};

/** Container name (a swarm task: its slot) → its state when the iteration began: what health is judged against. */
export type HealthBaseline = Record<string, HealthState>;

/** A container's state now, with the output of its last healthcheck (trimmed), for the gate's message. */
export type HealthDetail = HealthState & {container: string; slot?: string; lastOutput?: string};

/**
 * One container judged. `unhealthyBefore`: not healthy now, but it was not healthy when the
 * iteration began either — a warning, not a failure of this iteration. `reason` says why a
 * failure fails (or why a warning is only one).
 */
export type HealthResult = {
	container: string;
	service: string;
	state: string;
	health: string;
	exitCode?: number;
	ok: boolean;
	unhealthyBefore?: boolean;
	reason?: string;
	lastOutput?: string;
};

// ── Positions ────────────────────────────────────────────────────────────────

/** Where something is: a file position, a service, a network — whatever helps the operator find it. */
export type Where = {file?: string; line?: number; column?: number; service?: string; network?: string};

/** One problem among several found at once (validation reports them all). */
export type Problem = {message: string; where?: Where; hint?: string};

/** A path into the plan file (`['iterations', 0, 'attach', 'traefik']`). */
export type PlanPath = Array<string | number>;

/** Finds where a path of the plan sits in its file, for messages. */
export type Locate = (at: PlanPath, onKey?: boolean) => Where;
