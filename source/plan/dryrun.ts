/**
 * The dry run: what an iteration will do, as a readable list of actions per step and
 * unified diffs of every file it changes, with secrets masked.
 */
import path from 'node:path';
import {createTwoFilesPatch} from 'diff';
import {describe} from '../actions.js';
import {makeMasker, maskDiff, secretKeys} from '../mask.js';
import type {ComposeModel} from '../compose/project.js';
import type {Plan} from './schema.js';
import type {IterationPlan} from '../actions.js';

export function fileDiffs(planned: IterationPlan, project: ComposeModel, plan: Plan): Array<{path: string; diff: string}> {
	const masker = makeMasker(secretKeys(project), allowListVariables(plan));
	return planned.files.map((file) => {
		const relative = path.relative(project.root, file.path) || file.path;
		const diff = createTwoFilesPatch(`a/${relative}`, `b/${relative}`, file.before, file.after, '', '', {context: 3});
		return {path: relative, diff: maskDiff(diff.split('\n').slice(1).join('\n'), masker)};
	});
}

export function allowListVariables(plan: Plan): Set<string> {
	return new Set(plan.iterations.flatMap((iteration) => iteration.firewall.map((rule) => rule.variable)));
}

export function renderDryRun(planned: IterationPlan, project: ComposeModel, plan: Plan, options: {source: string}): string {
	const lines: string[] = [];
	const iteration = plan.iterations[planned.index];
	lines.push(`Iteration ${planned.index + 1} of ${plan.iterations.length}: ${planned.iteration} (mode: ${planned.mode})`);
	lines.push(`Stack: project ${project.projectName} in ${project.root}; running state read from ${options.source}`);
	lines.push('');
	let count = 0;
	for (const step of planned.steps) {
		if (step.actions.length === 0) continue;
		lines.push(`${step.title}:`);
		for (const action of step.actions) {
			count++;
			lines.push(`  ${action.kind === 'file.write' ? '~' : action.kind.endsWith('remove') || action.kind.endsWith('disconnect') ? '-' : '+'} ${describe(action, project.root)}`);
		}
	}
	if (iteration && iteration.checks.length > 0) {
		lines.push('Connectivity checks:');
		for (const check of iteration.checks) lines.push(`  ? ${check.from} → ${check.to}${check.via ? ` via ${check.via}` : ''} (expect ${check.expect})`);
	}
	if (count === 0) lines.push('No changes: the stack already matches this iteration.');
	if (planned.notes.length > 0) {
		lines.push('', 'Notes:');
		for (const note of planned.notes) lines.push(`  - ${note.replace(project.root + path.sep, '')}`);
	}
	const diffs = fileDiffs(planned, project, plan);
	if (diffs.length > 0) {
		lines.push('', `Files (${diffs.length} changed; environment values masked):`);
		for (const file of diffs) lines.push('', file.diff.trimEnd());
	}
	lines.push('', `${count} action${count === 1 ? '' : 's'} planned. Nothing has been changed.`);
	return lines.join('\n');
}
