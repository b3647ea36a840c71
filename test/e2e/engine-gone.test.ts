// engines: 26 28 — both: this is where the engines differ (gw_priority, compose's recreate rules)
/**
 * Bad input from the world: the engine goes away in the middle of a run (its socket vanishes,
 * as when dockerd restarts). The run must stop with exit 4 and a message saying what to do, the
 * journal must account for every change made, and once the engine is back a resume completes
 * and a rollback restores the start.
 */
import assert from 'node:assert/strict';
import {renameSync} from 'node:fs';
import {test} from 'node:test';
import {execa} from 'execa';
import {cliPath, runCli} from '../harness/cli.js';
import {tick} from '../harness/render.js';
import {stackState} from '../harness/state.js';
import {exampleStackSuite} from '../harness/suite.js';

const suite = exampleStackSuite();

test('the engine vanishing mid-run stops it with exit 4 and what to do; resume and rollback work once it is back', async () => {
	const run = execa(process.execPath, [cliPath, 'apply', '--yes', '--no-matrix', '--host', suite.engine.host], {
		cwd: suite.stack.root,
		reject: false,
		all: true,
		buffer: true,
	});
	let output = '';
	run.all?.on('data', (chunk: Buffer) => {
		output += chunk.toString();
	});
	while (!/connect .* to .*-net/.test(output)) await tick(5);
	renameSync(suite.engine.socketPath, `${suite.engine.socketPath}.away`);
	const stopped = await run;
	renameSync(`${suite.engine.socketPath}.away`, suite.engine.socketPath);
	assert.equal(stopped.exitCode, 4, stopped.all);
	assert.match(stopped.all, /the Docker engine is not answering \((ENOENT|compose cannot connect)\) while/);
	assert.match(stopped.all, /fix: check that dockerd is running .* progress is saved, run the same command again to resume/);

	const status = await runCli(['status'], {cwd: suite.stack.root});
	// Where it stops depends on timing (multi-home or a later step); that it stopped, and why, does not.
	assert.match(
		status.stdout,
		/1\. network-foundation\s+failed\n\s+stopped at: [^\n]+ — the Docker engine is not answering \((ENOENT|compose cannot connect)\)/,
	);

	const resumed = await runCli(['apply', '--yes', '--no-matrix', '--host', suite.engine.host], {cwd: suite.stack.root});
	assert.equal(resumed.exitCode, 0, resumed.all);
	assert.match(resumed.stdout, /resuming where it stopped/);
	const back = await runCli(['rollback', '--yes', '--host', suite.engine.host], {cwd: suite.stack.root});
	assert.equal(back.exitCode, 0, back.all);
	assert.deepEqual(await stackState(suite.engine.docker, suite.stack.root), suite.start);
});
