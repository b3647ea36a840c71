/**
 * The steps of one iteration, in the order they run. Each lives in its own file; to learn what
 * happens in a step, open it (`steps/firewall.ts` for the firewall step). `planIteration`
 * plans every step that changes the host, in order, sharing one compose editor so each step's
 * file writes start from the previous one's: the result is the value the dry run prints, the
 * review shows and apply executes.
 */
import type {IterationPlan} from '../source/actions.js';
import {ComposeEditor} from '../source/compose/edits.js';
import type {ComposeModel} from '../source/compose/project.js';
import type {Discovered, Mode, StepInfo} from '../source/domain.js';
import type {Plan} from '../source/plan/schema.js';
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

export const steps: Step[] = [preflightStep, backupStep, networksStep, multihomeStep, firewallStep, labelsStep, portsStep, detachStep, checksStep, reportStep];

/** What the step list shows of each step (plain data, for events and screens). */
export const stepInfos: StepInfo[] = steps.map(({name, title, changesHost}) => ({name, title, changesHost}));

export function planIteration(plan: Plan, index: number, project: ComposeModel, discovered: Discovered, mode?: Mode): IterationPlan {
	const iteration = plan.iterations[index];
	if (!iteration) throw new Error(`no iteration ${index + 1}`);
	const editor = new ComposeEditor(project);
	const context: PlanContext = {plan, iteration, iterationIndex: index, project, discovered, mode: mode ?? iteration.mode ?? 'live', editor, written: new Map(), notes: []};
	const planned = stepInfos.map((info, position) => ({...info, actions: steps[position]?.plan?.(context) ?? []}));
	const files = editor.changes().map(({path, kind, before, after, minimal}) => ({path, kind, before, after, minimal}));
	return {iteration: iteration.name, index, mode: context.mode, steps: planned, notes: [...context.notes, ...editor.notes.filter((note, position, all) => all.indexOf(note) === position)], files};
}
