/**
 * The stack's membership as the engine has it now, read for the backup's record, the checks
 * after an apply, the report and the rollback's verification (compared in source/membership.ts,
 * which stays pure): each container's networks, with aliases and pinned addresses, and the
 * namespace each follower shares. Probe containers are not the stack's.
 */
import {probeLabel, type ContainerInfo, type MembershipRecord, type MembershipSnapshot, type Target} from './domain.js';
import type {Engine} from './engine/docker.js';
import {sharedNamespaces} from './engine/namespace.js';
import {stackContainers} from './engine/swarm-tasks.js';
import {recordOf} from './membership.js';

export async function membershipOf(engine: Engine, project: string): Promise<MembershipSnapshot> {
	return membershipNamesOf(await engine.listContainers(project));
}

/** Each container's networks by name (a swarm task by its slot), probes left out. */
export function membershipNamesOf(containers: ContainerInfo[]): MembershipSnapshot {
	const membership: MembershipSnapshot = {};
	for (const container of containers) {
		if (container.labels[probeLabel]) continue;
		membership[container.slot ?? container.name] = container.networks.map((endpoint) => endpoint.network).sort();
	}
	return membership;
}

/** The stack's membership as the engine has it now: networks with aliases and pinned addresses, and each follower's namespace. */
export async function membershipRecordOf(
	engine: Engine,
	host: string,
	project: string,
	target: Target = 'compose',
	read?: ContainerInfo[],
): Promise<MembershipRecord> {
	const containers = (read ?? (await stackContainers(engine, project, target))).filter((container) => !container.labels[probeLabel]);
	return recordOf(containers, await sharedNamespaces(engine, host, containers), target);
}
