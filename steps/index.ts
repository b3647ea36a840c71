/**
 * The steps of one iteration, in order. Each step that changes the host plans its actions
 * here (pure); preflight, backup, checks and report do their work in the executor's run.
 */
import type {Action} from '../source/actions.js';
import {ComposeEditor} from '../source/compose/edits.js';
import type {ComposeModel} from '../source/compose/project.js';
import type {Plan} from '../source/plan/schema.js';
import {steps, type StepInfo, type StepName} from './catalog.js';
import type {Discovered, Mode, PlanContext} from './context.js';
import {planDetach} from './detach.js';
import {planFirewall} from './firewall.js';
import {planMultihome} from './multihome.js';
import {planNetworks} from './networks.js';
import {planUnpublish} from './ports.js';

export {steps, type StepInfo, type StepName} from './catalog.js';

export type PlannedStep = StepInfo & {actions: Action[]};

export type IterationPlan = {
	iteration: string;
	index: number;
	mode: Mode;
	steps: PlannedStep[];
	notes: string[];
	/** Every file's text before and after the whole iteration. */
	files: Array<{path: string; kind: 'compose' | 'env'; before: string; after: string; minimal: boolean}>;
};

const planners: Partial<Record<StepName, (context: PlanContext) => Action[]>> = {
	networks: planNetworks,
	multihome: planMultihome,
	firewall: planFirewall,
	ports: planUnpublish,
	detach: planDetach,
};

export function planIteration(plan: Plan, index: number, project: ComposeModel, discovered: Discovered, mode?: Mode): IterationPlan {
	const iteration = plan.iterations[index];
	if (!iteration) throw new Error(`no iteration ${index + 1}`);
	const editor = new ComposeEditor(project);
	const context: PlanContext = {plan, iteration, iterationIndex: index, project, discovered, mode: mode ?? iteration.mode ?? 'live', editor, written: new Map(), notes: []};
	const planned = steps.map((step) => ({...step, actions: planners[step.name]?.(context) ?? []}));
	const files = editor.changes().map(({path, kind, before, after, minimal}) => ({path, kind, before, after, minimal}));
	return {iteration: iteration.name, index, mode: context.mode, steps: planned, notes: [...context.notes, ...editor.notes.filter((note, position, all) => all.indexOf(note) === position)], files};
}
