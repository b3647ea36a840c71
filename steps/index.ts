/**
 * The steps of one iteration, in the order they run. Each lives in its own file; to learn what
 * happens in a step, open it (`steps/firewall.ts` for the firewall step). `planIteration`
 * plans every step that changes the host, in order, sharing one compose editor so each step's
 * file writes start from the previous one's: the result is the value the dry run prints, the
 * review shows and apply executes. `planIterationAfter` plans a later iteration as it would run
 * once earlier ones, not applied yet, had run (the dry run of `plan --iteration N`).
 */
import type {IterationPlan} from '../source/actions.js';
import {ComposeEditor} from '../source/compose/edits.js';
import {reloadComposeProject, type ComposeModel} from '../source/compose/project.js';
import type {Discovered, Mode, StepInfo} from '../source/domain.js';
import {NetmigrateError} from '../source/errors.js';
import type {Plan} from '../source/plan/schema.js';
import {simulate} from '../source/plan/simulate.js';
import {backupStep} from './backup.js';
import {checksStep} from './checks.js';
import type {PlanContext} from './context.js';
import {detachStep} from './detach.js';
import {firewallStep} from './firewall.js';
import {labelsStep} from './labels.js';
import {multihomeStep} from './multihome.js';
import {networksStep} from './networks.js';
import {portsStep} from './ports.js';
import {preflightStep} from './preflight.js';
import {reportStep} from './report.js';
import type {Step} from './step.js';

export const steps: Step[] = [
	preflightStep,
	backupStep,
	networksStep,
	multihomeStep,
	firewallStep,
	labelsStep,
	portsStep,
	detachStep,
	checksStep,
	reportStep,
];

/** What the step list shows of each step (plain data, for events and screens). */
export const stepInfos: StepInfo[] = steps.map(({name, title, changesHost}) => ({name, title, changesHost}));

export function planIteration(plan: Plan, index: number, project: ComposeModel, discovered: Discovered, mode?: Mode): IterationPlan {
	const iteration = plan.iterations[index];
	if (!iteration) throw new Error(`no iteration ${index + 1}`);
	const editor = new ComposeEditor(project);
	const context: PlanContext = {
		plan,
		iteration,
		iterationIndex: index,
		project,
		discovered,
		mode: mode ?? iteration.mode ?? 'live',
		editor,
		written: new Map(),
		notes: [],
	};
	const planned = stepInfos.map((info, position) => ({...info, actions: planStep(steps[position] as Step, context)}));
	const files = editor.changes().map(({path, kind, before, after}) => ({path, kind, before, after}));
	return {
		iteration: iteration.name,
		index,
		mode: context.mode,
		steps: planned,
		notes: [...context.notes, ...editor.notes.filter((note, position, all) => all.indexOf(note) === position)],
		files,
	};
}

/**
 * A step's planning refused. The whole iteration is planned when its first host-changing step
 * starts, so a refusal from a later step's planning (an `unpublish` entry matching no port) used
 * to show under "Create networks failed"; this names the step whose planning refused.
 */
export class StepPlanningFailed extends NetmigrateError {
	constructor(
		readonly step: StepInfo,
		error: NetmigrateError,
	) {
		super(error.message, {
			...(error.where ? {where: error.where} : {}),
			...(error.hint ? {hint: error.hint} : {}),
			code: error.code,
			problems: error.problems,
			cause: error,
		});
	}
}

function planStep(step: Step, context: PlanContext): IterationPlan['steps'][number]['actions'] {
	try {
		return step.plan?.(context) ?? [];
	} catch (error) {
		if (error instanceof NetmigrateError && !(error instanceof StepPlanningFailed)) throw new StepPlanningFailed(step, error);
		throw error;
	}
}

/** A later iteration's plan, with the stack it was planned from: the files and the engine as the earlier iterations would leave them. */
export type PlannedAfter = {planned: IterationPlan; project: ComposeModel; discovered: Discovered};

/**
 * Iteration `index` as it would run after the iterations `earlier` (0-based, in order; not
 * applied yet): each is planned in turn from what the ones before it would leave — its file
 * writes carried forward as texts the compose project is read from (nothing is written), its
 * actions as the engine's picture (`simulate`) — then `index` is planned from the result. With
 * no `earlier`, it is `planIteration` itself. Each earlier iteration runs in the mode its plan
 * gives it (`mode` is for `index`): the files and the networks come out the same in either.
 */
export function planIterationAfter(
	plan: Plan,
	index: number,
	earlier: number[],
	project: ComposeModel,
	discovered: Discovered,
	mode?: Mode,
): PlannedAfter {
	const texts = new Map<string, string>();
	let current = project;
	let picture = discovered;
	for (const position of earlier) {
		const planned = plannedFirst(plan, position, index, current, picture);
		for (const file of planned.files) texts.set(file.path, file.after);
		if (planned.files.length > 0) current = reloadComposeProject(project, texts);
		picture = simulate(
			picture,
			planned.steps.flatMap((step) => step.actions),
			current,
		);
	}
	return {planned: planIteration(plan, index, current, picture, mode), project: current, discovered: picture};
}

/** An earlier iteration planned for a later one's sake: a refusal says which one it was and why it was planned. */
function plannedFirst(plan: Plan, position: number, index: number, project: ComposeModel, discovered: Discovered): IterationPlan {
	try {
		return planIteration(plan, position, project, discovered);
	} catch (error) {
		if (!(error instanceof NetmigrateError)) throw error;
		const earlier = `iteration ${position + 1} (${plan.iterations[position]?.name})`;
		throw new NetmigrateError(
			`iteration ${index + 1} is planned as it would run after ${earlier}, which is not applied yet, and planning ${earlier} failed: ${error.message}`,
			{
				...(error.where ? {where: error.where} : {}),
				...(error.hint ? {hint: error.hint} : {}),
				code: error.code,
				problems: error.problems,
				cause: error,
			},
		);
	}
}
