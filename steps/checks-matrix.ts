/**
 * The checks step's second half: every ordered pair of the stack's namespaces probed, on every
 * port each target listens on, against the plan after this iteration — the declared checks
 * cross a few pairs; a stray network, a legacy attachment left on or a VPN firewall that drops
 * a new subnet shows only here. A pair the plan wants reachable that nothing answers on fails
 * the step, as a failed check does: the iteration cut a service off from a peer it needs. A
 * pair that answers though the plan keeps it apart is a warning, not a failure: it is a gap in
 * the isolation, not a broken service, and may predate the iteration (verify names its cause).
 * Not on a swarm: its tasks span nodes, where no probe sits in a source's namespace.
 */
import type {IterationReachability} from '../source/domain.js';
import {observeStack} from '../source/observe-stack.js';
import {intendedStack, type IntendedStack} from '../source/plan/intent.js';
import {iterationReachability, reachabilitySummary} from '../source/plan/matrix-changes.js';
import {reachabilityMatrix} from '../source/plan/matrix.js';
import type {RunContext} from './step.js';

/**
 * The longest the host's neighbour table may make the matrix take inside an iteration: past it, the
 * step leaves the matrix to `netmigrate verify`, saying how long it would take and why, rather than
 * hold a migration open for half an hour on a large flat stack.
 */
const matrixPatienceMs = 5 * 60_000;

export async function probeEveryPair(run: RunContext): Promise<IterationReachability | undefined> {
	if (run.loaded.plan.target === 'swarm' || run.matrix === false) return undefined;
	// The files as the run found them: intent is the plan's iterations applied to them, before and after.
	const {project, plan} = run.loaded;
	const after = intendedStack(project, plan, run.index);
	const observed = await observeStack(run.engine, run.prober, project.projectName, after, run.host.startsWith('unix://'), {
		say: (message) => run.emit({type: 'log', level: 'info', message}),
		skipOverMs: matrixPatienceMs,
	});
	if (observed.skipped) {
		run.emit({
			type: 'log',
			level: 'warn',
			message: `every pair not probed in this step: ${observed.skipped}. Run \`netmigrate verify\` when it suits you; the declared checks still ran`,
		});
		return undefined;
	}
	const matrix = reachabilityMatrix({project, plan, through: run.index, observed: observed.pairs, stack: after});
	const result = iterationReachability(stackBefore(run, after), matrix, observed.durationMs);
	for (const pair of result.mismatches.filter((item) => item.expected === 'blocked'))
		run.emit({
			type: 'log',
			level: 'warn',
			message: `${pair.from} → ${pair.to} answers though the plan keeps them apart: ${pair.reason}`,
		});
	for (const path of result.throughHost) run.emit({type: 'log', level: 'warn', message: path.reason});
	run.emit({type: 'log', level: 'info', message: `every pair: ${reachabilitySummary(result)}`});
	return result;
}

/**
 * Who shared a network when the iteration began: the backup's record of each namespace owner's
 * networks, as the engine had them. Not the plan's intent before the iteration: a resumed run
 * reads compose files the iteration already edited, whose networks look as if they had always
 * been there. Without a backup (none recorded), the plan's intent before it.
 */
function stackBefore(run: RunContext, after: IntendedStack): IntendedStack {
	const record = run.manifest?.record;
	if (!record) return intendedStack(run.loaded.project, run.loaded.plan, run.index - 1);
	const recorded = new Map<string, string[]>();
	for (const container of Object.values(record))
		if (container.service && !container.sharesWith && !recorded.has(container.service))
			recorded.set(
				container.service,
				container.networks.map((endpoint) => endpoint.network),
			);
	return {
		...after,
		namespaces: after.namespaces.map((namespace) => ({...namespace, networks: recorded.get(namespace.owner) ?? namespace.networks})),
	};
}

/** The pairs the plan wants reachable that nothing answered on: each is a failure of the iteration. */
export function cutOff(result: IterationReachability | undefined): string {
	const blocked = (result?.mismatches ?? []).filter((pair) => pair.expected === 'reachable');
	if (blocked.length === 0) return '';
	return `${blocked.length} pair${blocked.length > 1 ? 's' : ''} the plan keeps reachable did not answer: ${blocked.map((pair) => `${pair.from} → ${pair.to} (${pair.reason})`).join('; ')}`;
}
