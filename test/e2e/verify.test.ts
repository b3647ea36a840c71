// engines: 26 28 — both: how each release's firewall treats a published port from another bridge differs
/**
 * `netmigrate verify` finds a target reachable only through the host (test/fixtures/published-db):
 * web and db share no network after the iteration, yet db publishes 15432 on every host address,
 * and web reaches it on its own gateway. That is said apart from the mismatches (the exit code is
 * still 0: the plan's networks are as intended); --json and --prometheus carry it too.
 */
import assert from 'node:assert/strict';
import {readFileSync, rmSync} from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import {runCli} from '../harness/cli.js';
import {repoRoot} from '../harness/engine.js';
import {stackState} from '../harness/state.js';
import {stackSuite} from '../harness/suite.js';

const suite = stackSuite(path.join(repoRoot, 'test/fixtures/published-db'), 'shop');

test("a database published on the host is found reachable through the web tier's gateway, apart from the mismatches; rollback leaves the start", async () => {
	const cli = async (args: string[]) => runCli([...args, '--host', suite.engine.host], {cwd: suite.stack.root});
	const applied = await cli(['apply', '--yes']);
	assert.equal(applied.exitCode, 0, applied.all);
	const verify = await cli(['verify', '--prometheus', 'reach.prom']);
	assert.equal(verify.exitCode, 0, verify.all);
	assert.match(verify.stdout, /2 pairs, 0 not as intended, 1 through the host/);
	assert.match(verify.stdout, /Reachable only through the host \(1\):\n {2}web -> db: 172\.21\.21\.1:15432/);
	const json = await cli(['verify', '--json']);
	assert.equal(json.exitCode, 0, json.all);
	assert.match(json.stdout, /"hostPaths":\[\{[^\]]*"from":"web"[^\]]*"to":"db"/);
	const textfile = readFileSync(path.join(suite.stack.root, 'reach.prom'), 'utf8');
	assert.match(textfile, /^# TYPE netmigrate_reachability_mismatches gauge$/m);
	assert.match(textfile, /^netmigrate_reachability_host_paths\S* 1$/m);
	const back = await cli(['rollback', '--yes']);
	assert.equal(back.exitCode, 0, back.all);
	const after = await cli(['verify']);
	assert.equal(after.exitCode, 0, after.all);
	rmSync(path.join(suite.stack.root, 'reach.prom'));
	assert.deepEqual(await stackState(suite.engine.docker, suite.stack.root, 'shop'), suite.start);
});
