/**
 * The plan you reviewed is the plan that runs (Terraform's saved plan): an iteration's actions
 * kept as a value — written by `netmigrate plan --out FILE`, held by the wizard's review — with
 * what it was made from, so `apply` runs exactly those actions or refuses, naming what changed.
 *
 * What it was made from is everything the planner reads (steps/index.ts `planIteration` is a
 * pure function of these): the plan file, the compose and env files (by sha256), the mode, and
 * the engine's picture (`Discovered`): engine, API and compose versions, every network's
 * settings (a new subnet must not collide with any), the stack's containers with their networks
 * and whether they run, and a swarm stack's service specs (by sha256: they hold environment
 * values). Equal inputs give an equal plan; the actions planned again at apply are compared too.
 * Left out on purpose: network members and addresses, which move with every restart of any
 * container on the host and which no step plans from.
 *
 * No secret is stored in clear: a file write keeps only its sha256 before and after (apply gets
 * the text by planning again from the same files, and checks both hashes); the diffs shown to the
 * reader are the dry run's, with secrets masked. Pure: the caller reads the files and the engine.
 */
import path from 'node:path';
import type {Action, IterationPlan} from '../actions.js';
import type {Discovered, Mode, NetworkSettings} from '../domain.js';
import {sha256} from '../hash.js';

export const savedPlanFormat = 'netmigrate-saved-plan/1';

/** The engine's picture a plan was made from, as compared at apply. */
export type EngineFacts = {
	engine?: string;
	api?: string;
	compose?: string;
	networks: Record<string, NetworkSettings & {subnets: string[]}>;
	/** The stack's containers: the networks each is on (sorted) and whether it runs. */
	containers: Record<string, {service: string; networks: string[]; running: boolean}>;
	/** A swarm stack's services: the sha256 of each spec as read (env values are not stored). */
	swarm?: Record<string, string>;
};

/** An action as saved: a file write without its text (sha256 before and after say which text), paths relative to the stack. */
export type SavedAction = Record<string, unknown> & {kind: Action['kind']};

export type SavedPlan = {
	format: typeof savedPlanFormat;
	createdAt: string;
	tool: string;
	stack: {root: string; project: string};
	/** The netmigrate.yml the iteration comes from, and its sha256. */
	plan: {file: string; sha256: string};
	iteration: {index: number; name: string; mode: Mode};
	/** Every compose and env file the stack was read from or the plan writes (relative to the root) → sha256. */
	files: Record<string, string>;
	engine: EngineFacts;
	steps: Array<{name: string; title: string; actions: SavedAction[]}>;
	/** The dry run's diffs, secrets masked: for the reader; apply does not use them. */
	diffs: Array<{path: string; diff: string}>;
	notes: string[];
	secrets: string;
};

export const secretsNote =
	"file contents are not stored: each file write is kept as its sha256 before and after, and the diffs are the dry run's with secrets masked";

/** What the planner read, besides the engine. `hashOf` reads a file's sha256 now (undefined: no such file). */
export type PlanInputs = {root: string; project: string; planFile: string; planSha256: string; files: string[]; tool: string};

export function engineFactsOf(discovered: Discovered, engineVersion?: string): EngineFacts {
	const networks: EngineFacts['networks'] = {};
	for (const [name, network] of discovered.networks) {
		const {subnet, gateway, internal, driver, labels, attachable, encrypted} = network;
		const subnets = 'subnets' in network ? (network.subnets as Array<{subnet: string}>).map((item) => item.subnet) : [subnet];
		networks[name] = {
			subnet,
			...(gateway ? {gateway} : {}),
			internal,
			driver,
			labels,
			...(attachable ? {attachable} : {}),
			...(encrypted ? {encrypted} : {}),
			subnets,
		};
	}
	const containers: EngineFacts['containers'] = {};
	for (const [service, list] of discovered.containers) {
		for (const container of list)
			containers[container.name] = {service, networks: [...container.networks].sort(), running: container.running};
	}
	const swarm = discovered.swarm
		? Object.fromEntries([...discovered.swarm].map(([name, service]) => [name, sha256(JSON.stringify(service))]))
		: undefined;
	return {
		...(engineVersion ? {engine: engineVersion} : {}),
		...(discovered.apiVersion ? {api: discovered.apiVersion} : {}),
		...(discovered.composeVersion ? {compose: discovered.composeVersion} : {}),
		networks,
		containers,
		...(swarm ? {swarm} : {}),
	};
}

/** An action as saved and compared: no file text, paths relative to the stack's root. */
export function savedActionOf(action: Action, root: string): SavedAction {
	if (action.kind !== 'file.write') return JSON.parse(JSON.stringify(action)) as SavedAction;
	const {content: _content, previous: _previous, ...kept} = action;
	return {...kept, path: path.relative(root, action.path) || action.path};
}

export function savedPlanOf(
	planned: IterationPlan,
	inputs: PlanInputs,
	facts: EngineFacts,
	hashOf: (file: string) => string | undefined,
	diffs: SavedPlan['diffs'],
): SavedPlan {
	const written = planned.steps.flatMap((step) => step.actions.flatMap((action) => (action.kind === 'file.write' ? [action.path] : [])));
	const files: Record<string, string> = {};
	for (const file of [...inputs.files, ...written]) {
		const hash = hashOf(file);
		if (hash) files[path.relative(inputs.root, file) || file] = hash;
	}
	return {
		format: savedPlanFormat,
		createdAt: new Date().toISOString(),
		tool: inputs.tool,
		stack: {root: inputs.root, project: inputs.project},
		plan: {file: inputs.planFile, sha256: inputs.planSha256},
		iteration: {index: planned.index, name: planned.iteration, mode: planned.mode},
		files,
		engine: facts,
		steps: planned.steps.map((step) => ({
			name: step.name,
			title: step.title,
			actions: step.actions.map((action) => savedActionOf(action, inputs.root)),
		})),
		diffs,
		notes: planned.notes,
		secrets: secretsNote,
	};
}
