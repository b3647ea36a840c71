/**
 * The wizard started where there is no plan (source/ui/StacksScreen.tsx, source/recent-stacks.ts):
 * it offers the stacks netmigrate has run in on this host, and the one picked is the plan every
 * later screen and run uses; with none known, the error says what is missing. Runs record their
 * stack when they start.
 */
import assert from 'node:assert/strict';
import {copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, afterEach, test} from 'node:test';
import {NetmigrateError} from '../../source/errors.js';
import type {RunEvent} from '../../source/events.js';
import {recentStacks, rememberingStack} from '../../source/recent-stacks.js';
import {StacksScreen} from '../../source/ui/StacksScreen.js';
import {loadSettings, readSettings} from '../../state/settings.js';
import {repoRoot} from '../harness/engine.js';
import {overview, review} from '../harness/fixtures.js';
import {cleanup, fits, keys, renderAt, tick} from '../harness/render.js';
import {fakeCore, wizard} from '../harness/wizard.js';

afterEach(cleanup);
process.env.NETMIGRATE_GLYPHS = 'unicode';
const folders: string[] = [];
after(() => folders.forEach((folder) => rmSync(folder, {recursive: true, force: true})));
function scratch(): string {
	const folder = mkdtempSync(path.join(tmpdir(), 'nm-stacks-'));
	folders.push(folder);
	return folder;
}

const known = [
	{root: '/srv/media', plan: '/srv/media/netmigrate.yml', lastRun: '2026-12-07T12:00:00.000Z'},
	{root: '/srv/monitoring', plan: '/srv/monitoring/netmigrate.yml', lastRun: '2026-12-01T09:30:00.000Z'},
];
const noPlan = new NetmigrateError('no plan at /home/ops/netmigrate.yml', {
	code: 'bad-input',
	hint: 'run `netmigrate init` in the stack folder',
});

test('the list shows each stack with its last run, newest first, within 80x24; Enter opens one, q quits', async () => {
	const picked: string[] = [];
	const screen = await renderAt(
		<StacksScreen
			planFile="/home/ops/netmigrate.yml"
			stacks={known}
			width={80}
			onPick={(plan) => picked.push(plan)}
			onQuit={() => picked.push('quit')}
		/>,
	);
	const frame = screen.lastFrame();
	assert.match(frame, /netmigrate · no netmigrate\.yml in \/home\/ops/);
	assert.match(frame, /❯ \/srv\/media\s+last run 2026-12-07 12:00\n\s+\/srv\/monitoring\s+last run 2026-12-01 09:30\n\s+Quit/);
	assert.ok(fits(frame, {columns: 80, rows: 24}).ok, frame);
	await screen.type(keys.down, keys.enter);
	await screen.type('q');
	assert.deepEqual(picked, ['/srv/monitoring/netmigrate.yml', 'quit']);
});

test('in the wizard: started where there is no plan, it offers the known stacks; the one picked is the plan the home screen and the review read', async () => {
	const read: string[] = [];
	const core = fakeCore({
		loadOverview: async (planFile) => {
			read.push(`overview ${planFile}`);
			if (planFile === '/home/ops/netmigrate.yml') throw noPlan;
			return {...overview({statuses: ['done', 'pending', 'pending']}), root: '/srv/monitoring', planFile};
		},
		loadReview: async (planFile) => {
			read.push(`review ${planFile}`);
			return review();
		},
		recentStacks: async () => known,
	});
	const {exits, tree} = wizard(core, '/home/ops/netmigrate.yml');
	const screen = await renderAt(tree);
	await screen.waitFor((frame) => /Stacks netmigrate has run in/.test(frame));
	await screen.type(keys.down);
	await screen.waitFor((frame) => /❯ \/srv\/monitoring/.test(frame));
	await screen.type(keys.enter);
	await screen.waitFor((frame) => /Start iteration 2/.test(frame));
	await screen.type(keys.down);
	await screen.waitFor((frame) => /❯ Review the plan/.test(frame));
	await screen.type(keys.enter);
	await screen.waitFor((frame) => /Review iteration/.test(frame));
	assert.deepEqual(read, [
		'overview /home/ops/netmigrate.yml',
		'overview /srv/monitoring/netmigrate.yml',
		'review /srv/monitoring/netmigrate.yml',
	]);
	assert.deepEqual(exits, []);
});

test('in the wizard: with no stack known, a missing plan is the error screen, as before', async () => {
	const core = fakeCore({
		loadOverview: async () => {
			throw noPlan;
		},
	});
	const screen = await renderAt(wizard(core, '/home/ops/netmigrate.yml').tree);
	await screen.waitFor((frame) => /no plan at \/home\/ops\/netmigrate\.yml/.test(frame));
	assert.match(screen.lastFrame(), /fix: run `netmigrate init` in the stack folder/);
});

test('a run records its stack when it starts; the wizard offers the recorded stacks whose plan is still there, and none where a plan is', async () => {
	const home = scratch();
	const environment = {NETMIGRATE_CONFIG_DIR: path.join(home, 'config')};
	const stack = path.join(home, 'media');
	mkdirSync(stack);
	copyFileSync(path.join(repoRoot, 'examples/media-stack/netmigrate.yml'), path.join(stack, 'netmigrate.yml'));
	const seen: RunEvent['type'][] = [];
	const options = rememberingStack(
		{planFile: path.join(stack, 'netmigrate.yml'), emit: (event: RunEvent) => seen.push(event.type)},
		environment,
	);
	options.emit({type: 'log', level: 'info', message: 'before the start'});
	options.emit({type: 'run-start', run: 'apply', iteration: 'network-foundation', index: 0, resumed: false, steps: []});
	for (let waited = 0; waited < 10_000 && readSettings(environment).stacks().length === 0; waited += 50) await tick(50);
	assert.deepEqual(seen, ['log', 'run-start'], 'the run still sees every event');
	assert.deepEqual(
		readSettings(environment)
			.stacks()
			.map((item) => [item.root, item.plan]),
		[[stack, path.join(stack, 'netmigrate.yml')]],
	);
	await (await loadSettings(environment)).recordStack({root: path.join(home, 'gone'), plan: path.join(home, 'gone/netmigrate.yml')});
	writeFileSync(path.join(home, 'netmigrate.yml.txt'), 'not a plan');
	assert.deepEqual(
		recentStacks(path.join(home, 'netmigrate.yml'), environment).map((item) => item.root),
		[stack],
		'a stack whose plan is gone is not offered',
	);
	assert.deepEqual(recentStacks(path.join(stack, 'netmigrate.yml'), environment), [], 'started beside a plan: nothing to offer');
});
