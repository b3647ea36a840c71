/**
 * The table of the applying halves of every kind (`<kind>.apply.ts`), which the executor looks
 * an action up in. The pure halves' table is source/actions.ts; this one may load the engine, so
 * only the executor imports it (test/unit/architecture.test.ts). A mapped type over
 * `Action['kind']`: a kind without its applier fails to compile.
 */
import type {Action, ActionOf} from '../actions.js';
import type {Applier} from './applier.js';
import {applyFileWrite} from './file-write.apply.js';
import {applyNetworkConnect} from './network-connect.apply.js';
import {applyNetworkCreate} from './network-create.apply.js';
import {applyNetworkDisconnect} from './network-disconnect.apply.js';
import {applyNetworkRemove} from './network-remove.apply.js';
import {applyServiceRecreate} from './service-recreate.apply.js';
import {applySwarmEnv} from './swarm-env.apply.js';
import {applySwarmUpdate} from './swarm-update.apply.js';

/** Every kind's applier, by kind. */
export type ApplierTable = {[K in Action['kind']]: Applier<ActionOf<K>>};

const appliers: ApplierTable = {
	'network.create': applyNetworkCreate,
	'network.remove': applyNetworkRemove,
	'network.connect': applyNetworkConnect,
	'network.disconnect': applyNetworkDisconnect,
	'file.write': applyFileWrite,
	'service.recreate': applyServiceRecreate,
	'swarm.update': applySwarmUpdate,
	'swarm.env': applySwarmEnv,
};

/** The applier of an action's own kind (TypeScript cannot tie `appliers[action.kind]` to `action` without help). */
export const applierOf = <A extends Action>(action: A): Applier<A> => appliers[action.kind] as unknown as Applier<A>;
