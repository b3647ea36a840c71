/**
 * One host, many projects: the networks the engine already has, as `init` discovered them.
 * A tier network another project's plan created (same name) is reused with its subnet and
 * `internal` flag — a network's config cannot change in place, and two plans must not
 * draft `frontend-net` with two subnets. New tier networks get free /24s around them.
 */
import {nextFreeSubnet} from './subnets.js';
import type {NetworkFact} from './tiering.js';

export type PickedNetwork = {subnet: string; internal: boolean; reused?: {project?: string}};

/** The existing networks that carry a drafted name, by name (a pure function of the engine's list). */
export function existingByName(names: string[], existing: NetworkFact[]): Map<string, NetworkFact> {
	const found = new Map<string, NetworkFact>();
	for (const name of names) {
		const fact = existing.find((candidate) => candidate.name === name && candidate.subnets.length > 0);
		if (fact) found.set(name, fact);
	}
	return found;
}

/**
 * Subnets for the drafted networks: an existing network's own, else the next free /24 of the
 * pool (then 10.240.0.0/12) that overlaps nothing in `used` (engine networks, compose-declared
 * subnets, host routes) nor another drafted network.
 */
export function pickNetworks(
	wanted: Array<{name: string; internal: boolean}>,
	existing: NetworkFact[],
	used: string[],
	pool = '172.20.0.0/14',
): Map<string, PickedNetwork> {
	const reused = existingByName(
		wanted.map((network) => network.name),
		existing,
	);
	const taken = [...used, ...existing.flatMap((fact) => fact.subnets)];
	const picked = new Map<string, PickedNetwork>();
	for (const network of wanted) {
		const fact = reused.get(network.name);
		if (fact) {
			picked.set(network.name, {
				subnet: fact.subnets[0] as string,
				internal: fact.internal,
				reused: {...(fact.project ? {project: fact.project} : {})},
			});
			continue;
		}
		const subnet = nextFreeSubnet(pool, 24, taken) ?? nextFreeSubnet('10.240.0.0/12', 24, taken);
		if (!subnet) throw new Error(`no free /24 left in ${pool} or 10.240.0.0/12`);
		taken.push(subnet);
		picked.set(network.name, {subnet, internal: network.internal});
	}
	return picked;
}
