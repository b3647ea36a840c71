/**
 * Networks: create each planned network with its subnet, gateway, internal flag and the
 * managed-by=netmigrate label. One that exists with the same settings is reused; one that
 * exists with other settings is a preflight error (a subnet or the internal flag cannot be
 * changed in place, and netmigrate never "fixes" it silently). On a swarm they are overlay
 * networks, attachable (the checks' probes join them), encrypted where the plan says.
 */
import type {Action} from '../source/actions.js';
import {managedLabel, managedValue} from '../source/domain.js';
import {networkMismatch} from '../source/plan/safety.js';
import type {PlanContext} from './context.js';
import {hostChangingStep} from './step.js';

export const networksStep = hostChangingStep({name: 'networks', title: 'Create networks'}, planNetworks);

export function planNetworks(context: PlanContext): Action[] {
	const actions: Action[] = [];
	const swarm = context.plan.target === 'swarm';
	for (const [name, network] of Object.entries(context.plan.networks)) {
		const existing = context.discovered.networks.get(name);
		if (existing) {
			if (networkMismatch(network, existing) === undefined)
				context.notes.push(`network ${name} already exists with the planned settings; it is reused`);
			continue;
		}
		actions.push({
			kind: 'network.create',
			network: name,
			subnet: network.subnet,
			...(network.gateway ? {gateway: network.gateway} : {}),
			internal: network.internal,
			driver: swarm && network.driver === 'bridge' ? 'overlay' : network.driver,
			...(swarm ? {attachable: true, ...(network.encrypted ? {encrypted: true} : {})} : {}),
			labels: {...network.labels, [managedLabel]: managedValue, 'netmigrate.iteration': context.iteration.name},
		});
	}
	return actions;
}
