/**
 * Verification of the segmentation, for `netmigrate verify` and the wizard's "Verify isolation":
 * the plan's intent after the last done iteration (or a given one), the pairs as probed, and
 * the matrix that compares them. The probing is the engine's, passed in (`Observe`); without
 * it, a saved result can be rendered, and otherwise it says how to get one.
 */
import {NetmigrateError} from './errors.js';
import type {ObservedPair} from './plan/matrix.js';
import {intendedStack, type IntendedStack} from './plan/intent.js';
import type {LoadedPlan} from './plan/load.js';
import {reachabilityMatrix, type ReachabilityMatrix} from './plan/matrix.js';
import {loadStackStatus} from './run.js';

/** Probes every pair of `stack` on the engine: each target's listening ports, from each source's namespace. */
export type Observe = (loaded: LoadedPlan, stack: IntendedStack) => Promise<ObservedPair[]>;

/** `iteration` (1-based) when given, else the last done one; -1 when none is done (the compose files as they were). */
export async function verifyMatrix(
	planFile: string,
	options: {iteration?: number; observed?: ObservedPair[]},
	observe: Observe = notProbed,
): Promise<ReachabilityMatrix> {
	const {loaded, status} = loadStackStatus(planFile);
	const done = status.iterations.filter((item) => item.status === 'done').at(-1)?.index ?? -1;
	const through = options.iteration !== undefined ? options.iteration - 1 : done;
	if (through >= loaded.plan.iterations.length) {
		throw new NetmigrateError(`the plan has ${loaded.plan.iterations.length} iterations; there is no iteration ${through + 1}`, {
			code: 'bad-input',
			hint: `pass --iteration between 1 and ${loaded.plan.iterations.length}`,
		});
	}
	const stack = intendedStack(loaded.project, loaded.plan, through);
	if (!options.observed && loaded.plan.target === 'swarm') throw swarmNotProbed();
	const observed = options.observed ?? (await observe(loaded, stack));
	return reachabilityMatrix({project: loaded.project, plan: loaded.plan, through, observed, stack});
}

/**
 * A swarm stack's tasks run on every node, and a probe shares a namespace only with a container
 * on its own engine; the probe tasks the checks use reach a node, not a task's namespace, and
 * cannot read its listeners. Refused, rather than a matrix of this node's tasks called the stack's.
 */
function swarmNotProbed(): NetmigrateError {
	return new NetmigrateError(
		"verify probes every pair from inside each container's namespace, and a swarm stack's tasks run on several nodes, where no probe of this engine can join them",
		{
			code: 'bad-input',
			hint: "on a swarm, each iteration's declared checks run from probe tasks on the source's node (`netmigrate apply`); `netmigrate map` shows the intended segmentation; `verify --observed FILE` renders probes you gathered yourself",
		},
	);
}

async function notProbed(): Promise<never> {
	throw new NetmigrateError('verify probes the stack on the engine, and this build cannot probe yet', {
		code: 'engine-unreachable',
		hint: 'pass --observed FILE to render a result saved before; `netmigrate map` shows the intended segmentation without an engine',
	});
}
