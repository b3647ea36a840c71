// engines: 26 — Engine 26 only: the VPN's firewall is its own namespace's routing, alike on every engine
/**
 * The reachability matrix finds what no declared check crosses (test/fixtures/vpn-allowlist): a
 * plan puts a dashboard beside a VPN on a new network and forgets the VPN's allow-list. The VPN's
 * firewall drops the new subnet, so the pair the plan keeps reachable does not answer: the checks
 * step fails on it — the plan declares no check — naming the pair and the allow-list entry to add,
 * `verify` says the same, and the rollback leaves the start. With the entry in the plan the same
 * iteration passes, and its report counts the pairs it opened as asked for.
 */
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import {runCli} from '../harness/cli.js';
import {repoRoot} from '../harness/engine.js';
import {stackState} from '../harness/state.js';
import {stackSuite} from '../harness/suite.js';

const suite = stackSuite(path.join(repoRoot, 'test/fixtures/vpn-allowlist'), 'tunnel');
const cli = async (args: string[]) => runCli([...args, '--host', suite.engine.host], {cwd: suite.stack.root});
const missingEntry =
	/vpn's firewall drops it — FIREWALL_OUTBOUND_SUBNETS does not cover vpn-net \(172\.21\.32\.0\/24\); add `firewall: \[\{service: vpn, variable: FIREWALL_OUTBOUND_SUBNETS, ensure: \[172\.21\.32\.0\/24\]\}\]`/;

test('a VPN allow-list the plan forgot: the checks step fails on the pair it drops, naming the entry to add; verify agrees; rollback leaves the start', async () => {
	const applied = await cli(['apply', '--yes']);
	assert.equal(applied.exitCode, 1, applied.all);
	assert.match(applied.all, /2 pairs the plan keeps reachable did not answer: vpn → dashboard \(.*\); dashboard → vpn \(/);
	assert.match(applied.all, missingEntry);
	const verify = await cli(['verify', '--json']);
	assert.equal(verify.exitCode, 1, verify.all);
	const mismatches = (JSON.parse(verify.stdout) as {mismatches: Array<{from: string; to: string; reason: string}>}).mismatches;
	assert.deepEqual(
		mismatches.map((pair) => `${pair.from} → ${pair.to}`),
		['vpn → dashboard', 'dashboard → vpn'],
	);
	for (const pair of mismatches) assert.match(pair.reason, missingEntry);
	const back = await cli(['rollback', '--yes']);
	assert.equal(back.exitCode, 0, back.all);
	assert.deepEqual(await stackState(suite.engine.docker, suite.stack.root, 'tunnel'), suite.start);
});

test('with the entry in the plan the same iteration passes, its report counts the pairs it opened as asked for, and verify exits 0', async () => {
	const plan = ['--plan', 'netmigrate-allowed.yml'];
	const applied = await cli(['apply', '--yes', ...plan]);
	assert.equal(applied.exitCode, 0, applied.all);
	assert.match(applied.all, /every pair: 2 of 2 pairs probed, all as intended; cut 0, opened 2 \(as planned\)/);
	const report = readFileSync(path.resolve(suite.stack.root, /report: (\S+)/.exec(applied.stdout)?.[1] ?? 'no report line'), 'utf8');
	assert.match(report, /## Reachability\n\n2 of 2 pairs probed, all as intended; cut 0, opened 2 \(as planned\)/);
	assert.match(report, /- \*\*Opened:\*\* vpn → dashboard, dashboard → vpn\n/);
	const verify = await cli(['verify', ...plan]);
	assert.equal(verify.exitCode, 0, verify.all);
	const back = await cli(['rollback', '--yes', ...plan]);
	assert.equal(back.exitCode, 0, back.all);
	assert.deepEqual(await stackState(suite.engine.docker, suite.stack.root, 'tunnel'), suite.start);
});
