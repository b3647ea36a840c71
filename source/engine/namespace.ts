/**
 * Whether a container that lives in another's network namespace (`network_mode: service:X` or
 * `container:X`) still has a network. The engine stores such a container's mode as
 * `container:<owner id>` (compose resolves `service:X` to the id of X's container when it creates
 * it). When the owner is recreated without its followers, they keep pointing at the old id; once
 * that container is gone, the namespace they share holds only `lo`, while their own networks
 * read, as before, as none. Seen on real stacks: 20 followers of a VPN container left with only
 * `lo`, reported healthy.
 */
import {readFileSync} from 'node:fs';
import type {ContainerInfo, SharedNamespace} from '../domain.js';
import type {Engine} from './docker.js';

/** The namespace each follower among `containers` shares, by the follower's id; containers with their own namespace are left out. */
export async function sharedNamespaces(
	engine: Engine,
	host: string,
	containers: ContainerInfo[],
	procRoot = '/proc',
): Promise<Map<string, SharedNamespace>> {
	const shared = new Map<string, SharedNamespace>();
	for (const follower of containers) {
		if (!follower.networkMode.startsWith('container:')) continue;
		const reference = follower.networkMode.slice('container:'.length);
		// The owner may be in another project (`container:gluetun` across projects): then the engine is asked.
		const owner =
			containers.find(
				(candidate) =>
					candidate.id === reference ||
					candidate.name === reference ||
					(reference.length >= 12 && candidate.id.startsWith(reference)),
			) ?? (await engine.inspectContainer(reference));
		shared.set(follower.id, namespaceOf(follower, reference, owner, host.startsWith('unix://') ? procRoot : undefined));
	}
	return shared;
}

/**
 * Dead when the owner it points at no longer exists or is not running, or — on an engine on
 * this machine, where the follower's namespace can be read — when it holds no interface but `lo`.
 */
export function namespaceOf(
	follower: ContainerInfo,
	reference: string,
	owner: ContainerInfo | undefined,
	procRoot?: string,
): SharedNamespace {
	if (!owner) {
		const shown = /^[0-9a-f]{64}$/.test(reference) ? reference.slice(0, 12) : reference;
		return {
			owner: shown,
			alive: false,
			detail: `it points at container ${shown}, which no longer exists (its owner was recreated without it?)`,
		};
	}
	if (owner.state !== 'running') return {owner: owner.name, alive: false, detail: `its owner ${owner.name} is ${owner.state}`};
	const interfaces = procRoot === undefined ? undefined : interfacesOf(follower, procRoot);
	if (interfaces && interfaces.every((name) => name === 'lo'))
		return {owner: owner.name, alive: false, detail: `only lo is left in its namespace (owner ${owner.name})`};
	return {owner: owner.name, alive: true};
}

/**
 * The interfaces in a running container's namespace, from the host's /proc/<pid>/net/dev: no
 * exec, nothing needed in the image. Undefined when it cannot be read or the pid is not the
 * container's (its cgroup does not name the container: an engine in another pid namespace).
 */
export function interfacesOf(container: ContainerInfo, procRoot = '/proc'): string[] | undefined {
	if (container.state !== 'running' || container.pid <= 0) return undefined;
	const table = containerProcFile(container, 'net/dev', procRoot);
	return table === undefined ? undefined : parseInterfaces(table);
}

/**
 * A file of the container's main process under /proc (`net/dev`, `net/route`), read only when
 * that process's cgroup names the container: a local engine's, not a reused pid or a remote one.
 */
export function containerProcFile(container: ContainerInfo, file: string, procRoot = '/proc'): string | undefined {
	try {
		const cgroup = readFileSync(`${procRoot}/${container.pid}/cgroup`, 'utf8');
		const content = readFileSync(`${procRoot}/${container.pid}/${file}`, 'utf8');
		return cgroup.includes(container.id) ? content : undefined;
	} catch {
		return undefined;
	}
}

/** Interface names of a /proc/net/dev table: two header lines, then `  name: counters…` per interface. */
export function parseInterfaces(table: string): string[] {
	return table
		.split('\n')
		.slice(2)
		.map((line) => line.split(':')[0]?.trim() ?? '')
		.filter(Boolean);
}
