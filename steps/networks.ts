/**
 * Networks: create each planned network with its subnet, gateway, internal flag and the
 * managed-by=netmigrate label. One that exists with the same settings is reused; one that
 * exists with other settings is a preflight error (a subnet or the internal flag cannot be
 * changed in place, and netmigrate never "fixes" it silently).
 */
import type {Action} from '../source/actions.js';
import {managedLabel, managedValue, type ExistingNetwork, type PlanContext} from './context.js';
import type {PlannedNetwork} from '../source/plan/schema.js';

export function planNetworks(context: PlanContext): Action[] {
	const actions: Action[] = [];
	for (const [name, network] of Object.entries(context.plan.networks)) {
		const existing = context.discovered.networks.get(name);
		if (existing) {
			if (networkMismatch(network, existing) === undefined) context.notes.push(`network ${name} already exists with the planned settings; it is reused`);
			continue;
		}
		actions.push({
			kind: 'network.create',
			network: name,
			subnet: network.subnet,
			...(network.gateway ? {gateway: network.gateway} : {}),
			internal: network.internal,
			driver: network.driver,
			labels: {...network.labels, [managedLabel]: managedValue, 'netmigrate.iteration': context.iteration.name},
		});
	}
	return actions;
}

/** How an existing network differs from the plan, or undefined when it matches. */
export function networkMismatch(planned: PlannedNetwork, existing: ExistingNetwork): string | undefined {
	const differences: string[] = [];
	if (existing.subnet !== planned.subnet) differences.push(`subnet ${existing.subnet || 'none'} (planned ${planned.subnet})`);
	if (planned.gateway && existing.gateway !== planned.gateway) differences.push(`gateway ${existing.gateway ?? 'none'} (planned ${planned.gateway})`);
	if (existing.internal !== planned.internal) differences.push(`internal ${existing.internal} (planned ${planned.internal})`);
	if (existing.driver !== planned.driver) differences.push(`driver ${existing.driver} (planned ${planned.driver})`);
	return differences.length > 0 ? differences.join(', ') : undefined;
}
