// engines: 26 28 — both: this is where the engines differ (gw_priority, compose's recreate rules)
/**
 * A recreate that finished while its outcome was lost (the run killed between compose's return
 * and the journal's "done") is not done a second time on resume: the engine's containers were
 * created after the intent, run healthy, and compose would not recreate them. Its services keep
 * the containers the killed run made (same ids), and the run completes.
 */
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {runCli} from '../harness/cli.js';
import {exampleStackSuite} from '../harness/suite.js';

const suite = exampleStackSuite();

async function containerId(name: string): Promise<string> {
	return (await suite.engine.docker.getContainer(name).inspect()).Id;
}

test('a resumed apply does not recreate again what the killed run already recreated', async () => {
	const host = ['--host', suite.engine.host];
	const before = {gluetun: await containerId('gluetun'), qbittorrent: await containerId('qbittorrent')};
	const killed = await runCli(['apply', '--yes', '--no-matrix', '--json', ...host], {
		cwd: suite.stack.root,
		env: {NETMIGRATE_TEST_CRASH_BEFORE_DONE_OF: 'firewall-2'},
	});
	assert.equal(killed.signal, 'SIGKILL', killed.all);
	assert.match(killed.stdout, /"id":"firewall-2","description":"recreate gluetun/, 'the killed run was recreating gluetun');
	const recreated = {gluetun: await containerId('gluetun'), qbittorrent: await containerId('qbittorrent')};
	assert.notEqual(recreated.gluetun, before.gluetun, 'compose did recreate gluetun before the kill');
	assert.notEqual(recreated.qbittorrent, before.qbittorrent, 'and qbittorrent in its namespace');

	const resumed = await runCli(['apply', '--yes', '--no-matrix', ...host], {cwd: suite.stack.root});
	assert.equal(resumed.exitCode, 0, resumed.all);
	assert.match(resumed.stdout, /= recreate gluetun .*\(already done\)/, resumed.stdout);
	assert.deepEqual(
		{gluetun: await containerId('gluetun'), qbittorrent: await containerId('qbittorrent')},
		recreated,
		'the same containers: not recreated twice',
	);

	const rolledBack = await runCli(['rollback', '--yes', ...host], {cwd: suite.stack.root});
	assert.equal(rolledBack.exitCode, 0, rolledBack.all);
});
