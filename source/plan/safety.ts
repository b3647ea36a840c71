/**
 * Subnet safety against the real host: a planned subnet must not overlap any existing
 * engine network (other than the planned network itself, when it already exists) nor a
 * host route such as a VPN's — the classic "Pool overlaps with other one on this address
 * space" failure, or worse, a bridge that shadows part of the LAN. A planned name that
 * exists with other settings is an error too: subnets and `internal` are not changed in place.
 */
import type {HostRoute, Locate, NetworkSpec, Problem} from '../domain.js';
import type {Plan, PlannedNetwork} from './schema.js';
import {overlapsText} from './subnets.js';

export function subnetSafetyProblems(plan: Plan, existing: Map<string, NetworkSpec>, routes: HostRoute[], locate: Locate): Problem[] {
	const problems: Problem[] = [];
	const engineSubnets = new Set([...existing.values()].map((network) => network.subnet));
	for (const [name, planned] of Object.entries(plan.networks)) {
		const at = ['networks', name, 'subnet'];
		const same = existing.get(name);
		if (same) {
			const mismatch = networkMismatch(planned, same);
			if (mismatch) {
				problems.push({
					message: `network ${name} already exists with other settings: ${mismatch}`,
					where: locate(['networks', name], true),
					hint: `a network's subnet or internal flag cannot change in place: rename the planned network, or remove ${name} (\`docker network rm ${name}\`) once nothing uses it`,
				});
			}
			continue;
		}
		for (const other of existing.values()) {
			if (other.subnet && overlapsText(planned.subnet, other.subnet)) {
				problems.push({
					message: `network ${name} (${planned.subnet}) overlaps the existing network ${other.name} (${other.subnet})`,
					where: locate(at),
					hint: 'pick a free range (`netmigrate init` proposes free ones; `docker network inspect` shows what is taken)',
				});
			}
		}
		for (const route of routes) {
			if (engineSubnets.has(route.subnet)) continue;
			if (overlapsText(planned.subnet, route.subnet)) {
				problems.push({
					message: `network ${name} (${planned.subnet}) overlaps the host route ${route.subnet} on ${route.interface}`,
					where: locate(at),
					hint: `containers on ${name} could not reach that range (a VPN or LAN route); pick a range the host does not route`,
				});
			}
		}
	}
	return problems;
}

/** How an existing network differs from the plan, or undefined when it matches. */
export function networkMismatch(planned: PlannedNetwork, existing: NetworkSpec): string | undefined {
	const differences: string[] = [];
	if (existing.subnet !== planned.subnet) differences.push(`subnet ${existing.subnet || 'none'} (planned ${planned.subnet})`);
	if (planned.gateway && existing.gateway !== planned.gateway)
		differences.push(`gateway ${existing.gateway ?? 'none'} (planned ${planned.gateway})`);
	if (existing.internal !== planned.internal) differences.push(`internal ${existing.internal} (planned ${planned.internal})`);
	if (existing.driver !== planned.driver) differences.push(`driver ${existing.driver} (planned ${planned.driver})`);
	return differences.length > 0 ? differences.join(', ') : undefined;
}
