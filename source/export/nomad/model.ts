/**
 * The Nomad export as data, before any file is printed: one group per network namespace of
 * the intended stack (its owner and the services that share its namespace, as tasks), the
 * ports each listens on (static or dynamic), one Consul service per TCP port with a Connect
 * sidecar, the upstreams every intended reachable pair gives its source, and the intentions
 * that allow exactly those pairs. Isolated pairs get nothing: the default deny holds them.
 */
import {namespaceOwner, type ComposeModel} from '../../compose/project.js';
import {intendedPairs, type IntendedNamespace, type IntendedPair, type IntendedStack} from '../../plan/intent.js';
import type {Plan} from '../../plan/schema.js';
import {bindPortChooser, namespacePorts, portLabel, unpublishedThrough, type ListeningPort} from './ports.js';
import {taskOf, type HostVolume, type NotCarried, type TaskModel} from './tasks.js';

export type Upstream = {destination: string; localBindPort: number; target: string; port: number};
export type MeshService = {name: string; owner: string; port?: ListeningPort; upstreams: Upstream[]};
export type GroupModel = {owner: string; tasks: TaskModel[]; ports: ListeningPort[]; services: MeshService[]; networks: string[]};
export type Intention = {destination: string; target: string; sources: string[]};

export type NomadExport = {
	job: string;
	/** -1: today; k: after iterations 0..k. */
	iteration: number;
	groups: GroupModel[];
	volumes: HostVolume[];
	intentions: Intention[];
	pairs: IntendedPair[];
	notCarried: NotCarried[];
	/** `ports:` entries left out (ranges), and host addresses Nomad does not bind. */
	warnings: string[];
};

/** A Consul service name: lowercase letters, digits and dashes. */
export const consulName = (name: string): string =>
	name
		.toLowerCase()
		.replace(/[^a-z0-9-]+/g, '-')
		.replace(/^-+|-+$/g, '');

/** A group's name: Nomad's Connect refuses a group name with uppercase letters (Consul assumes lowercase). */
export const groupName = (owner: string): string => owner.toLowerCase();

/** One service per TCP port, named after the service listening on it (`<name>-<port>` for its further ones); one without a port when the namespace listens on none. */
function meshServices(owner: string, ports: ListeningPort[]): MeshService[] {
	const named = new Set<string>();
	const services: MeshService[] = [];
	for (const port of ports.filter((candidate) => candidate.protocols.includes('tcp'))) {
		const base = consulName(port.service);
		const name = named.has(base) ? `${base}-${port.port}` : base;
		named.add(base);
		services.push({name, owner, port, upstreams: []});
	}
	if (!named.has(consulName(owner))) services.unshift({name: consulName(owner), owner, upstreams: []});
	return services;
}

export function nomadModel(project: ComposeModel, plan: Plan, stack: IntendedStack): NomadExport {
	const unpublished = unpublishedThrough(plan, stack.iteration);
	const volumes = new Map<string, HostVolume>();
	const warnings: string[] = [];
	const groups = [...stack.namespaces, ...outsideTheStack(project, stack)].map((namespace): GroupModel => {
		// Only services of this project become tasks (a namespace owned by a container elsewhere has none here).
		const members = [namespace.owner, ...namespace.followers].filter((name) => project.services.has(name));
		const ranges: string[] = [];
		const ports = namespacePorts(project, plan, members, unpublished, ranges);
		for (const range of ranges)
			warnings.push(`${namespace.owner}: port entry ${range} is a range; ranges are not carried, declare each port by hand`);
		for (const port of ports) {
			if (port.hostAddress)
				warnings.push(
					`${port.service}: host port ${port.published.join(', ')} was bound to ${port.hostAddress} only; Nomad's static port listens on the client's address (the firewall decides who reaches it)`,
				);
			if (port.published.length > 1)
				warnings.push(
					`${port.service}: container port ${port.port} is published on ${port.published.join(', ')}; Nomad carries the first as static`,
				);
		}
		const tasks = members.flatMap((name) => {
			const service = project.services.get(name);
			return service ? [taskOf(project, service, volumes)] : [];
		});
		return {owner: namespace.owner, tasks, ports, services: meshServices(namespace.owner, ports), networks: namespace.networks};
	});
	const byOwner = new Map(groups.map((group) => [group.owner, group]));
	const pairs = intendedPairs(stack);
	const reachable = pairs.filter((pair) => pair.via.length > 0).sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
	for (const group of groups) {
		const primary = group.services[0] as MeshService;
		const choose = bindPortChooser(group.ports.map((port) => port.port));
		for (const pair of reachable.filter((candidate) => candidate.from === group.owner)) {
			for (const service of byOwner.get(pair.to)?.services ?? []) {
				if (!service.port) continue;
				primary.upstreams.push({
					destination: service.name,
					localBindPort: choose(service.port.port),
					target: pair.to,
					port: service.port.port,
				});
			}
		}
	}
	const intentions: Intention[] = [];
	for (const group of groups) {
		const sources = reachable
			.filter((pair) => pair.to === group.owner)
			.map((pair) => (byOwner.get(pair.from)?.services[0] as MeshService).name);
		if (sources.length === 0) continue;
		for (const service of group.services)
			intentions.push({destination: service.name, target: group.owner, sources: [...new Set(sources)].sort()});
	}
	return {
		job: consulName(project.projectName),
		iteration: stack.iteration,
		groups,
		volumes: [...volumes.values()],
		intentions,
		pairs,
		notCarried: [...groups.flatMap((group) => group.tasks.flatMap((task) => task.notCarried)), ...networkNotCarried(project, stack)],
		warnings,
	};
}

/**
 * Active services the intended stack has no namespace for (host or no networking, a namespace
 * of another project's container), grouped by the owner of their namespace: exported as groups
 * of their own that share no network, so the mesh gives them no peer (their "not carried"
 * entries say why), rather than left out of the job.
 */
function outsideTheStack(project: ComposeModel, stack: IntendedStack): IntendedNamespace[] {
	const covered = new Set(stack.namespaces.flatMap((namespace) => [namespace.owner, ...namespace.followers]));
	const outside = new Map<string, string[]>();
	for (const service of project.services.values()) {
		if (!service.active || covered.has(service.name)) continue;
		const owner = project.services.get(namespaceOwner(project, service.name))?.active
			? namespaceOwner(project, service.name)
			: service.name;
		outside.set(owner, [...(outside.get(owner) ?? []), ...(owner === service.name ? [] : [service.name])]);
	}
	return [...outside].map(([owner, followers]) => ({owner, followers, networks: [], internalOnly: true}));
}

/** Networks a Nomad bridge cannot be: macvlan and ipvlan (the container on the LAN), and fixed addresses. */
function networkNotCarried(project: ComposeModel, stack: IntendedStack): NotCarried[] {
	const found: NotCarried[] = [];
	const drivers = new Map(
		[...project.declaredNetworks.values()].map((declaration) => [declaration.name, String(declaration.raw.driver ?? 'bridge')]),
	);
	for (const namespace of stack.namespaces) {
		const service = project.services.get(namespace.owner);
		for (const network of namespace.networks) {
			const driver = drivers.get(network) ?? 'bridge';
			if (driver === 'macvlan' || driver === 'ipvlan')
				found.push({
					service: namespace.owner,
					key: `networks: ${network} (${driver})`,
					why: `a ${driver} network puts the container on the LAN with its own address; a Nomad group's bridge cannot, so its ports become dynamic ones behind Consul names (make the ones users reach static by hand; a CNI macvlan plugin would keep the address, outside the mesh)`,
				});
		}
		const networks = service?.config.networks;
		if (networks && typeof networks === 'object' && !Array.isArray(networks)) {
			for (const [key, settings] of Object.entries(networks as Record<string, unknown>)) {
				const pinned = settings && typeof settings === 'object' && ('ipv4_address' in settings || 'ipv6_address' in settings);
				if (pinned)
					found.push({
						service: namespace.owner,
						key: `networks: ${key}: ipv4_address`,
						why: 'fixed addresses do not survive a scheduler that places allocations; services find each other by Consul name',
					});
			}
		}
	}
	return found;
}
