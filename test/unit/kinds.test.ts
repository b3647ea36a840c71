/**
 * The action kinds' tables (source/actions.ts, source/kinds/appliers.ts): a kind without every
 * piece does not compile — checked by `npm run typecheck`, which fails if an `@ts-expect-error`
 * below stops being an error — and an action of a kind this version does not know (a journal
 * another version wrote) stops a run with netmigrate's own error, not a stack trace.
 */
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {describe as describeAction, inverse, rollbackOrder, type Action, type KindTable} from '../../source/actions.js';
import {NetmigrateError} from '../../source/errors.js';
import type {ApplierTable} from '../../source/kinds/appliers.js';
import {applyFileWrite} from '../../source/kinds/file-write.apply.js';
import {applyNetworkConnect} from '../../source/kinds/network-connect.apply.js';
import {applyNetworkCreate} from '../../source/kinds/network-create.apply.js';
import {applyNetworkDisconnect} from '../../source/kinds/network-disconnect.apply.js';
import {applyNetworkRemove} from '../../source/kinds/network-remove.apply.js';
import {applyServiceRecreate} from '../../source/kinds/service-recreate.apply.js';
import {applySwarmUpdate} from '../../source/kinds/swarm-update.apply.js';
import {fileWrite} from '../../source/kinds/file-write.js';
import type {Kind} from '../../source/kinds/kind.js';
import {networkConnect} from '../../source/kinds/network-connect.js';
import {networkCreate} from '../../source/kinds/network-create.js';
import {networkDisconnect} from '../../source/kinds/network-disconnect.js';
import {networkRemove} from '../../source/kinds/network-remove.js';
import {serviceRecreate} from '../../source/kinds/service-recreate.js';
import {swarmUpdate} from '../../source/kinds/swarm-update.js';
import type {FileWrite} from '../../source/kinds/file-write.js';

test('a kind missing from a table, or missing one of its rules, does not compile', () => {
	const withoutSwarmEnv = {
		'network.create': networkCreate,
		'network.remove': networkRemove,
		'network.connect': networkConnect,
		'network.disconnect': networkDisconnect,
		'file.write': fileWrite,
		'service.recreate': serviceRecreate,
		'swarm.update': swarmUpdate,
	};
	// @ts-expect-error swarm.env has no rules in this table
	const rules: KindTable = withoutSwarmEnv;
	const withoutSwarmEnvApplier = {
		'network.create': applyNetworkCreate,
		'network.remove': applyNetworkRemove,
		'network.connect': applyNetworkConnect,
		'network.disconnect': applyNetworkDisconnect,
		'file.write': applyFileWrite,
		'service.recreate': applyServiceRecreate,
		'swarm.update': applySwarmUpdate,
	};
	// @ts-expect-error swarm.env has no applier in this table
	const appliers: ApplierTable = withoutSwarmEnvApplier;
	const {simulate: _simulate, ...noSimulate} = fileWrite;
	// @ts-expect-error a kind that does not say what it does to the dry run's picture
	const incomplete: Kind<FileWrite> = noSimulate;
	// @ts-expect-error a connect's inverse is a disconnect, not a connect
	const wrongInverse: Kind<Extract<Action, {kind: 'network.connect'}>, Extract<Action, {kind: 'network.connect'}>> = networkConnect;
	assert.equal(Object.keys(rules).length, 7, 'the table above lacks one kind');
	assert.deepEqual([Object.keys(appliers).length, incomplete.sign, typeof wrongInverse.inverse], [7, '~', 'function']);
});

test('an action of a kind this version does not know stops with a hint, not a stack trace', () => {
	const fromAnotherVersion = {
		kind: 'container.sysctl',
		container: 'media-jellyfin-1',
		sysctl: 'net.ipv4.ip_forward=1',
	} as unknown as Action;
	for (const use of [
		() => inverse(fromAnotherVersion),
		() => describeAction(fromAnotherVersion),
		() => rollbackOrder([fromAnotherVersion, fromAnotherVersion]),
	]) {
		assert.throws(
			use,
			(error: unknown) =>
				error instanceof NetmigrateError &&
				error.message === 'unknown action kind "container.sysctl"' &&
				/another version of netmigrate/.test(error.hint ?? ''),
		);
	}
	const prototypeName = {kind: 'toString'} as unknown as Action;
	assert.throws(() => describeAction(prototypeName), NetmigrateError, 'a name on the table object’s prototype is no kind either');
});
