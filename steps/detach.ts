/**
 * Detach: leave networks (typically the legacy flat one, once checks on the new ones pass),
 * live with `network disconnect`, then persisted in the compose files. `all` means every
 * service with networks of its own.
 */
import type {Action} from '../source/actions.js';
import {uniqueAliases} from '../source/plan/attach.js';
import {containersOf, pendingFileWrites, type PlanContext} from './context.js';
import {hostChangingStep} from './step.js';

export const detachStep = hostChangingStep({name: 'detach', title: 'Detach networks'}, planDetach);

export function planDetach(context: PlanContext): Action[] {
	const entries = Object.entries(context.iteration.detach);
	if (entries.length === 0) return [];
	const targets = new Map<string, Set<string>>();
	for (const [name, networks] of entries) {
		const services =
			name === 'all'
				? [...context.project.services.values()]
						.filter(
							(service) => service.active && !service.namespaceOf && !service.namespaceContainer && !service.networkModeOther,
						)
						.map((service) => service.name)
				: [name];
		for (const service of services) {
			const set = targets.get(service) ?? new Set<string>();
			for (const network of networks) set.add(network);
			targets.set(service, set);
		}
	}
	const disconnects: Action[] = [];
	for (const [service, networks] of targets) {
		const current = context.project.services.get(service)?.networks ?? [];
		const leaving = [...networks].filter((network) => current.includes(network));
		if (leaving.length === 0) continue;
		context.editor.removeNetworks(service, leaving);
		for (const container of containersOf(context, service)) {
			for (const network of leaving) {
				if (context.discovered.source === 'engine' && !container.networks.includes(network)) continue;
				disconnects.push({
					kind: 'network.disconnect',
					network,
					container: container.name,
					service,
					aliases: uniqueAliases(service, container.name),
				});
			}
		}
	}
	return [...disconnects, ...pendingFileWrites(context, `leave ${[...new Set(entries.flatMap(([, networks]) => networks))].join(', ')}`)];
}
