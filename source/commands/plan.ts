/**
 * `netmigrate plan`: the dry run of an iteration — actions per step and masked diffs —
 * changing nothing. Reads what is running from the engine when it answers, otherwise from
 * the compose files (and says so). An iteration whose earlier ones are not applied yet is
 * shown as it would run after them: they are planned first, in memory, and it starts from the
 * files and the networks they would leave (and the heading says so).
 */
import {Engine} from '../engine/docker.js';
import {discover} from '../engine/discover.js';
import {readHostRoutes} from '../engine/host-routes.js';
import {formatProblem, NetmigrateError} from '../errors.js';
import {renderDryRun} from '../plan/dryrun.js';
import {planError} from '../plan/load.js';
import {loadStackStatus} from '../run.js';
import {reachWarnings} from '../plan/reach.js';
import {subnetSafetyProblems} from '../plan/safety.js';
import type {Discovered} from '../domain.js';
import {discoveredFromFiles} from '../../steps/context.js';
import {planIterationAfter} from '../../steps/index.js';
import type {CommonOptions} from './options.js';

export type PlanCommandOptions = CommonOptions & {detailedExitcode: boolean};

export async function planCommand(options: PlanCommandOptions, write: (text: string) => void): Promise<number> {
	const {loaded, status} = loadStackStatus(options.plan);
	// Without --iteration: the one `apply` would run next (the last one once every one is done).
	const next = status.iterations.findIndex((iteration) => iteration.status !== 'done');
	const index = options.iteration !== undefined ? options.iteration - 1 : next >= 0 ? next : loaded.plan.iterations.length - 1;
	if (!loaded.plan.iterations[index]) {
		throw new NetmigrateError(`the plan has ${loaded.plan.iterations.length} iterations; there is no iteration ${index + 1}`, {code: 'bad-input', hint: `pass --iteration between 1 and ${loaded.plan.iterations.length}`});
	}
	let discovered: Discovered;
	let source: string;
	try {
		const engine = new Engine(options.host);
		discovered = await discover(engine, loaded.project.projectName, {forPlanning: true, target: loaded.plan.target});
		source = `the engine at ${options.host}`;
		const problems = subnetSafetyProblems(loaded.plan, discovered.networks, readHostRoutes(), loaded.locate);
		if (problems.length > 0) throw planError(loaded.file, problems);
	} catch (error) {
		if (!(error instanceof NetmigrateError) || error.code !== 'engine-unreachable') throw error;
		discovered = discoveredFromFiles();
		source = `the compose files (no engine answered at ${options.host}; subnets were not checked against it)`;
	}
	// `apply` runs iterations in order: N runs after every earlier one, so its dry run assumes the ones not done yet.
	const earlier = status.iterations.slice(0, index).filter((iteration) => iteration.status !== 'done').map((iteration) => iteration.index);
	const {planned, project} = planIterationAfter(loaded.plan, index, earlier, loaded.project, discovered, options.mode);
	const assumes = earlier.map((position) => ({index: position + 1, name: loaded.plan.iterations[position]?.name ?? ''}));
	const count = planned.steps.reduce((total, step) => total + step.actions.length, 0);
	// A hand-written plan that cuts a service off the internet, or opens a way out it never had, says so here.
	const warnings = [...loaded.project.warnings, ...reachWarnings(loaded.plan, loaded.project, loaded.locate, [...discovered.networks.values()]).map((problem) => formatProblem(problem).trim())];
	if (options.json) {
		write(JSON.stringify({iteration: planned.iteration, index: planned.index + 1, mode: planned.mode, assumes, steps: planned.steps.map((step) => ({name: step.name, actions: step.actions.map(({...action}) => ('content' in action ? {...action, content: undefined, previous: undefined} : action))})), notes: planned.notes, warnings}));
	} else {
		write(renderDryRun(planned, project, loaded.plan, {source, assumes}));
		for (const warning of warnings) write(`warning: ${warning}`);
	}
	// Terraform's convention: with --detailed-exitcode, 2 means changes are pending.
	return options.detailedExitcode && count > 0 ? 2 : 0;
}
