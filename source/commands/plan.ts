/**
 * `netmigrate plan`: the dry run of an iteration — actions per step and masked diffs —
 * changing nothing. Reads what is running from the engine when it answers, otherwise from
 * the compose files (and says so). An iteration whose earlier ones are not applied yet is
 * shown as it would run after them: they are planned first, in memory, and it starts from the
 * files and the networks they would leave (and the heading says so).
 */
import {chmodSync, writeFileSync} from 'node:fs';
import type {IterationPlan} from '../actions.js';
import {Engine} from '../engine/docker.js';
import {discover} from '../engine/discover.js';
import {readHostRoutes} from '../engine/host-routes.js';
import {formatProblem, NetmigrateError} from '../errors.js';
import {renderDryRun} from '../plan/dryrun.js';
import {planError, type LoadedPlan} from '../plan/load.js';
import type {AssumedIteration} from '../plan/dryrun.js';
import {loadStackStatus} from '../run.js';
import {reachWarnings} from '../plan/reach.js';
import {subnetSafetyProblems} from '../plan/safety.js';
import type {Discovered} from '../domain.js';
import {discoveredFromFiles} from '../../steps/context.js';
import {planIterationAfter} from '../../steps/index.js';
import {savePlanned} from '../runs/reviewed.js';
import {iterationIndex, type CommonOptions} from './options.js';

/** `out`: where `--out` saves the plan, for `netmigrate apply FILE`. */
export type PlanCommandOptions = CommonOptions & {detailedExitcode: boolean; out?: string};

export async function planCommand(options: PlanCommandOptions, write: (text: string) => void): Promise<number> {
	const {loaded, status} = loadStackStatus(options.plan);
	// Without --iteration: the one `apply` would run next (the last one once every one is done).
	const index = iterationIndex(loaded, status, options.iteration);
	let discovered: Discovered;
	let source: string;
	const engine = new Engine(options.host);
	try {
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
	const earlier = status.iterations
		.slice(0, index)
		.filter((iteration) => iteration.status !== 'done')
		.map((iteration) => iteration.index);
	const {planned, project} = planIterationAfter(loaded.plan, index, earlier, loaded.project, discovered, options.mode);
	const assumes = earlier.map((position) => ({index: position + 1, name: loaded.plan.iterations[position]?.name ?? ''}));
	const count = planned.steps.reduce((total, step) => total + step.actions.length, 0);
	// A hand-written plan that cuts a service off the internet, or opens a way out it never had, says so here.
	const warnings = [
		...loaded.project.warnings,
		...reachWarnings(loaded.plan, loaded.project, loaded.locate, [...discovered.networks.values()]).map((problem) =>
			formatProblem(problem).trim(),
		),
	];
	if (options.json) {
		write(
			JSON.stringify({
				iteration: planned.iteration,
				index: planned.index + 1,
				mode: planned.mode,
				assumes,
				steps: planned.steps.map((step) => ({
					name: step.name,
					actions: step.actions.map(({...action}) =>
						'content' in action ? {...action, content: undefined, previous: undefined} : action,
					),
				})),
				notes: planned.notes,
				warnings,
			}),
		);
	} else {
		write(renderDryRun(planned, project, loaded.plan, {source, assumes}));
		for (const warning of warnings) write(`warning: ${warning}`);
	}
	if (options.out) await savePlan(options, options.out, {loaded, planned, discovered, engine, assumes}, write);
	// Terraform's convention: with --detailed-exitcode, 2 means changes are pending.
	return options.detailedExitcode && count > 0 ? 2 : 0;
}

type Made = {loaded: LoadedPlan; planned: IterationPlan; discovered: Discovered; engine: Engine; assumes: AssumedIteration[]};

/**
 * `--out FILE`: the plan as a value `netmigrate apply FILE` runs exactly, or refuses once what it
 * was made from changed. Only a plan made from the engine, for the iteration apply runs next,
 * can hold; it stores no file text (hashes and masked diffs), and only its owner may read it.
 */
async function savePlan(
	options: PlanCommandOptions,
	out: string,
	{loaded, planned, discovered, engine, assumes}: Made,
	write: (text: string) => void,
): Promise<void> {
	if (discovered.source !== 'engine') {
		throw new NetmigrateError(`no engine answered at ${options.host}: a saved plan records the engine it was made from`, {
			code: 'engine-unreachable',
			hint: 'run `netmigrate plan --out` where the engine answers (--host / DOCKER_HOST)',
		});
	}
	if (assumes.length > 0) {
		const first = assumes[0] as AssumedIteration;
		throw new NetmigrateError(
			`iteration ${planned.index + 1} runs after iteration ${first.index} (${first.name}), which is not applied yet: its plan cannot be saved`,
			{code: 'bad-input', hint: `apply iteration ${first.index} first, then save the plan of the next one`},
		);
	}
	const saved = savePlanned(options.plan, loaded, planned, discovered, (await engine.version()).version);
	writeFileSync(out, `${JSON.stringify(saved, undefined, '\t')}\n`, {mode: 0o600});
	// An existing file keeps its mode on write: the saved plan names the stack's files and networks.
	chmodSync(out, 0o600);
	if (!options.json)
		write(
			`saved the plan of iteration ${planned.index + 1} (${planned.iteration}) to ${out}: \`netmigrate apply ${out}\` runs exactly it, or refuses if what it was made from changed`,
		);
}
