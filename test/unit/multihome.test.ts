import assert from 'node:assert/strict';
import path from 'node:path';
import {test} from 'node:test';
import type {NetworkConnect} from '../../source/actions.js';
import {apiAtLeast} from '../../source/versions.js';
import {loadPlan} from '../../source/plan/load.js';
import {discoveredFromFiles} from '../../steps/context.js';
import {planIteration} from '../../steps/index.js';
import {exampleStack} from '../harness/engine.js';

function connectsOn(apiVersion: string | undefined): NetworkConnect[] {
	const loaded = loadPlan(path.join(exampleStack, 'netmigrate.yml'));
	const planned = planIteration(loaded.plan, 0, loaded.project, {...discoveredFromFiles(), ...(apiVersion ? {apiVersion} : {})}, 'live');
	return planned.steps.flatMap((step) => step.actions).filter((action): action is NetworkConnect => action.kind === 'network.connect');
}

test("on Engine 28 (API 1.48+) every live connect keeps the container's default route where it was (GwPriority -1)", () => {
	const connects = connectsOn('1.51');
	assert.ok(connects.length > 10);
	assert.ok(
		connects.every((connect) => connect.gwPriority === -1),
		JSON.stringify(connects.find((connect) => connect.gwPriority !== -1)),
	);
});

test('older engines, which ignore the field, are sent no GwPriority', () => {
	for (const version of ['1.45', undefined])
		assert.ok(
			connectsOn(version).every((connect) => connect.gwPriority === undefined),
			String(version),
		);
});

test('API versions compare as numbers, not strings', () => {
	assert.equal(apiAtLeast('1.48', '1.48'), true);
	assert.equal(apiAtLeast('1.51', '1.48'), true);
	assert.equal(apiAtLeast('1.5', '1.48'), false);
	assert.equal(apiAtLeast('1.100', '1.48'), true);
	assert.equal(apiAtLeast('2.0', '1.48'), true);
	assert.equal(apiAtLeast(undefined, '1.48'), false);
});

function notesOn(apiVersion: string | undefined): string[] {
	const loaded = loadPlan(path.join(exampleStack, 'netmigrate.yml'));
	return planIteration(
		loaded.plan,
		0,
		loaded.project,
		{...discoveredFromFiles(), ...(apiVersion ? {apiVersion} : {})},
		'live',
	).notes.filter((note) => note.startsWith('egress of '));
}

test('before Engine 28 the plan says whose egress will move, and where (as the report later measures on Engine 26)', () => {
	const moves = notesOn('1.45');
	// Measured on Engine 26 (test/e2e/apply-rollback.test.ts): traefik to dmz-net, gluetun's VPN egress to download-net.
	assert.ok(
		moves.some((note) => /^egress of traefik will move from media-network to dmz-net/.test(note)),
		moves.join('\n'),
	);
	assert.ok(
		moves.some((note) => /^egress of gluetun will move from media-network to download-net/.test(note)),
		moves.join('\n'),
	);
	assert.ok(!moves.some((note) => /^egress of jellyfin /.test(note)), 'frontend-net is internal: no gateway, no move');
	assert.ok(!moves.some((note) => /^egress of grafana /.test(note)), 'mgmt-net and frontend-net are internal');
	assert.match(moves[0] ?? '', /make it `internal: true` if the tier needs no internet, or upgrade to Engine 28/);
});

test('on Engine 28 no egress move is predicted: every connect keeps the route', () => {
	assert.deepEqual(notesOn('1.51'), []);
});
