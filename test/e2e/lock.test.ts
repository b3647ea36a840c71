// engines: 26 28 — both: this is where the engines differ (gw_priority, compose's recreate rules)
import assert from 'node:assert/strict';
import {existsSync} from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import {execa} from 'execa';
import {cliPath, runCli} from '../harness/cli.js';
import {tick} from '../harness/render.js';
import {exampleStackSuite} from '../harness/suite.js';

const suite = exampleStackSuite();

test('a second apply while one runs is refused by the lock (exit 3), naming the holder; the first completes', async () => {
	const first = execa(process.execPath, [cliPath, 'apply', '--yes', '--no-matrix', '--host', suite.engine.host], {
		cwd: suite.stack.root,
		reject: false,
		all: true,
	});
	const lock = path.join(suite.stack.root, '.netmigrate/lock.json');
	while (!existsSync(lock)) await tick(20);
	const second = await runCli(['apply', '--yes', '--no-matrix', '--host', suite.engine.host], {cwd: suite.stack.root});
	assert.equal(second.exitCode, 3, second.all);
	assert.match(second.stderr, /another netmigrate run holds the lock: .* running `apply --iteration 1` since .*, lock id \w+/);
	assert.match(second.stderr, /fix: wait for it to finish; if you are sure it is gone, `netmigrate force-unlock \w+`/);
	const done = await first;
	assert.equal(done.exitCode, 0, done.all);
	assert.ok(!existsSync(lock), 'the lock is released at the end');
	assert.equal((await runCli(['rollback', '--yes', '--host', suite.engine.host], {cwd: suite.stack.root})).exitCode, 0);
});

test('a lock left by a killed run is stale and the next run takes it over', async () => {
	const killed = await runCli(['apply', '--yes', '--no-matrix', '--host', suite.engine.host], {
		cwd: suite.stack.root,
		env: {NETMIGRATE_TEST_CRASH_AFTER_JOURNAL_WRITE: '3'},
	});
	assert.equal(killed.signal, 'SIGKILL');
	assert.ok(existsSync(path.join(suite.stack.root, '.netmigrate/lock.json')), 'the killed run could not release its lock');
	const resumed = await runCli(['apply', '--yes', '--no-matrix', '--host', suite.engine.host], {cwd: suite.stack.root});
	assert.equal(resumed.exitCode, 0, resumed.all);
	assert.match(resumed.stdout, /took over a stale lock left by pid \d+/);
	assert.equal((await runCli(['rollback', '--yes', '--host', suite.engine.host], {cwd: suite.stack.root})).exitCode, 0);
});
