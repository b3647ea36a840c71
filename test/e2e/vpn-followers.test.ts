// engines: 26 28 — both: compose's race on a namespace's followers was seen on 2.26 and 2.40 alike
/**
 * A VPN with eighteen followers in one compose file (test/fixtures/vpn-followers: 16
 * `service:gluetun`, 2 `container:gluetun`). The firewall step recreates gluetun and all of them;
 * one compose call for the lot fails half-way and leaves them stopped (issue 23), so netmigrate
 * recreates gluetun alone, then the followers in bounded groups. Proven here: apply and rollback
 * leave every follower running in gluetun's live namespace; a rollback finishes from the state
 * compose's own failure leaves (followers stopped, pinned to a dead container, networks still
 * there) and removes the networks it created; and a kill at each journal write of the firewall
 * step is rolled back to the start, or resumed to the end.
 */
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import type Docker from 'dockerode';
import {runCompose} from '../../source/engine/compose.js';
import {runCli} from '../harness/cli.js';
import {repoRoot} from '../harness/engine.js';
import {stackState} from '../harness/state.js';
import {stackSuite} from '../harness/suite.js';

const suite = stackSuite(path.join(repoRoot, 'test/fixtures/vpn-followers'), 'downloads');
const followers = [
	'qbittorrent',
	'sabnzbd',
	'nzbget',
	'transmission',
	'deluge',
	'jackett',
	'flaresolverr',
	'bazarr',
	'lidarr',
	'readarr',
	'whisparr',
	'mylar',
	'filebot',
	'recyclarr',
	'unpackerr',
	'notifiarr',
	'prowlarr',
	'autobrr',
];
const cli = async (args: string[], env: Record<string, string> = {}) =>
	runCli([...args, '--yes', '--host', suite.engine.host], {cwd: suite.stack.root, env});
type Entry = {seq: number; step: string; run: string; phase: string; action?: {kind: string}};
const journal = (): Entry[] =>
	readFileSync(path.join(suite.stack.root, '.netmigrate/journal.jsonl'), 'utf8')
		.trim()
		.split('\n')
		.filter(Boolean)
		.map((line) => JSON.parse(line) as Entry);

/** Each follower running, in the namespace of the gluetun container that runs now, started after it. */
async function followersLive(docker: Docker): Promise<string[]> {
	const owner = await docker.getContainer('gluetun').inspect();
	const wrong: string[] = [];
	for (const summary of await docker.listContainers({all: true, filters: {label: ['com.docker.compose.project=downloads']}})) {
		const follower = await docker.getContainer(summary.Id).inspect();
		const mode = follower.HostConfig.NetworkMode ?? '';
		if (!mode.startsWith('container:')) continue;
		const reference = mode.slice('container:'.length);
		const live =
			follower.State.Running &&
			(reference === owner.Id || reference === 'gluetun') &&
			Date.parse(follower.State.StartedAt) >= Date.parse(owner.State.StartedAt);
		if (!live) wrong.push(`${follower.Name} (${follower.State.Status}, ${reference.slice(0, 12)})`);
	}
	return wrong;
}

async function followerCount(docker: Docker): Promise<number> {
	const all = await docker.listContainers({all: true, filters: {label: ['com.docker.compose.project=downloads']}});
	return all.filter((summary) => (summary.HostConfig?.NetworkMode ?? '').startsWith('container:')).length;
}

test("apply and rollback with eighteen followers: every follower runs in gluetun's live namespace, and the rollback leaves the start", async () => {
	assert.equal(await followerCount(suite.engine.docker), followers.length);
	const applied = await cli(['apply']);
	assert.equal(applied.exitCode, 0, applied.all);
	assert.match(applied.stdout, /3\/3 checks passed/);
	assert.deepEqual(await followersLive(suite.engine.docker), [], 'after the apply');
	const back = await cli(['rollback']);
	assert.equal(back.exitCode, 0, back.all);
	assert.deepEqual(await followersLive(suite.engine.docker), [], 'after the rollback');
	assert.deepEqual(await stackState(suite.engine.docker, suite.stack.root, 'downloads'), suite.start);
});

test("a rollback finishes from the state compose's own failure leaves: followers stopped and pinned to a dead gluetun, the new network still there", async () => {
	// Killed right after the recreate's intent is journaled: the files say the new allow-list and
	// download-net exists; then compose is asked, as before, for gluetun and all its followers at once.
	const before = journal().length;
	const clean = await cli(['apply']);
	assert.equal(clean.exitCode, 0, clean.all);
	const recreateIntent =
		journal()
			.slice(before)
			.findIndex((entry) => entry.step === 'firewall' && entry.phase === 'intent' && entry.action?.kind === 'service.recreate') + 1;
	assert.ok(recreateIntent > 0, 'the clean apply journaled the recreate');
	assert.equal((await cli(['rollback'])).exitCode, 0);
	const crashed = await cli(['apply'], {NETMIGRATE_TEST_CRASH_AFTER_JOURNAL_WRITE: String(recreateIntent)});
	assert.equal(crashed.signal, 'SIGKILL', crashed.all);
	const failed = await runCompose(suite.project, ['up', '-d', '--no-deps', '--force-recreate', 'gluetun', ...followers]).then(
		() => undefined,
		(error: Error) => error,
	);
	const stranded = await followersLive(suite.engine.docker);
	console.log(
		`# compose's one call for gluetun and its followers: ${failed ? 'failed' : 'succeeded'}, ${stranded.length} followers not live`,
	);
	const back = await cli(['rollback']);
	assert.equal(back.exitCode, 0, back.all);
	assert.deepEqual(await followersLive(suite.engine.docker), []);
	assert.deepEqual(
		await stackState(suite.engine.docker, suite.stack.root, 'downloads'),
		suite.start,
		'files, containers and networks as at the start: download-net removed',
	);
});

test('a kill at each journal write of the firewall step: rolled back to the start, or resumed to the end', async () => {
	const before = journal().length;
	const clean = await cli(['apply']);
	assert.equal(clean.exitCode, 0, clean.all);
	const end = await stackState(suite.engine.docker, suite.stack.root, 'downloads');
	const points = journal()
		.slice(before)
		.flatMap((entry, index) => (entry.step === 'firewall' ? [index + 1] : []));
	assert.equal((await cli(['rollback'])).exitCode, 0);
	assert.ok(points.length >= 4, `the firewall step journals its plan and two actions: ${points.join(', ')}`);
	for (const [i, k] of points.entries()) {
		const crashed = await cli(['apply'], {NETMIGRATE_TEST_CRASH_AFTER_JOURNAL_WRITE: String(k)});
		assert.equal(crashed.signal, 'SIGKILL', `k=${k}: ${crashed.all.slice(-300)}`);
		if (i % 2 === 1) {
			const resumed = await cli(['apply']);
			assert.equal(resumed.exitCode, 0, `k=${k}: the resume failed\n${resumed.all}`);
			assert.deepEqual(
				await stackState(suite.engine.docker, suite.stack.root, 'downloads'),
				end,
				`k=${k}: the resume ends where a clean run ends`,
			);
			assert.deepEqual(await followersLive(suite.engine.docker), [], `k=${k}: after the resume`);
		}
		const back = await cli(['rollback']);
		assert.equal(back.exitCode, 0, `k=${k}: ${back.all}`);
		assert.deepEqual(await followersLive(suite.engine.docker), [], `k=${k}: after the rollback`);
		assert.deepEqual(
			await stackState(suite.engine.docker, suite.stack.root, 'downloads'),
			suite.start,
			`k=${k}: the rollback restores the start`,
		);
	}
});
