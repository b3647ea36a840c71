/**
 * The rollback preview (source/ui/RollbackPreviewScreen.tsx): what a rollback will undo, files
 * changed since the apply first, confirmed with Enter — alone and inside the wizard, where
 * Enter starts the rollback of the iteration the preview showed.
 */
import assert from 'node:assert/strict';
import {afterEach, test} from 'node:test';
import type {RollbackPreview} from '../../source/run.js';
import {RollbackPreviewScreen} from '../../source/ui/RollbackPreviewScreen.js';
import {overview} from '../harness/fixtures.js';
import {cleanup, fits, keys, renderAt} from '../harness/render.js';
import {fakeCore, wizard} from '../harness/wizard.js';

afterEach(cleanup);
process.env.NETMIGRATE_GLYPHS = 'unicode';

const preview: RollbackPreview = {
	iteration: 'network-foundation',
	index: 0,
	actions: [
		{kind: 'network.disconnect', network: 'dmz-net', container: 'traefik', service: 'traefik', aliases: ['traefik']},
		{kind: 'network.disconnect', network: 'frontend-net', container: 'jellyfin', service: 'jellyfin', aliases: ['jellyfin']},
		{kind: 'network.remove', network: 'dmz-net', subnet: '172.20.0.0/24', internal: false, driver: 'bridge', labels: {}},
	],
	drift: [
		{
			file: '/srv/media/traefik/docker-compose.yml',
			outcome: 'conflict',
			lines: [23],
			message: 'traefik/docker-compose.yml line 23 changed since the apply, where the rollback must remove dmz-net',
		},
		{
			file: '/srv/media/docker-compose.yml',
			outcome: 'merged',
			lines: [40],
			message: 'docker-compose.yml changed since the apply; the rollback keeps that change',
		},
	],
	nothingToDo: false,
};
const described = ['disconnect traefik from dmz-net', 'disconnect jellyfin from frontend-net', 'remove network dmz-net (172.20.0.0/24)'];

test('the title counts the inverse actions; conflicting files come first, marked; merged ones are not listed; Enter confirms', async () => {
	const confirmed: string[] = [];
	const screen = await renderAt(
		<RollbackPreviewScreen
			preview={preview}
			actions={described}
			width={80}
			height={24}
			onConfirm={() => confirmed.push('go')}
			onBack={() => confirmed.push('back')}
		/>,
	);
	const frame = screen.lastFrame();
	const lines = frame.split('\n');
	assert.equal(lines[0], 'Roll back iteration 1 (network-foundation): 3 inverse actions');
	assert.match(lines[1] ?? '', /^! traefik\/docker-compose\.yml line 23 changed since the apply/);
	assert.deepEqual(lines.slice(2, 5), described);
	assert.doesNotMatch(frame, /keeps that change/);
	assert.match(frame, /Enter roll back/);
	assert.ok(fits(frame, {columns: 80, rows: 24}).ok, frame);
	await screen.type(keys.enter);
	assert.deepEqual(confirmed, ['go']);
});

test('with nothing to undo it says so and offers no confirmation', async () => {
	const screen = await renderAt(
		<RollbackPreviewScreen
			preview={{...preview, actions: [], drift: [], nothingToDo: true}}
			actions={[]}
			width={80}
			height={24}
			onConfirm={() => {}}
			onBack={() => {}}
		/>,
	);
	assert.match(screen.lastFrame(), /Nothing to roll back: no iteration has changed the stack\./);
	assert.doesNotMatch(screen.lastFrame(), /Enter roll back/);
});

test('in the wizard: Roll back… on the home screen shows the described preview, and Enter rolls back that iteration', async () => {
	const asked: Array<number | undefined> = [];
	const {tree} = wizard(
		fakeCore(
			{
				previewRollback: async () => ({...preview, lines: described}),
				rollbackIteration: async (options) => {
					asked.push(options.iteration);
					throw new Error('the engine went away');
				},
			},
			overview({statuses: ['done', 'pending', 'pending']}),
		),
	);
	const screen = await renderAt(tree);
	await screen.waitFor((frame) => /Roll back…/.test(frame));
	for (let moves = 0; moves < 6 && !/❯ Roll back…/.test(screen.lastFrame()); moves++) await screen.type(keys.down);
	await screen.type(keys.enter);
	const frame = await screen.waitFor((text) => /inverse actions/.test(text));
	assert.match(
		frame,
		/disconnect traefik from dmz-net\n.*disconnect jellyfin from frontend-net\n.*remove network dmz-net \(172\.20\.0\.0\/24\)/,
	);
	await screen.type(keys.enter);
	await screen.waitFor((text) => /the engine went away/.test(text));
	assert.deepEqual(asked, [1]);
});
