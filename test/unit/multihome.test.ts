import assert from 'node:assert/strict';
import path from 'node:path';
import {test} from 'node:test';
import type {NetworkConnect} from '../../source/actions.js';
import {apiAtLeast} from '../../source/domain.js';
import {loadPlan} from '../../source/plan/load.js';
import {discoveredFromFiles} from '../../steps/context.js';
import {planIteration} from '../../steps/index.js';
import {exampleStack} from '../harness/engine.js';

function connectsOn(apiVersion: string | undefined): NetworkConnect[] {
	const loaded = loadPlan(path.join(exampleStack, 'netmigrate.yml'));
	const planned = planIteration(loaded.plan, 0, loaded.project, {...discoveredFromFiles(), ...(apiVersion ? {apiVersion} : {})}, 'live');
	return planned.steps.flatMap((step) => step.actions).filter((action): action is NetworkConnect => action.kind === 'network.connect');
}

test('on Engine 28 (API 1.48+) every live connect keeps the container\'s default route where it was (GwPriority -1)', () => {
	const connects = connectsOn('1.51');
	assert.ok(connects.length > 10);
	assert.ok(connects.every((connect) => connect.gwPriority === -1), JSON.stringify(connects.find((connect) => connect.gwPriority !== -1)));
});

test('older engines, which ignore the field, are sent no GwPriority', () => {
	for (const version of ['1.45', undefined]) assert.ok(connectsOn(version).every((connect) => connect.gwPriority === undefined), String(version));
});

test('API versions compare as numbers, not strings', () => {
	assert.equal(apiAtLeast('1.48', '1.48'), true);
	assert.equal(apiAtLeast('1.51', '1.48'), true);
	assert.equal(apiAtLeast('1.5', '1.48'), false);
	assert.equal(apiAtLeast('1.100', '1.48'), true);
	assert.equal(apiAtLeast('2.0', '1.48'), true);
	assert.equal(apiAtLeast(undefined, '1.48'), false);
});
