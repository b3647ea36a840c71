/**
 * The order of a step's recreates. Recreates of independent services run side by side (the
 * executor pools them): on a stack whose healthchecks say `interval: 1m`, eight one after another
 * took eight minutes, each waiting for its own first check, while one container's downtime does
 * not grow with the others'. Services that depend on one another — `depends_on`, directly or
 * through services not recreated — share a queue, and within it a dependency is recreated before
 * what depends on it, as compose starts them.
 */
import type {Action, ServiceRecreate} from '../actions.js';
import type {ComposeModel} from '../compose/project.js';

export function queueRecreates(project: ComposeModel, actions: Action[]): Action[] {
	const recreates = actions.filter((action): action is ServiceRecreate => action.kind === 'service.recreate' && !action.withDependencies);
	if (recreates.length < 2) return actions;
	const closure = dependencyClosure(project);
	const queueOf = components(
		recreates.map((action) => action.service),
		closure,
	);
	const result: Action[] = [];
	let run: ServiceRecreate[] = [];
	const flush = () => {
		result.push(...dependenciesFirst(run, closure).map((action) => ({...action, queue: queueOf.get(action.service) as string})));
		run = [];
	};
	for (const action of actions) {
		if (action.kind === 'service.recreate' && !action.withDependencies) {
			run.push(action);
			continue;
		}
		flush();
		result.push(action);
	}
	flush();
	return result;
}

/** Every service each service depends on, directly or not. */
function dependencyClosure(project: ComposeModel): Map<string, Set<string>> {
	const closure = new Map<string, Set<string>>();
	const visit = (name: string, seen: Set<string>): Set<string> => {
		const known = closure.get(name);
		if (known) return known;
		const all = new Set<string>();
		for (const dependency of project.services.get(name)?.dependsOn ?? []) {
			if (seen.has(dependency)) continue;
			all.add(dependency);
			for (const further of visit(dependency, new Set([...seen, name]))) all.add(further);
		}
		closure.set(name, all);
		return all;
	};
	for (const name of project.services.keys()) visit(name, new Set([name]));
	return closure;
}

/** Services joined when one depends on the other; each group named after its first service in name order. */
function components(services: string[], closure: Map<string, Set<string>>): Map<string, string> {
	const parent = new Map(services.map((service) => [service, service]));
	const find = (service: string): string => {
		const up = parent.get(service) as string;
		return up === service ? service : find(up);
	};
	for (const a of services) {
		for (const b of services) {
			if (a !== b && closure.get(a)?.has(b)) {
				const [ra, rb] = [find(a), find(b)].sort();
				parent.set(rb as string, ra as string);
			}
		}
	}
	return new Map(services.map((service) => [service, find(service)]));
}

/** A stable order in which no recreate comes before one of a service it depends on. */
function dependenciesFirst(run: ServiceRecreate[], closure: Map<string, Set<string>>): ServiceRecreate[] {
	const left = [...run];
	const ordered: ServiceRecreate[] = [];
	while (left.length > 0) {
		const next = left.findIndex((action) => !left.some((other) => other !== action && closure.get(action.service)?.has(other.service)));
		const [taken] = left.splice(next < 0 ? 0 : next, 1);
		ordered.push(taken as ServiceRecreate);
	}
	return ordered;
}
