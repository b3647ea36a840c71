/**
 * Settle: after a live iteration the compose files are ahead of the containers (they were
 * multi-homed in place), so the next plain `docker compose up -d` would recreate every changed
 * service at once — the outage live mode exists to avoid. Settle does that recreate on the
 * operator's schedule: one service at a time, a namespace owner with the services in its
 * namespace right after it (they lose networking when it is recreated), each waited on until
 * healthy. Afterwards `docker compose up -d` has nothing to do.
 *
 * It is not a step of an iteration: it follows the last one applied, and its recreates are
 * journaled under that iteration, so rolling the iteration back recreates them again from
 * the restored files.
 */
import type {ServiceRecreate} from '../source/actions.js';
import type {StepInfo} from '../source/domain.js';
import type {ComposeModel} from '../source/compose/model.js';
import {namespaceDependents, namespaceOwner} from '../source/compose/project.js';

export const settleStep: StepInfo = {name: 'settle', title: 'Settle: recreate changed services one at a time', changesHost: true};

/**
 * The services in the order compose starts them: every dependency (depends_on, the namespace
 * owner) before the services that need it; otherwise as the files list them.
 */
export function startOrder(model: ComposeModel): string[] {
	const order: string[] = [];
	const placed = new Set<string>();
	const visit = (name: string, path: Set<string>) => {
		const service = model.services.get(name);
		if (!service || placed.has(name) || path.has(name)) return;
		path.add(name);
		for (const dependency of [...(service.namespaceOf ? [service.namespaceOf] : []), ...service.dependsOn]) visit(dependency, path);
		placed.add(name);
		order.push(name);
	};
	for (const name of model.services.keys()) visit(name, new Set());
	return order;
}

/**
 * One recreate per stale service, in start order (so a service's dependencies are settled
 * before it, and compose may see its depends_on: see `withDependencies`): an owner of a
 * network namespace with the services in it (stale or not, with containers), a service in
 * another's namespace alone when its owner is not stale.
 */
export function planSettle(model: ComposeModel, stale: string[], withContainers: Set<string>): ServiceRecreate[] {
	const pending = new Set(stale);
	const actions: ServiceRecreate[] = [];
	const covered = new Set<string>();
	for (const service of startOrder(model)) {
		if (!pending.has(service) || covered.has(service)) continue;
		const owner = namespaceOwner(model, service);
		const head = pending.has(owner) && !covered.has(owner) ? owner : service;
		const dependents =
			head === owner ? namespaceDependents(model, owner).filter((name) => withContainers.has(name) && name !== owner) : [];
		for (const name of [head, ...dependents]) covered.add(name);
		const changed = [head, ...dependents].filter((name) => pending.has(name));
		actions.push({
			kind: 'service.recreate',
			service: head,
			dependents,
			withDependencies: true,
			reason: `settle: the compose files changed ${changed.join(', ')} since ${changed.length === 1 ? 'it was' : 'they were'} created`,
		});
	}
	return actions;
}
