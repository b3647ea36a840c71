/**
 * Actions: every change netmigrate makes to the host, as plain data. Steps compute them, the dry
 * run prints them, the executor journals and applies them, and rollback applies their inverses
 * newest first. Each kind lives in source/kinds/: `<kind>.ts` its data and its pure rules
 * (inverse, description, effect on the dry run's picture, dry-run sign, concurrency key, rollback
 * phase), `<kind>.apply.ts` how the executor applies it. This file is the table of the pure
 * halves; source/kinds/appliers.ts the table of the applying ones.
 *
 * Why two halves, two tables: the plan layer (dry run, simulate), the journal and the CLI's
 * listings describe and invert actions, and none of them may load the engine (dockerode and its
 * kin; the wizard loads the core after its first frame). Both tables are mapped types over
 * `Action['kind']`, so a kind added to the union without its rules or its applier fails to
 * compile. test/unit/architecture.test.ts checks that nothing this file reaches imports the engine.
 *
 * A new kind: `source/kinds/<kind>.ts` and `<kind>.apply.ts`, its type in the union below, one
 * line in each table.
 */
import type {ComposeModel} from './compose/model.js';
import type {Discovered, Mode, StepInfo} from './domain.js';
import {NetmigrateError} from './errors.js';
import {fileWrite, type FileWrite} from './kinds/file-write.js';
import {rollbackPhases, type DryRunSign, type Kind} from './kinds/kind.js';
import {networkConnect, type NetworkConnect} from './kinds/network-connect.js';
import {networkCreate, type NetworkCreate} from './kinds/network-create.js';
import {networkDisconnect, type NetworkDisconnect} from './kinds/network-disconnect.js';
import {networkRemove, type NetworkRemove} from './kinds/network-remove.js';
import {serviceRecreate, type ServiceRecreate} from './kinds/service-recreate.js';
import {swarmEnv, type SwarmEnv} from './kinds/swarm-env.js';
import {swarmUpdate, type SwarmUpdate} from './kinds/swarm-update.js';

export type {FileWrite, NetworkConnect, NetworkCreate, NetworkDisconnect, NetworkRemove, ServiceRecreate, SwarmEnv, SwarmUpdate};
export type {RemovedEndpoint} from './kinds/network-disconnect.js';
export type {DryRunSign} from './kinds/kind.js';

export type Action =
	| NetworkCreate
	| NetworkRemove
	| NetworkConnect
	| NetworkDisconnect
	| FileWrite
	| ServiceRecreate
	| SwarmUpdate
	| SwarmEnv;

/** The action of one kind: `ActionOf<'file.write'>` is `FileWrite`. */
export type ActionOf<K extends Action['kind']> = Extract<Action, {kind: K}>;

/** Every kind's pure rules, by kind. */
export type KindTable = {[K in Action['kind']]: Kind<ActionOf<K>, Action>};

/** A kind missing here, or one of its rules, fails to compile. */
const kinds: KindTable = {
	'network.create': networkCreate,
	'network.remove': networkRemove,
	'network.connect': networkConnect,
	'network.disconnect': networkDisconnect,
	'file.write': fileWrite,
	'service.recreate': serviceRecreate,
	'swarm.update': swarmUpdate,
	'swarm.env': swarmEnv,
};

/**
 * The rules of an action's own kind (TypeScript cannot tie `kinds[action.kind]` to `action`
 * without help). An unknown kind can only come from a journal another version wrote.
 */
function rulesOf<A extends Action>(action: A): Kind<A, Action> {
	const rules = Object.hasOwn(kinds, action.kind) ? kinds[action.kind] : undefined;
	if (!rules)
		throw new NetmigrateError(`unknown action kind ${JSON.stringify(action.kind)}`, {
			hint: 'the journal was written by another version of netmigrate; finish the run with that version',
		});
	return rules as unknown as Kind<A, Action>;
}

/** One step's share of a planned iteration. */
export type PlannedStep = StepInfo & {actions: Action[]};

/**
 * A planned iteration: the value a dry run prints, the review shows and apply executes
 * (Terraform's plan). Every file's text before and after the whole iteration rides along.
 */
export type IterationPlan = {
	iteration: string;
	index: number;
	mode: Mode;
	steps: PlannedStep[];
	notes: string[];
	files: Array<{path: string; kind: 'compose' | 'env'; before: string; after: string}>;
};

export const inverse = (action: Action): Action => rulesOf(action).inverse(action);

/** One line an operator reads in a plan, a log or the journal viewer; file paths relative to `root` when given. */
export const describe = (action: Action, root?: string): string => rulesOf(action).describe(action, root);

/** The action's effect on the engine's picture (a copy the caller owns; see plan/simulate.ts). */
export const simulateAction = (picture: Discovered, action: Action, files?: ComposeModel): void =>
	rulesOf(action).simulate(picture, action, files);

/** The mark before the action in a dry run: `+` adds, `-` takes away, `~` changes in place. */
export const dryRunSign = (action: Action): DryRunSign => rulesOf(action).sign;

/**
 * The object the action touches when it may run beside others of its kind (a network or a
 * container), so two never touch the same one at once; undefined: it runs alone, in order.
 */
export const concurrencyKey = (action: Action): string | undefined => rulesOf(action).concurrencyKey(action);

/**
 * A resumed run journals the intent of an interrupted action again: what it records, given the
 * first intent (a disconnect keeps the endpoint the first one read).
 */
export function replayedIntent(first: Action, again: Action): Action {
	if (first.kind !== again.kind) return again;
	return rulesOf(again).replayed?.(first, again) ?? again;
}

const phaseOf = (action: Action): number => rollbackPhases.indexOf(rulesOf(action).rollbackPhase);

/**
 * Inverses, given newest first, in the order a rollback applies them: grouped by their kind's
 * rollback phase (source/kinds/kind.ts), newest first within a group, and each service recreated
 * once — in the order its changes were first made.
 */
export function rollbackOrder(inverses: Action[]): Action[] {
	const recreated = new Set<string>();
	const once = [...inverses].reverse().filter((action) => {
		if (action.kind !== 'service.recreate') return true;
		if (recreated.has(action.service)) return false;
		recreated.add(action.service);
		return true;
	});
	const newestFirst = once.reverse();
	const recreates = newestFirst.filter((action) => action.kind === 'service.recreate').reverse();
	const others = newestFirst.filter((action) => action.kind !== 'service.recreate');
	return [...others, ...recreates].sort((a, b) => phaseOf(a) - phaseOf(b));
}
