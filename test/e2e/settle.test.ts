// engines: 26 28 — both: this is where the engines differ (gw_priority, compose's recreate rules)
/**
 * `netmigrate settle` after a live iteration 1 of the example: what a plain `docker compose up -d`
 * would recreate at once is recreated one service at a time (gluetun with qbittorrent in its
 * namespace), after which `up -d` recreates nothing; default routes stay where they were; and
 * the iteration's rollback still returns the stack exactly as it was.
 */
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {runCompose} from '../../source/engine/compose.js';
import {defaultRoutesOf} from '../../source/engine/default-routes.js';
import {Engine} from '../../source/engine/docker.js';
import {runCli} from '../harness/cli.js';
import {stackState} from '../harness/state.js';
import {exampleStackSuite} from '../harness/suite.js';

const suite = exampleStackSuite();

/** Container name → id, for the stack's containers. */
async function containerIds(): Promise<Record<string, string>> {
	const containers = await suite.engine.docker.listContainers({all: true, filters: {label: ['com.docker.compose.project=media']}});
	return Object.fromEntries(containers.map((container) => [(container.Names[0] ?? '').replace(/^\//, ''), container.Id]));
}

type Status = {iterations: Array<{progress?: {settlePending?: string[]}}>};

test('settle after a live iteration 1: one service at a time, then `docker compose up -d` recreates nothing; rollback still exact', async () => {
	const routesBefore = await defaultRoutesOf(new Engine(suite.engine.host), suite.engine.host, 'media');
	const apply = await runCli(['apply', '--yes', '--no-matrix', '--host', suite.engine.host], {cwd: suite.stack.root});
	assert.equal(apply.exitCode, 0, apply.all);
	assert.match(apply.stdout, /settle pending: a plain `docker compose up -d` would now recreate .* at once/);
	const pending =
		(JSON.parse((await runCli(['status', '--json'], {cwd: suite.stack.root})).stdout) as Status).iterations[0]?.progress
			?.settlePending ?? [];
	// Live multi-homing changed the definitions of every attached service without recreating them.
	assert.ok(pending.length >= 10, `settle pending: ${pending.join(', ')}`);
	assert.ok(!pending.includes('gluetun'), 'gluetun was recreated by the firewall step: it is settled already');

	const beforeSettle = await containerIds();
	const settle = await runCli(['settle', '--yes', '--host', suite.engine.host], {cwd: suite.stack.root});
	assert.equal(settle.exitCode, 0, settle.all);
	assert.match(
		settle.stdout,
		new RegExp(`Settling after iteration 1 \\(network-foundation\\): ${pending.length} recreates, one at a time`),
	);
	assert.match(settle.stdout, /`docker compose up -d` now has nothing to recreate/);
	const afterSettle = await containerIds();
	for (const service of pending) assert.notEqual(afterSettle[service], beforeSettle[service], `${service} was recreated`);
	const untouched = Object.keys(beforeSettle).filter((name) => !pending.includes(name) && name !== 'qbittorrent');
	for (const name of untouched) assert.equal(afterSettle[name], beforeSettle[name], `${name} was not stale and was left alone`);
	const status = JSON.parse((await runCli(['status', '--json'], {cwd: suite.stack.root})).stdout) as Status;
	assert.equal(status.iterations[0]?.progress?.settlePending, undefined, 'nothing is pending any more');

	// The proof: compose itself finds nothing to recreate.
	const up = await runCompose(suite.project, ['up', '-d', '--wait']);
	assert.deepEqual(await containerIds(), afterSettle, `docker compose up -d recreated something:\n${up.all}`);
	assert.doesNotMatch(up.all ?? '', /Recreate/);
	const routesAfter = await defaultRoutesOf(new Engine(suite.engine.host), suite.engine.host, 'media');
	if (process.env.NETMIGRATE_TEST_ENGINE === '28')
		assert.deepEqual(routesAfter, routesBefore, 'on Engine 28 (gw_priority in the files) no default route moved');

	const again = await runCli(['settle', '--yes', '--host', suite.engine.host], {cwd: suite.stack.root});
	assert.equal(again.exitCode, 0, again.all);
	assert.match(again.stdout, /nothing to settle/);

	const rollback = await runCli(['rollback', '--yes', '--host', suite.engine.host], {cwd: suite.stack.root});
	assert.equal(rollback.exitCode, 0, rollback.all);
	assert.deepEqual(await stackState(suite.engine.docker, suite.stack.root), suite.start);
});
