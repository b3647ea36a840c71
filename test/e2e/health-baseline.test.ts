// engines: 26 — Engine 26 only: compose's --wait and the gate are the same code on both
/**
 * Health judged against the iteration's start (test/fixtures/health-stack): `feeds` has been
 * unhealthy all along (its healthcheck needs an upstream it cannot reach), so neither an apply
 * nor a rollback fails on it — it is named as unhealthy before the iteration began, with its last
 * health output. `api` turns unhealthy when iteration 2 gives it a trusted-proxy list it rejects:
 * that apply fails, naming the container, its state then and now, and its last health output,
 * and the rollback (whose hint never says "resume") puts it back healthy.
 */
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import {runCompose} from '../../source/engine/compose.js';
import {runCli} from '../harness/cli.js';
import {repoRoot} from '../harness/engine.js';
import {stackState} from '../harness/state.js';
import {stackSuite} from '../harness/suite.js';

const suite = stackSuite(
	path.join(repoRoot, 'test/fixtures/health-stack'),
	'clinic',
	async (started) => {
		await runCompose(started.project, ['up', '-d', 'feeds']);
		await healthIs(started.engine.docker, 'clinic-feeds-1', 'unhealthy');
		started.start = await stackState(started.engine.docker, started.stack.root, 'clinic');
	},
	['up', '-d', '--wait', 'web', 'api'],
);

async function healthIs(docker: typeof suite.engine.docker, container: string, want: string): Promise<void> {
	const deadline = Date.now() + 60_000;
	let seen = '';
	while (Date.now() < deadline) {
		seen = (await docker.getContainer(container).inspect()).State.Health?.Status ?? 'none';
		if (seen === want) return;
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	throw new Error(`${container} is ${seen}, not ${want}`);
}

test('a container unhealthy before the iteration began fails neither the apply nor the rollback; one the iteration breaks fails it, named with its last health output', async () => {
	const cli = (args: string[]) => runCli([...args, '--host', suite.engine.host], {cwd: suite.stack.root});

	const first = await cli(['apply', '--yes', '--no-matrix']);
	assert.equal(first.exitCode, 0, first.all);
	assert.match(
		first.stdout,
		/clinic-feeds-1 is running, unhealthy, as it was when the iteration began \(last check: "upstream feed\.example: no route to host"\): not a failure of this iteration/,
	);
	const report = readFileSync(/report: (\S+)/.exec(first.stdout)?.[1] as string, 'utf8');
	assert.match(report, /⚠️ clinic-feeds-1 .*not a failure of this iteration/);
	assert.equal(
		(await suite.engine.docker.getContainer('clinic-web-1').inspect()).Config.Labels['com.example.tier'],
		'front',
		'web was recreated with its label',
	);

	const second = await cli(['apply', '--yes', '--no-matrix']);
	assert.equal(second.exitCode, 1, second.all);
	assert.match(
		second.all,
		/clinic-api-1 \(running, unhealthy; running, healthy when the iteration began; last check: "config rejected: one trusted proxy subnet only"\)/,
	);
	assert.doesNotMatch(second.all, /clinic-feeds-1 \(running, unhealthy; running, healthy/, 'feeds is not blamed for it');

	for (const iteration of ['trust-app-net', 'web-on-app-net']) {
		const rollback = await cli(['rollback', '--yes']);
		assert.equal(rollback.exitCode, 0, `${iteration}: ${rollback.all}`);
		assert.doesNotMatch(rollback.all, /resume/, 'a rollback never tells the operator to resume the apply');
	}
	await healthIs(suite.engine.docker, 'clinic-api-1', 'healthy');
	assert.deepEqual(
		await stackState(suite.engine.docker, suite.stack.root, 'clinic'),
		suite.start,
		'files byte-identical and every container on its networks from before',
	);
});
