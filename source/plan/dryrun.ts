/**
 * The dry run: what an iteration will do, as a readable list of actions per step and
 * unified diffs of every file it changes, with secrets masked.
 */
import {maxAliasCount} from '../yaml-input.js';
import path from 'node:path';
import {describe, dryRunSign} from '../actions.js';
import {maskedFileDiff, secretKeys} from '../mask.js';
import {soleVariable} from '../compose/interpolate.js';
import type {ComposeModel} from '../compose/project.js';
import type {Plan} from './schema.js';
import type {IterationPlan} from '../actions.js';

export function fileDiffs(planned: IterationPlan, project: ComposeModel, plan: Plan): Array<{path: string; diff: string}> {
	const names = {keys: secretKeys(project), visible: allowListVariables(plan, project)};
	return planned.files.map((file) => {
		const relative = path.relative(project.root, file.path) || file.path;
		return {path: relative, diff: maskedFileDiff(file, relative, names)};
	});
}

/** The variables under review: each allow-list's name, and the `.env` variable its `${…}` points at. */
export function allowListVariables(plan: Plan, project?: ComposeModel): Set<string> {
	const visible = new Set<string>();
	for (const rule of plan.iterations.flatMap((iteration) => iteration.firewall)) {
		visible.add(rule.variable);
		const reference = project ? soleVariable(rawEnvironmentValue(project, rule.service, rule.variable) ?? '') : undefined;
		if (reference) visible.add(reference);
	}
	return visible;
}

/** A service's environment value as written, before interpolation (merge keys followed). */
function rawEnvironmentValue(project: ComposeModel, service: string, variable: string): string | undefined {
	const file = project.files.get(project.services.get(service)?.file ?? '');
	const data = file?.document.toJS({maxAliasCount}) as {services?: Record<string, {environment?: unknown}>} | undefined;
	const environment = data?.services?.[service]?.environment;
	if (Array.isArray(environment))
		return environment
			.map(String)
			.find((item) => item.startsWith(`${variable}=`))
			?.slice(variable.length + 1);
	const value = (environment as Record<string, unknown> | undefined)?.[variable];
	return typeof value === 'string' ? value : undefined;
}

/** An earlier iteration a dry run assumes applied: its 1-based number and its name. */
export type AssumedIteration = {index: number; name: string};

/** `assumes`: the earlier iterations, not applied yet, that the plan was made as if after. */
export function renderDryRun(
	planned: IterationPlan,
	project: ComposeModel,
	plan: Plan,
	options: {source: string; assumes?: AssumedIteration[]},
): string {
	const lines: string[] = [];
	const iteration = plan.iterations[planned.index];
	const swarm = plan.target === 'swarm';
	// On a swarm every change is a rolling spec update: the mode does not apply.
	lines.push(
		`Iteration ${planned.index + 1} of ${plan.iterations.length}: ${planned.iteration} (${swarm ? 'target: swarm' : `mode: ${planned.mode}`})`,
	);
	if (options.assumes && options.assumes.length > 0) lines.push(assumptionLine(options.assumes));
	lines.push(
		`Stack: ${swarm ? 'swarm stack' : 'project'} ${project.projectName} in ${project.root}; running state read from ${options.source}`,
	);
	lines.push('');
	let count = 0;
	for (const step of planned.steps) {
		if (step.actions.length === 0) continue;
		lines.push(`${step.title}:`);
		for (const action of step.actions) {
			count++;
			lines.push(`  ${dryRunSign(action)} ${describe(action, project.root)}`);
		}
	}
	if (iteration && iteration.checks.length > 0) {
		lines.push('Connectivity checks:');
		for (const check of iteration.checks)
			lines.push(`  ? ${check.from} → ${check.to}${check.via ? ` via ${check.via}` : ''} (expect ${check.expect})`);
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

/**
 * "As it would run after iterations 1 (network-foundation) and 2 (port-consolidation), which are
 * not applied yet": the operator must not read a later iteration's actions as today's.
 */
export function assumptionLine(assumes: AssumedIteration[]): string {
	const named = assumes.map((item) => `${item.index} (${item.name})`);
	const list = named.length === 1 ? named[0] : `${named.slice(0, -1).join(', ')} and ${named.at(-1)}`;
	const one = assumes.length === 1;
	return `As it would run after iteration${one ? '' : 's'} ${list}, which ${one ? 'is' : 'are'} not applied yet: apply runs iterations in order.`;
}
