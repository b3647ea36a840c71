/**
 * Whether a saved plan (source/plan/saved.ts) still holds: what changed since it was made —
 * the plan file, a compose or env file, the engine, a network, a container's networks — and,
 * when nothing did, whether planning again gives exactly the saved actions. Each change is a
 * line naming the file, network or container, for the refusal apply prints. Pure: the caller
 * reads the files (a `hashOf` reader) and the engine (`EngineFacts`).
 */
import path from 'node:path';
import {z} from 'zod';
import type {IterationPlan} from '../actions.js';
import {NetmigrateError} from '../errors.js';
import {savedActionOf, savedPlanFormat, type EngineFacts, type SavedAction, type SavedPlan} from './saved.js';

/** The plan file and every compose and env file the saved plan was made from, against their sha256 now. */
export function fileChanges(saved: SavedPlan, hashOf: (file: string) => string | undefined): string[] {
	const changes: string[] = [];
	const planNow = hashOf(saved.plan.file);
	if (planNow !== saved.plan.sha256)
		changes.push(`${path.basename(saved.plan.file)} ${planNow === undefined ? 'is gone' : 'changed'} (the plan file)`);
	for (const [file, hash] of Object.entries(saved.files)) {
		const now = hashOf(path.resolve(saved.stack.root, file));
		if (now !== hash) changes.push(`${file} ${now === undefined ? 'is gone' : 'changed'}`);
	}
	return changes;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const list = (items: string[]) => (items.length === 0 ? 'none' : items.join(', '));

/** The engine's picture then and now: versions, networks (added, removed, changed), the stack's containers and swarm services. */
export function engineChanges(then: EngineFacts, now: EngineFacts): string[] {
	const changes: string[] = [];
	for (const [key, what] of [
		['engine', 'Docker Engine'],
		['api', 'the engine API'],
		['compose', 'Docker Compose'],
	] as const) {
		if (then[key] !== now[key]) changes.push(`${what} ${then[key] ?? 'unknown'} → ${now[key] ?? 'unknown'}`);
	}
	for (const name of keysOf(then.networks, now.networks)) {
		const [before, after] = [then.networks[name], now.networks[name]];
		if (!before) changes.push(`network ${name} was created (${after?.subnets.join(', ')})`);
		else if (!after) changes.push(`network ${name} was removed`);
		else if (!same(before, after))
			changes.push(
				`network ${name} changed (${before.subnets.join(', ')}${before.internal ? ', internal' : ''} → ${after.subnets.join(', ')}${after.internal ? ', internal' : ''})`,
			);
	}
	for (const name of keysOf(then.containers, now.containers)) {
		const [before, after] = [then.containers[name], now.containers[name]];
		if (!before) changes.push(`container ${name} is new (on ${list(after?.networks ?? [])})`);
		else if (!after) changes.push(`container ${name} is gone`);
		else if (!same(before.networks, after.networks))
			changes.push(`container ${name}: networks ${list(before.networks)} → ${list(after.networks)}`);
		else if (before.running !== after.running) changes.push(`container ${name} ${after.running ? 'started' : 'stopped'}`);
	}
	for (const name of keysOf(then.swarm ?? {}, now.swarm ?? {})) {
		if (then.swarm?.[name] !== now.swarm?.[name])
			changes.push(`swarm service ${name} ${!then.swarm?.[name] ? 'is new' : !now.swarm?.[name] ? 'is gone' : 'changed'}`);
	}
	return changes;
}

function keysOf(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
	return [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
}

/** What a saved action is about, for a refusal: its kind and the service, container, network or file it names. */
function subjectOf(action: SavedAction): string {
	const subject = ['service', 'container', 'network', 'path'].map((key) => action[key]).filter((value) => typeof value === 'string');
	return `${action.kind} ${subject.join(' ')}`.trim();
}

/** The saved actions against the iteration planned again now: each step whose list differs, with its first difference. */
export function actionChanges(saved: SavedPlan, planned: IterationPlan): string[] {
	const changes: string[] = [];
	const now = new Map<string, SavedAction[]>(
		planned.steps.map((step) => [step.name, step.actions.map((action) => savedActionOf(action, saved.stack.root))]),
	);
	for (const step of saved.steps) {
		const actions = now.get(step.name) ?? [];
		if (same(step.actions, actions)) continue;
		const first = step.actions.findIndex((action, position) => !same(action, actions[position]));
		const at = first < 0 ? step.actions.length : first;
		const was = step.actions[at];
		const is = actions[at];
		changes.push(
			`step ${step.name}: ${step.actions.length} actions then, ${actions.length} now; action ${at + 1} was ${was ? subjectOf(was) : 'not there'}, now ${is ? subjectOf(is) : 'not there'}`,
		);
	}
	if (saved.iteration.mode !== planned.mode) changes.push(`the mode was ${saved.iteration.mode}, now ${planned.mode}`);
	return changes;
}

/** The refusal apply gives when a saved plan (`file`: `apply FILE`'s; none: the wizard's review) no longer holds. */
export function staleError(file: string | undefined, changes: string[]): NetmigrateError {
	// `where` names the file: `error: it1.json: the saved plan no longer holds: …`.
	const what = file ? 'the saved plan' : 'the plan you reviewed';
	return new NetmigrateError(`${what} no longer holds: ${changes.join('; ')}`, {
		code: 'stale-plan',
		...(file ? {where: {file}} : {}),
		hint: file
			? 'nothing was changed; make the plan again (`netmigrate plan --out FILE`), review it, then `netmigrate apply FILE`'
			: 'nothing was changed; review the iteration again (the review reads the stack anew), then start it',
	});
}

const savedPlanSchema = z.object({
	format: z.literal(savedPlanFormat),
	createdAt: z.string(),
	tool: z.string(),
	stack: z.object({root: z.string(), project: z.string()}),
	plan: z.object({file: z.string(), sha256: z.string()}),
	iteration: z.object({index: z.number().int().nonnegative(), name: z.string(), mode: z.enum(['live', 'recreate'])}),
	files: z.record(z.string(), z.string()),
	engine: z.looseObject({networks: z.record(z.string(), z.any()), containers: z.record(z.string(), z.any())}),
	steps: z.array(z.object({name: z.string(), title: z.string(), actions: z.array(z.looseObject({kind: z.string()}))})),
	diffs: z.array(z.object({path: z.string(), diff: z.string()})),
	notes: z.array(z.string()),
	secrets: z.string(),
});

/** A saved plan read back: refused, saying why, when it is not one (or of another format). */
export function parseSavedPlan(text: string, file: string): SavedPlan {
	let data: unknown;
	try {
		data = JSON.parse(text);
	} catch (error) {
		throw new NetmigrateError(`${file} is not a saved plan: ${(error as Error).message}`, {
			code: 'bad-input',
			where: {file},
			hint: 'write one with `netmigrate plan --out FILE`',
		});
	}
	const parsed = savedPlanSchema.safeParse(data);
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		throw new NetmigrateError(
			`${file} is not a saved plan this netmigrate reads: ${issue?.path.join('.') || 'the document'}: ${issue?.message}`,
			{code: 'bad-input', where: {file}, hint: 'make the plan again with this version: `netmigrate plan --out FILE`'},
		);
	}
	return parsed.data as unknown as SavedPlan;
}
